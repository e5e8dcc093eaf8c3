package io.plantmesh.twin.model.json;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.FeatureProperties;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingDefinition;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.TwinFormatException;
import io.plantmesh.twin.model.TwinKind;

/**
 * Reading and writing the JSON of the typed twin views. Support code for this module's records, so that they read
 * modelled values by name and fail with a {@link TwinFormatException} that names the JSON pointer; business code
 * uses the records, not this class.
 */
public final class TwinJson {

    private TwinJson() {
    }

    // ---- reading a thing ----

    /** Checks that the thing declares the current definition of the kind. */
    public static ThingId requireKind(final Thing thing, final TwinKind kind) {
        final ThingDefinition expected = PlantDefinitions.definitionOf(kind);
        final String actual = thing.getDefinition().map(Object::toString).orElse("<none>");
        if (!expected.toString().equals(actual)) {
            throw new TwinFormatException("/definition: expected " + expected + " but was " + actual);
        }
        return thing.getEntityId().orElseThrow(() -> new TwinFormatException("/thingId: missing"));
    }

    /** The attributes object, empty if absent. */
    public static Node attributes(final Thing thing) {
        return new Node(thing.getAttributes().map(JsonObject.class::cast).orElse(JsonFactory.newObject()),
                "/attributes");
    }

    /** The reported properties of a feature, empty if the feature or its properties are absent. */
    public static Node properties(final Thing thing, final String featureId) {
        final JsonObject props = thing.getFeatures()
                .flatMap(features -> features.getFeature(featureId))
                .flatMap(Feature::getProperties)
                .map(JsonObject.class::cast)
                .orElse(JsonFactory.newObject());
        return new Node(props, "/features/" + featureId + "/properties");
    }

    /** The desired properties of a feature, empty if the feature or its desired properties are absent. */
    public static Node desiredProperties(final Thing thing, final String featureId) {
        final JsonObject props = thing.getFeatures()
                .flatMap(features -> features.getFeature(featureId))
                .flatMap(Feature::getDesiredProperties)
                .map(JsonObject.class::cast)
                .orElse(JsonFactory.newObject());
        return new Node(props, "/features/" + featureId + "/desiredProperties");
    }

    /** A JSON object plus its pointer, for error messages. */
    public record Node(JsonObject json, String path) {

        public String text(final String key) {
            return optText(key).orElseThrow(() -> missing(key));
        }

        public Optional<String> optText(final String key) {
            return value(key).map(v -> {
                if (!v.isString()) {
                    throw wrongType(key, "a string", v);
                }
                return v.asString();
            });
        }

        public long integer(final String key) {
            return optInteger(key).orElseThrow(() -> missing(key));
        }

        public Optional<Long> optInteger(final String key) {
            return value(key).map(v -> {
                final boolean integral = v.isNumber() && v.asDouble() == Math.rint(v.asDouble());
                if (!integral) {
                    throw wrongType(key, "an integer", v);
                }
                return v.asLong();
            });
        }

        public double number(final String key) {
            return optNumber(key).orElseThrow(() -> missing(key));
        }

        public Optional<Double> optNumber(final String key) {
            return value(key).map(v -> {
                if (!v.isNumber()) {
                    throw wrongType(key, "a number", v);
                }
                return v.asDouble();
            });
        }

        public Optional<Boolean> optBoolean(final String key) {
            return value(key).map(v -> {
                if (!v.isBoolean()) {
                    throw wrongType(key, "a boolean", v);
                }
                return v.asBoolean();
            });
        }

        public Instant instant(final String key) {
            return optInstant(key).orElseThrow(() -> missing(key));
        }

        public Optional<Instant> optInstant(final String key) {
            return optText(key).map(text -> {
                try {
                    return Instant.parse(text);
                } catch (final DateTimeParseException e) {
                    throw new TwinFormatException(path + "/" + key + ": '" + text + "' is not an ISO-8601 instant");
                }
            });
        }

        public ThingId thingId(final String key) {
            return optThingId(key).orElseThrow(() -> missing(key));
        }

        public Optional<ThingId> optThingId(final String key) {
            return optText(key).map(text -> {
                try {
                    return ThingId.of(text);
                } catch (final RuntimeException e) {
                    throw new TwinFormatException(path + "/" + key + ": '" + text + "' is not a thing id");
                }
            });
        }

        public <E extends Enum<E>> E enumValue(final String key, final Class<E> type) {
            final String text = text(key);
            try {
                return Enum.valueOf(type, text);
            } catch (final IllegalArgumentException e) {
                throw new TwinFormatException(path + "/" + key + ": '" + text + "' is not a " + type.getSimpleName());
            }
        }

        public Optional<Node> optObject(final String key) {
            return value(key).map(v -> {
                if (!v.isObject()) {
                    throw wrongType(key, "an object", v);
                }
                return new Node(v.asObject(), path + "/" + key);
            });
        }

        /** The elements of an array, each read by {@code reader(element, elementPath)}; empty list if absent. */
        public <T> List<T> list(final String key, final BiFunction<JsonValue, String, T> reader) {
            final Optional<JsonValue> value = value(key);
            if (value.isEmpty()) {
                return List.of();
            }
            if (!value.get().isArray()) {
                throw wrongType(key, "an array", value.get());
            }
            final JsonArray array = value.get().asArray();
            final List<T> out = new ArrayList<>(array.getSize());
            for (int i = 0; i < array.getSize(); i++) {
                out.add(reader.apply(array.get(i).orElseThrow(), path + "/" + key + "/" + i));
            }
            return List.copyOf(out);
        }

        /** Object elements of an array as nodes; empty list if absent. */
        public List<Node> objects(final String key) {
            return list(key, (v, p) -> {
                if (!v.isObject()) {
                    throw new TwinFormatException(p + ": must be an object but was " + v);
                }
                return new Node(v.asObject(), p);
            });
        }

        /** String elements of an array; empty list if absent. */
        public List<String> texts(final String key) {
            return list(key, (v, p) -> {
                if (!v.isString()) {
                    throw new TwinFormatException(p + ": must be a string but was " + v);
                }
                return v.asString();
            });
        }

        private Optional<JsonValue> value(final String key) {
            // a JSON null counts as absent: Ditto merge patches use null to delete
            return json.getValue(JsonFactory.newKey(key)).filter(v -> !v.isNull());
        }

        private TwinFormatException missing(final String key) {
            return new TwinFormatException(path + "/" + key + ": required value is missing");
        }

        private TwinFormatException wrongType(final String key, final String expected, final JsonValue actual) {
            return new TwinFormatException(path + "/" + key + ": must be " + expected + " but was " + actual);
        }
    }

    // ---- writing ----

    /** A JSON object builder that skips null values, so optional record components simply stay absent. */
    public static final class ObjectWriter {

        private final JsonObjectBuilder builder = JsonFactory.newObjectBuilder();

        public ObjectWriter put(final String key, final String value) {
            if (value != null) {
                builder.set(JsonFactory.newKey(key), JsonValue.of(value));
            }
            return this;
        }

        public ObjectWriter put(final String key, final Long value) {
            if (value != null) {
                builder.set(JsonFactory.newKey(key), JsonValue.of(value.longValue()));
            }
            return this;
        }

        public ObjectWriter put(final String key, final Double value) {
            if (value != null) {
                builder.set(JsonFactory.newKey(key), JsonValue.of(value.doubleValue()));
            }
            return this;
        }

        public ObjectWriter put(final String key, final Boolean value) {
            if (value != null) {
                builder.set(JsonFactory.newKey(key), JsonValue.of(value.booleanValue()));
            }
            return this;
        }

        public ObjectWriter put(final String key, final Instant value) {
            return put(key, value == null ? null : value.toString());
        }

        public ObjectWriter put(final String key, final ThingId value) {
            return put(key, value == null ? null : value.toString());
        }

        public ObjectWriter put(final String key, final Enum<?> value) {
            return put(key, value == null ? null : value.name());
        }

        public ObjectWriter put(final String key, final JsonValue value) {
            if (value != null) {
                builder.set(JsonFactory.newKey(key), value);
            }
            return this;
        }

        public <T> ObjectWriter putArray(final String key, final List<T> values,
                final java.util.function.Function<T, JsonValue> writer) {
            if (values != null) {
                final JsonArrayBuilder array = JsonFactory.newArrayBuilder();
                values.forEach(v -> array.add(writer.apply(v)));
                builder.set(JsonFactory.newKey(key), array.build());
            }
            return this;
        }

        public JsonObject build() {
            return builder.build();
        }
    }

    public static ObjectWriter object() {
        return new ObjectWriter();
    }

    /** A feature with reported properties and, if not null, desired properties. */
    public static Feature feature(final String id, final JsonObject properties, final JsonObject desired) {
        final FeatureProperties props = ThingsModelFactory.newFeatureProperties(properties);
        if (desired == null) {
            return ThingsModelFactory.newFeatureBuilder().properties(props).withId(id).build();
        }
        return ThingsModelFactory.newFeatureBuilder()
                .properties(props)
                .desiredProperties(ThingsModelFactory.newFeatureProperties(desired))
                .withId(id)
                .build();
    }

    /** Starts a thing with the current definition of the kind. */
    public static Thing thing(final ThingId id, final TwinKind kind, final JsonObject attributes,
            final List<Feature> features) {
        return ThingsModelFactory.newThingBuilder()
                .setId(id)
                .setDefinition(PlantDefinitions.definitionOf(kind))
                .setAttributes(ThingsModelFactory.newAttributes(attributes))
                .setFeatures(features)
                .build();
    }
}
