package io.plantmesh.mes.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;

/**
 * A request for a maintenance window ({@code POST /machines/{machineId}/maintenance-windows}): {@code reason} and
 * either {@code end} or {@code duration} (ISO-8601, e.g. {@code PT2H}); optionally {@code start} (default now),
 * {@code requestedBy} and {@code failureMode}. Unknown fields are refused.
 */
record NewMaintenanceWindow(Instant start, Instant end, String reason, String requestedBy, String failureMode) {

    /** Longest window the API plans. */
    static final Duration MAX_LENGTH = Duration.ofDays(7);
    /** How far in the past a window may start (clocks of client and MES differ a little). */
    static final Duration PAST_TOLERANCE = Duration.ofMinutes(5);

    private static final Set<String> FIELDS = Set.of("start", "end", "duration", "reason", "requestedBy",
            "failureMode");
    private static final String EXPECTED = "Send {\"reason\": \"...\", \"duration\": \"PT2H\"} or with \"end\" "
            + "instead of \"duration\"; optional \"start\" (ISO-8601 with offset, default now), \"requestedBy\", "
            + "\"failureMode\". See /api/mes/v1/openapi.yaml (MaintenanceWindowRequest).";

    NewMaintenanceWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(reason, "reason");
    }

    /** @throws ApiError 400 saying what is wrong */
    static NewMaintenanceWindow parse(final String body, final Instant now) {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("The request has no body; a maintenance window needs a reason and an end or a "
                    + "duration.", EXPECTED);
        }
        final JsonValue value;
        try {
            value = JsonFactory.readFrom(body);
        } catch (final RuntimeException e) {
            throw ApiError.badRequest("The request body is not valid JSON: " + e.getMessage(), EXPECTED);
        }
        if (!value.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object, was " + value + ".", EXPECTED);
        }
        final JsonObject json = value.asObject();
        for (final JsonKey key : json.getKeys()) {
            if (!FIELDS.contains(key.toString())) {
                throw ApiError.badRequest("Unknown field '" + key + "'.", EXPECTED);
            }
        }
        final String reason = text(json, "reason");
        if (reason == null) {
            throw ApiError.badRequest("Field 'reason' is missing: say why the machine needs maintenance.", EXPECTED);
        }
        final String startText = text(json, "start");
        final Instant start = startText == null ? now : instant(startText, "start");
        final String endText = text(json, "end");
        final String durationText = text(json, "duration");
        final boolean one = (endText == null) != (durationText == null);
        if (!one) {
            throw ApiError.badRequest("Give exactly one of 'end' and 'duration'.", EXPECTED);
        }
        final Instant end;
        if (endText != null) {
            end = instant(endText, "end");
        } else {
            try {
                end = start.plus(Duration.parse(durationText));
            } catch (final DateTimeParseException e) {
                throw ApiError.badRequest("Field 'duration' must be an ISO-8601 duration such as PT2H or PT90M, was \""
                        + durationText + "\".", EXPECTED);
            }
        }
        if (!end.isAfter(start)) {
            throw ApiError.badRequest("The window must end after it starts: " + start + " .. " + end + ".", EXPECTED);
        }
        if (Duration.between(start, end).compareTo(MAX_LENGTH) > 0) {
            throw ApiError.badRequest("The window is longer than " + MAX_LENGTH.toDays() + " days: " + start + " .. "
                    + end + ".", "Plan longer shutdowns as several windows, or take the machine off the line.");
        }
        if (start.isBefore(now.minus(PAST_TOLERANCE))) {
            throw ApiError.badRequest("The window starts in the past (" + start + ", now is " + now + ").",
                    "Leave 'start' out to start now, or give a start in the future.");
        }
        return new NewMaintenanceWindow(start, end, reason, text(json, "requestedBy"), text(json, "failureMode"));
    }

    /** A machine id such as {@code plant1:machine-1-03}. @throws ApiError 400 naming {@code what} otherwise */
    static ThingId machineId(final String text, final String what) {
        try {
            return PlantThingIds.parse(text, TwinKind.MACHINE).thingId();
        } catch (final IllegalArgumentException e) {
            throw ApiError.badRequest("'" + what + "' is not a machine id: " + e.getMessage(),
                    "Machine ids look like plant1:machine-1-03 (<plant>:machine-<line>-<position>).");
        }
    }

    private static String text(final JsonObject json, final String field) {
        final JsonValue value = json.getValue(JsonFactory.newKey(field)).orElse(JsonFactory.nullLiteral());
        if (value.isNull()) {
            return null;
        }
        final boolean text = value.isString() && !value.asString().isBlank();
        if (!text) {
            throw ApiError.badRequest("Field '" + field + "' must be a non-empty string, was " + value + ".",
                    EXPECTED);
        }
        return value.asString().strip();
    }

    private static Instant instant(final String text, final String field) {
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (final DateTimeParseException e) {
            throw ApiError.badRequest("Field '" + field + "' must be an ISO-8601 date-time with offset, e.g. "
                    + "2026-12-01T08:00:00Z, was \"" + text + "\".", EXPECTED);
        }
    }
}
