package io.plantmesh.mes.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

/**
 * Builds the API's response objects: null values are left out, so optional fields are simply absent; whole numbers
 * are written without a fraction ({@code 100}, not {@code 100.0}).
 */
final class JsonOut {

    private final JsonObjectBuilder builder = JsonObject.newBuilder();

    static JsonOut object() {
        return new JsonOut();
    }

    JsonOut put(final String key, final Object value) {
        final JsonValue json = value(value);
        if (json != null) {
            // a JsonKey, unlike a plain string, is never read as a JSON pointer
            builder.set(JsonFactory.newKey(key), json);
        }
        return this;
    }

    JsonOut putArray(final String key, final List<?> values) {
        if (values != null) {
            builder.set(JsonFactory.newKey(key), array(values));
        }
        return this;
    }

    JsonObject build() {
        return builder.build();
    }

    static JsonArray array(final List<?> values) {
        return JsonFactory.newArrayBuilder(values.stream().map(JsonOut::value).map(v -> v == null
                ? JsonFactory.nullLiteral() : v).toList()).build();
    }

    /** A number as JSON: whole numbers without a fraction. */
    static JsonValue number(final double value) {
        final boolean whole = value == Math.rint(value) && Math.abs(value) < 1e15;
        return whole ? JsonValue.of((long) value) : JsonValue.of(value);
    }

    /** A number as B2MML writes it in a {@code QuantityString}: plain decimal, no exponent, no trailing zeros. */
    static String decimal(final double value) {
        final boolean whole = value == Math.rint(value) && Math.abs(value) < 1e15;
        return whole ? Long.toString((long) value) : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static JsonValue value(final Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof JsonValue json) {
            return json;
        }
        if (value instanceof JsonOut out) {
            return out.build();
        }
        if (value instanceof Double d) {
            return number(d);
        }
        if (value instanceof Float f) {
            return number(f);
        }
        if (value instanceof Long l) {
            return JsonValue.of(l.longValue());
        }
        if (value instanceof Integer i) {
            return JsonValue.of(i.intValue());
        }
        if (value instanceof Boolean b) {
            return JsonValue.of(b.booleanValue());
        }
        if (value instanceof Enum<?> e) {
            return JsonValue.of(e.name());
        }
        if (value instanceof Instant || value instanceof CharSequence || value instanceof JsonKey) {
            return JsonValue.of(value.toString());
        }
        if (value instanceof List<?> list) {
            return array(list);
        }
        // ThingId and other identifiers: their text
        return JsonValue.of(value.toString());
    }
}
