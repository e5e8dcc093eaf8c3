package io.plantmesh.erp.embedded.odata;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * OData V2 JSON ("verbose") values as SAP Gateway writes and reads them: {@code Edm.Decimal} as strings
 * ({@code "10.000"}), {@code Edm.DateTime} as {@code "/Date(<epoch millis>)/"}, {@code Edm.Time} as an ISO-8601
 * duration ({@code "PT14H05M09S"}), and request-body accessors that refuse wrong types with a 400 naming the
 * property.
 */
public final class ODataValues {

    /** Quantities carry three decimals (SAP's QUAN 13,3). */
    public static final int QUANTITY_SCALE = 3;
    /** Amounts carry two decimals (SAP's CURR 23,2 for most currencies). */
    public static final int AMOUNT_SCALE = 2;

    private static final Pattern DATE_LITERAL = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

    private ODataValues() {
    }

    /** {@code Edm.DateTime} of an instant: {@code /Date(millis)/}. */
    public static String dateTime(Instant instant) {
        return "/Date(" + instant.toEpochMilli() + ")/";
    }

    /** {@code Edm.DateTime} of a stored BSON date. */
    public static String dateTime(Date date) {
        return dateTime(date.toInstant());
    }

    /** Midnight UTC of the day, as SAP sends date-only fields (posting date, delivery date). */
    public static Date dayStart(LocalDate day) {
        return Date.from(day.atStartOfDay().toInstant(ZoneOffset.UTC));
    }

    /** {@code Edm.Time} of a time of day: {@code PT14H05M09S}. */
    public static String time(LocalTime time) {
        return String.format("PT%02dH%02dM%02dS", time.getHour(), time.getMinute(), time.getSecond());
    }

    /** A quantity with three decimals, as SAP writes {@code Edm.Decimal} quantities. */
    public static String quantity(BigDecimal value) {
        return value.setScale(QUANTITY_SCALE, RoundingMode.HALF_UP).toPlainString();
    }

    /** An amount with two decimals. */
    public static String amount(BigDecimal value) {
        return value.setScale(AMOUNT_SCALE, RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * Reads a date-only property: {@code /Date(millis)/} (what SAP writes), or {@code 2026-11-30T00:00:00} /
     * {@code 2026-11-30} (what SAP accepts in requests); the UTC day is kept.
     */
    public static LocalDate day(JsonObject body, String property, LocalDate fallback) {
        Object raw = body.getValue(property);
        if (raw == null || raw instanceof String && ((String) raw).isBlank()) {
            return fallback;
        }
        if (!(raw instanceof String)) {
            throw ODataError.invalid(property, "Property " + property + " must be an Edm.DateTime string such as "
                + "\"/Date(1764460800000)/\" or \"2026-11-30T00:00:00\"; got " + raw + ".");
        }
        String text = ((String) raw).trim();
        Matcher literal = DATE_LITERAL.matcher(text);
        try {
            if (literal.matches()) {
                return Instant.ofEpochMilli(Long.parseLong(literal.group(1))).atOffset(ZoneOffset.UTC).toLocalDate();
            }
            if (text.length() == 10) {
                return LocalDate.parse(text);
            }
            String withoutZone = text.endsWith("Z") ? text.substring(0, text.length() - 1) : text;
            return LocalDateTime.parse(withoutZone).toLocalDate();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ODataError.invalid(property, "Property " + property + " is not a date: \"" + text + "\". Send "
                + "\"/Date(<epoch milliseconds>)/\" or an ISO date-time such as \"2026-11-30T00:00:00\".");
        }
    }

    /** Reads an {@code Edm.Time} property ({@code PT14H05M09S}); null if absent. */
    public static LocalTime timeOfDay(JsonObject body, String property) {
        String text = string(body, property, "");
        if (text.isEmpty()) {
            return null;
        }
        try {
            Duration duration = Duration.parse(text);
            return LocalTime.ofSecondOfDay(duration.getSeconds() % 86_400);
        } catch (DateTimeParseException e) {
            throw ODataError.invalid(property, "Property " + property + " is not an Edm.Time: \"" + text
                + "\". Send an ISO-8601 duration such as \"PT14H05M09S\".");
        }
    }

    /** Reads an {@code Edm.Decimal} sent as a JSON string (SAP's form) or number; the fallback if absent. */
    public static BigDecimal decimal(JsonObject body, String property, BigDecimal fallback) {
        Object raw = body.getValue(property);
        if (raw == null || raw instanceof String && ((String) raw).isBlank()) {
            return fallback;
        }
        try {
            if (raw instanceof Number) {
                return new BigDecimal(raw.toString());
            }
            if (raw instanceof String) {
                return new BigDecimal(((String) raw).trim());
            }
        } catch (NumberFormatException e) {
            // reported below with the property's name
        }
        throw ODataError.invalid(property, "Property " + property + " must be a decimal number such as \"12.5\"; got "
            + raw + ".");
    }

    /** Reads a string property, trimmed; the fallback if absent or blank; numbers are accepted as their text. */
    public static String string(JsonObject body, String property, String fallback) {
        Object raw = body.getValue(property);
        if (raw == null) {
            return fallback;
        }
        if (raw instanceof JsonObject || raw instanceof JsonArray) {
            throw ODataError.invalid(property, "Property " + property + " must be a string, not a structure.");
        }
        String text = raw.toString().trim();
        return text.isEmpty() ? fallback : text;
    }

    /** Reads a string property that must be present and not blank. */
    public static String required(JsonObject body, String property, String entityType) {
        String value = string(body, property, "");
        if (value.isEmpty()) {
            throw ODataError.missing(property, entityType);
        }
        return value;
    }

    /** Reads a string property and refuses it if longer than SAP's field length. */
    public static String limited(JsonObject body, String property, String fallback, int maxLength) {
        String value = string(body, property, fallback);
        if (value != null && value.length() > maxLength) {
            throw ODataError.invalid(property, "Property " + property + " is longer than " + maxLength
                + " characters (\"" + value + "\"); shorten it.");
        }
        return value;
    }

    /** Reads an {@code Edm.Boolean}; {@code "X"}/{@code ""} (ABAP flags) are accepted too. */
    public static boolean bool(JsonObject body, String property, boolean fallback) {
        Object raw = body.getValue(property);
        if (raw == null) {
            return fallback;
        }
        if (raw instanceof Boolean) {
            return (Boolean) raw;
        }
        String text = raw.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equals("X")) {
            return true;
        }
        if (text.equalsIgnoreCase("false") || text.isEmpty()) {
            return false;
        }
        throw ODataError.invalid(property, "Property " + property + " must be true or false; got " + raw + ".");
    }

    /**
     * The entries of a deep-insert navigation property: SAP accepts both a plain JSON array and the
     * {@code {"results": [...]}} form it writes itself. Empty if absent.
     */
    public static JsonArray navigationEntries(JsonObject body, String property) {
        Object raw = body.getValue(property);
        if (raw == null) {
            return new JsonArray();
        }
        if (raw instanceof JsonArray) {
            return (JsonArray) raw;
        }
        if (raw instanceof JsonObject && ((JsonObject) raw).getValue("results") instanceof JsonArray) {
            return ((JsonObject) raw).getJsonArray("results");
        }
        throw ODataError.invalid(property, "Property " + property + " must be an array of entries or {\"results\": "
            + "[...]} for a deep insert.");
    }

    /** The n-th entry of a deep insert as an object. */
    public static JsonObject entry(JsonArray entries, int index, String property) {
        Object raw = entries.getValue(index);
        if (!(raw instanceof JsonObject)) {
            throw ODataError.invalid(property, "Entry " + (index + 1) + " of " + property + " must be a JSON object.");
        }
        return (JsonObject) raw;
    }

    /** Strips leading zeros of a numeric key ({@code "0000010000"} and {@code "10000"} name the same thing). */
    public static String withoutLeadingZeros(String key) {
        int i = 0;
        while (i < key.length() - 1 && key.charAt(i) == '0') {
            i++;
        }
        return key.substring(i);
    }
}
