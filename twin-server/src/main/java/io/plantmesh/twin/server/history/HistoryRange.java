package io.plantmesh.twin.server.history;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.ditto.base.model.headers.DittoHeaders;

/**
 * The part of a thing's history an SSE request asks for, with Ditto's query parameters (Ditto 3.2+, basic-history):
 * either by revision ({@code from-historical-revision}, optional {@code to-historical-revision}; both inclusive) or by
 * time ({@code from-historical-timestamp}, optional {@code to-historical-timestamp}; events strictly after the first
 * and strictly before the second, as Ditto filters them).
 *
 * <p>Revisions as Ditto documents them: {@code from} 0 streams from the oldest kept event; a negative {@code from} or
 * {@code to} counts back from the thing's current revision; {@code to} 0 or left out means the current revision (the
 * one the thing has when the request arrives). The stream ends after the last event of the range.
 *
 * @param fromRevision null when asked by time
 * @param toRevision null when not given
 * @param fromTimestamp null when asked by revision
 * @param toTimestamp null when not given
 */
public record HistoryRange(Long fromRevision, Long toRevision, Instant fromTimestamp, Instant toTimestamp) {

    public static final String FROM_REVISION = "from-historical-revision";
    public static final String TO_REVISION = "to-historical-revision";
    public static final String FROM_TIMESTAMP = "from-historical-timestamp";
    public static final String TO_TIMESTAMP = "to-historical-timestamp";

    /** Whether any of the four history parameters is present, so the request is for history rather than live events. */
    public static boolean requested(Function<String, String> params) {
        return params.apply(FROM_REVISION) != null || params.apply(TO_REVISION) != null
                || params.apply(FROM_TIMESTAMP) != null || params.apply(TO_TIMESTAMP) != null;
    }

    /**
     * Reads the parameters.
     *
     * @throws HistoryParameterInvalidException when a value does not parse, revision and time are mixed, a {@code to-}
     *         comes without its {@code from-}, or the end lies before the start
     */
    public static HistoryRange of(Function<String, String> params, DittoHeaders headers) {
        String fromRevision = params.apply(FROM_REVISION);
        String toRevision = params.apply(TO_REVISION);
        String fromTimestamp = params.apply(FROM_TIMESTAMP);
        String toTimestamp = params.apply(TO_TIMESTAMP);
        boolean byRevision = fromRevision != null || toRevision != null;
        boolean byTime = fromTimestamp != null || toTimestamp != null;
        if (byRevision && byTime) {
            throw HistoryParameterInvalidException.of("A history is asked for either by revision (" + FROM_REVISION
                    + ", " + TO_REVISION + ") or by time (" + FROM_TIMESTAMP + ", " + TO_TIMESTAMP
                    + "), not by both.", headers);
        }
        if (byRevision) {
            if (fromRevision == null) {
                throw missingFrom(TO_REVISION, FROM_REVISION, headers);
            }
            Long from = revision(FROM_REVISION, fromRevision, headers);
            Long to = toRevision == null ? null : revision(TO_REVISION, toRevision, headers);
            boolean bothAbsolute = from > 0 && to != null && to > 0;
            if (bothAbsolute && to < from) {
                throw HistoryParameterInvalidException.of(TO_REVISION + " " + to + " lies before " + FROM_REVISION
                        + " " + from + ".", headers);
            }
            return new HistoryRange(from, to, null, null);
        }
        if (fromTimestamp == null) {
            throw missingFrom(TO_TIMESTAMP, FROM_TIMESTAMP, headers);
        }
        Instant from = timestamp(FROM_TIMESTAMP, fromTimestamp, headers);
        Instant to = toTimestamp == null ? null : timestamp(TO_TIMESTAMP, toTimestamp, headers);
        if (to != null && !to.isAfter(from)) {
            throw HistoryParameterInvalidException.of(TO_TIMESTAMP + " " + to + " is not after " + FROM_TIMESTAMP
                    + " " + from + ": no event can lie between them.", headers);
        }
        return new HistoryRange(null, null, from, to);
    }

    public boolean byRevision() {
        return fromRevision != null;
    }

    public Optional<Long> to() {
        return Optional.ofNullable(toRevision);
    }

    /** What was asked for, in words, for messages. */
    public String describeStart() {
        return byRevision() ? "revision " + fromRevision : fromTimestamp.toString();
    }

    private static HistoryParameterInvalidException missingFrom(String to, String from, DittoHeaders headers) {
        return HistoryParameterInvalidException.of(to + " was given without " + from + ": say where the history "
                + "starts.", headers);
    }

    private static Long revision(String name, String value, DittoHeaders headers) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw HistoryParameterInvalidException.of(name + " must be a revision number, was '" + value + "'.",
                    headers);
        }
    }

    private static Instant timestamp(String name, String value, DittoHeaders headers) {
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw HistoryParameterInvalidException.of(name + " must be an ISO-8601 timestamp in UTC such as "
                    + "2026-11-26T10:15:00Z, was '" + value + "'.", headers);
        }
    }
}
