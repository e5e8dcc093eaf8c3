package io.plantmesh.erp.embedded.odata;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The OASIS "Repeatable Requests Version 1.0" request headers SAP co-authored and that PlantMesh uses as the
 * idempotency key of every POST: {@code Repeatability-Request-ID} (a client-generated id, unique for all time) and
 * {@code Repeatability-First-Sent} (when the request was first sent, IMF-fixdate, e.g.
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}). A repeat of a request id that was executed returns the original response.
 *
 * @param requestId the id, at most {@value #MAX_ID_LENGTH} characters
 * @param firstSent when the client first sent it, or null if the header was absent
 */
public record Repeatability(String requestId, Instant firstSent) {

    public static final String REQUEST_ID = "Repeatability-Request-ID";
    public static final String FIRST_SENT = "Repeatability-First-Sent";
    public static final String RESULT = "Repeatability-Result";
    /** Longest request id accepted. */
    public static final int MAX_ID_LENGTH = 200;

    /**
     * Reads the headers; null if no request id was sent (the request is then executed without a repeatability
     * guarantee).
     *
     * @throws ODataError 400 if the id is too long or the date is not an IMF-fixdate
     */
    public static Repeatability of(String requestId, String firstSent) {
        if (requestId == null || requestId.isBlank()) {
            if (firstSent != null && !firstSent.isBlank()) {
                throw ODataError.badRequest(ODataError.REPEATABILITY, FIRST_SENT + " was sent without "
                    + REQUEST_ID + "; send both headers, or neither.");
            }
            return null;
        }
        String id = requestId.trim();
        if (id.length() > MAX_ID_LENGTH) {
            throw ODataError.badRequest(ODataError.REPEATABILITY, REQUEST_ID + " is longer than " + MAX_ID_LENGTH
                + " characters; use a shorter unique id (a UUID, or a hash of the posting's identity).");
        }
        Instant sent = null;
        if (firstSent != null && !firstSent.isBlank()) {
            try {
                sent = ZonedDateTime.parse(firstSent.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                throw ODataError.badRequest(ODataError.REPEATABILITY, FIRST_SENT + " \"" + firstSent + "\" is not an "
                    + "IMF-fixdate; send e.g. \"Mon, 30 Nov 2026 08:00:00 GMT\".");
            }
        }
        return new Repeatability(id, sent);
    }
}
