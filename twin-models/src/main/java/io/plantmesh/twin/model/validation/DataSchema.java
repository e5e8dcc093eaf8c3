package io.plantmesh.twin.model.validation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

/**
 * A compiled WoT data schema (the JSON-Schema subset that Thing Models use). Supported keywords: {@code type}
 * (boolean, integer, number, string, object, array, null; or an array of them), {@code enum}, {@code minimum},
 * {@code maximum}, {@code minLength}, {@code pattern}, {@code format} (date-time, date), {@code properties},
 * {@code required}, {@code additionalProperties} (a schema; unknown properties are otherwise allowed, as Ditto things
 * are open), {@code items}. Everything else (title, description, unit, ...) is documentation.
 * <p>
 * A JSON null counts as absent: it satisfies an optional property and violates a required one, the same way the
 * typed twin views read it.
 */
final class DataSchema {

    private static final Set<String> TYPES = Set.of("boolean", "integer", "number", "string", "object", "array", "null");
    private static final Set<String> FORMATS = Set.of("date-time", "date");

    private final Set<String> types;
    private final List<JsonValue> enumValues;
    private final Double minimum;
    private final Double maximum;
    private final Integer minLength;
    private final Pattern pattern;
    private final String format;
    private final Map<String, DataSchema> properties;
    private final List<String> required;
    private final DataSchema additionalProperties;
    private final DataSchema items;

    private DataSchema(final Set<String> types, final List<JsonValue> enumValues, final Double minimum,
            final Double maximum, final Integer minLength, final Pattern pattern, final String format,
            final Map<String, DataSchema> properties, final List<String> required,
            final DataSchema additionalProperties, final DataSchema items) {
        this.types = types;
        this.enumValues = enumValues;
        this.minimum = minimum;
        this.maximum = maximum;
        this.minLength = minLength;
        this.pattern = pattern;
        this.format = format;
        this.properties = properties;
        this.required = required;
        this.additionalProperties = additionalProperties;
        this.items = items;
    }

    /** An object schema from a property map and a required list, as used for attributes and feature properties. */
    static DataSchema objectOf(final Map<String, DataSchema> properties, final List<String> required) {
        return new DataSchema(Set.of("object"), List.of(), null, null, null, null, null, Map.copyOf(properties),
                List.copyOf(required), null, null);
    }

    /**
     * Compiles a data schema.
     *
     * @param where JSON pointer inside the Thing Model, for load errors
     * @throws IllegalStateException on a schema this class cannot honour (so a broken TM fails at load time)
     */
    static DataSchema compile(final JsonObject json, final String where) {
        final Set<String> types = json.getValue("type").map(t -> readTypes(t, where)).orElse(Set.of());
        final List<JsonValue> enumValues = json.getValue("enum")
                .map(v -> {
                    requireThat(v.isArray(), where + "/enum must be an array");
                    final List<JsonValue> values = new ArrayList<>();
                    v.asArray().forEach(values::add);
                    return List.copyOf(values);
                })
                .orElse(List.of());
        final Double minimum = json.getValue("minimum").map(v -> number(v, where + "/minimum")).orElse(null);
        final Double maximum = json.getValue("maximum").map(v -> number(v, where + "/maximum")).orElse(null);
        final Integer minLength = json.getValue("minLength").map(v -> (int) number(v, where + "/minLength"))
                .orElse(null);
        final Pattern pattern = json.getValue("pattern").map(v -> Pattern.compile(text(v, where + "/pattern")))
                .orElse(null);
        final String format = json.getValue("format").map(v -> text(v, where + "/format")).orElse(null);
        requireThat(format == null || FORMATS.contains(format), where + "/format '" + format + "' is not supported");
        final Map<String, DataSchema> properties = compileProperties(json, "properties", where);
        final List<String> required = json.getValue("required").map(v -> texts(v, where + "/required"))
                .orElse(List.of());
        for (final String name : required) {
            requireThat(properties.containsKey(name), where + "/required names '" + name
                    + "' which is not in properties");
        }
        final DataSchema additional = json.getValue("additionalProperties")
                .filter(JsonValue::isObject)
                .map(v -> compile(v.asObject(), where + "/additionalProperties"))
                .orElse(null);
        final DataSchema items = json.getValue("items")
                .map(v -> {
                    requireThat(v.isObject(), where + "/items must be one schema object");
                    return compile(v.asObject(), where + "/items");
                })
                .orElse(null);
        return new DataSchema(types, enumValues, minimum, maximum, minLength, pattern, format, properties, required,
                additional, items);
    }

    /** Compiles the schemas in {@code json[key]}, keeping their order; empty if absent. */
    static Map<String, DataSchema> compileProperties(final JsonObject json, final String key, final String where) {
        final Map<String, DataSchema> out = new LinkedHashMap<>();
        json.getValue(key).ifPresent(v -> {
            requireThat(v.isObject(), where + "/" + key + " must be an object");
            for (final JsonField field : v.asObject()) {
                final String name = field.getKeyName();
                requireThat(field.getValue().isObject(), where + "/" + key + "/" + name + " must be a schema object");
                out.put(name, compile(field.getValue().asObject(), where + "/" + key + "/" + name));
            }
        });
        return out;
    }

    /** Adds a violation for every way {@code value} breaks this schema; {@code path} is the value's pointer. */
    void validate(final JsonValue value, final String path, final List<ModelViolation> out) {
        if (value.isNull() && !types.contains("null")) {
            return; // absent; required-ness is checked by the enclosing object
        }
        final boolean typeMatches = types.isEmpty() || types.stream().anyMatch(t -> hasType(value, t));
        if (!typeMatches) {
            out.add(new ModelViolation(path, "must be " + describeTypes() + " but was " + describe(value)));
            return; // the other keywords would only repeat the type error
        }
        if (!enumValues.isEmpty() && !enumValues.contains(value)) {
            out.add(new ModelViolation(path, "must be one of " + enumText() + " but was " + value));
        }
        if (value.isNumber()) {
            validateNumber(value.asDouble(), path, out);
        }
        if (value.isString()) {
            validateString(value.asString(), path, out);
        }
        if (value.isObject()) {
            validateObject(value.asObject(), path, out);
        }
        if (value.isArray() && items != null) {
            final JsonArray array = value.asArray();
            for (int i = 0; i < array.getSize(); i++) {
                items.validate(array.get(i).orElseThrow(), path + "/" + i, out);
            }
        }
    }

    /** Validates an object's required and known properties; unknown ones pass unless additionalProperties says. */
    void validateObject(final JsonObject object, final String path, final List<ModelViolation> out) {
        for (final String name : required) {
            final boolean present = object.getValue(JsonFactory.newKey(name)).filter(v -> !v.isNull()).isPresent();
            if (!present) {
                out.add(new ModelViolation(path + "/" + escape(name), "required property is missing"));
            }
        }
        for (final JsonField field : object) {
            final String name = field.getKeyName();
            final DataSchema schema = properties.getOrDefault(name, additionalProperties);
            if (schema != null) {
                schema.validate(field.getValue(), path + "/" + escape(name), out);
            }
        }
    }

    private void validateNumber(final double number, final String path, final List<ModelViolation> out) {
        if (minimum != null && number < minimum) {
            out.add(new ModelViolation(path, "must be >= " + plain(minimum) + " but was " + plain(number)));
        }
        if (maximum != null && number > maximum) {
            out.add(new ModelViolation(path, "must be <= " + plain(maximum) + " but was " + plain(number)));
        }
    }

    private void validateString(final String text, final String path, final List<ModelViolation> out) {
        if (minLength != null && text.length() < minLength) {
            out.add(new ModelViolation(path, "must have at least " + minLength + " characters but was \"" + text
                    + "\""));
        }
        if (pattern != null && !pattern.matcher(text).find()) {
            out.add(new ModelViolation(path, "must match " + pattern.pattern() + " but was \"" + text + "\""));
        }
        if (format != null && !hasFormat(text)) {
            out.add(new ModelViolation(path, "must be an ISO-8601 " + format + " but was \"" + text + "\""));
        }
    }

    private boolean hasFormat(final String text) {
        try {
            if ("date-time".equals(format)) {
                Instant.parse(text); // the typed views read instants the same way
            } else {
                LocalDate.parse(text);
            }
            return true;
        } catch (final DateTimeParseException e) {
            return false;
        }
    }

    private static boolean hasType(final JsonValue value, final String type) {
        return switch (type) {
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            // 3 and 3.0 are both integers, as in JSON Schema
            case "integer" -> value.isNumber() && value.asDouble() == Math.rint(value.asDouble())
                    && !Double.isInfinite(value.asDouble());
            case "string" -> value.isString();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "null" -> value.isNull();
            default -> false;
        };
    }

    private String describeTypes() {
        return types.stream().sorted().map(t -> ("integer".equals(t) || "array".equals(t) || "object".equals(t)
                ? "an " : "a ") + t).collect(Collectors.joining(" or "));
    }

    private String enumText() {
        return enumValues.stream().map(v -> v.isString() ? v.asString() : v.toString())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static String describe(final JsonValue value) {
        final String kind;
        if (value.isString()) {
            kind = "string";
        } else if (value.isNumber()) {
            kind = "number";
        } else if (value.isBoolean()) {
            kind = "boolean";
        } else if (value.isArray()) {
            kind = "array";
        } else if (value.isObject()) {
            kind = "object";
        } else {
            kind = "null";
        }
        return kind + " " + value;
    }

    private static String plain(final double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    static String escape(final String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static Set<String> readTypes(final JsonValue t, final String where) {
        final List<String> names = t.isArray() ? texts(t, where + "/type") : List.of(text(t, where + "/type"));
        for (final String name : names) {
            requireThat(TYPES.contains(name), where + "/type '" + name + "' is not a WoT data schema type");
        }
        return Set.copyOf(names);
    }

    static String text(final JsonValue v, final String where) {
        requireThat(v.isString(), where + " must be a string");
        return v.asString();
    }

    static List<String> texts(final JsonValue v, final String where) {
        requireThat(v.isArray(), where + " must be an array of strings");
        final List<String> out = new ArrayList<>();
        v.asArray().forEach(e -> out.add(text(e, where)));
        return List.copyOf(out);
    }

    private static double number(final JsonValue v, final String where) {
        requireThat(v.isNumber(), where + " must be a number");
        return v.asDouble();
    }

    static void requireThat(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalStateException("Invalid Thing Model: " + message);
        }
    }
}
