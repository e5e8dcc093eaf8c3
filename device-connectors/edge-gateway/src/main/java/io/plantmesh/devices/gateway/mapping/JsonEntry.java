package io.plantmesh.devices.gateway.mapping;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A JSON object of a mapping file, with its location ({@code cnc-spindle.json: nodes[3]}) so that every error says
 * which file and entry it is about. Unknown fields are errors: a misspelt {@code samplingInterval} must not silently
 * fall back to a default.
 */
final class JsonEntry {

    private final String location;
    private final JsonObject json;

    JsonEntry(final String location, final JsonObject json) {
        this.location = location;
        this.json = json;
    }

    String location() {
        return location;
    }

    MappingException error(final String what) {
        return new MappingException(location + ": " + what);
    }

    void allowOnly(final String... fields) {
        final Set<String> allowed = Set.of(fields);
        for (final String name : json.fieldNames()) {
            if (!allowed.contains(name)) {
                throw error("unknown field '" + name + "' (known: " + String.join(", ", new TreeSet<>(allowed))
                        + ")");
            }
        }
    }

    String text(final String field) {
        return optText(field).orElseThrow(() -> error("missing field '" + field + "'"));
    }

    Optional<String> optText(final String field) {
        final Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw error("field '" + field + "' must be a non-empty string, got " + value);
        }
        return Optional.of(text);
    }

    Optional<Double> optNumber(final String field) {
        final Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw error("field '" + field + "' must be a number, got " + value);
        }
        return Optional.of(number.doubleValue());
    }

    double number(final String field, final double defaultValue) {
        return optNumber(field).orElse(defaultValue);
    }

    <E extends Enum<E>> E enumValue(final String field, final Class<E> type, final E defaultValue) {
        final Optional<String> text = optText(field);
        if (text.isEmpty()) {
            if (defaultValue == null) {
                throw error("missing field '" + field + "'");
            }
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, text.get().toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            final String allowed = String.join(", ", Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
            throw error("field '" + field + "' is '" + text.get() + "', expected one of: " + allowed);
        }
    }

    Optional<JsonEntry> optObject(final String field) {
        final Object value = json.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonObject object)) {
            throw error("field '" + field + "' must be an object, got " + value);
        }
        return Optional.of(new JsonEntry(location + ": " + field, object));
    }

    List<JsonEntry> array(final String field, final boolean required) {
        final Object value = json.getValue(field);
        if (value == null) {
            if (required) {
                throw error("missing field '" + field + "'");
            }
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw error("field '" + field + "' must be an array, got " + value);
        }
        final java.util.ArrayList<JsonEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            final Object element = array.getValue(i);
            if (!(element instanceof JsonObject object)) {
                throw error(field + "[" + i + "] must be an object, got " + element);
            }
            entries.add(new JsonEntry(location + ": " + field + "[" + i + "]", object));
        }
        return entries;
    }

    JsonEntry describedAs(final String label) {
        return new JsonEntry(location + " (" + label + ")", json);
    }

    Set<String> fieldNames() {
        return json.fieldNames();
    }
}
