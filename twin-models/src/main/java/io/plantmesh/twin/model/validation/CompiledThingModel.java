package io.plantmesh.twin.model.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Feature;
import org.eclipse.ditto.things.model.Features;
import org.eclipse.ditto.things.model.Thing;

/**
 * One PlantMesh WoT Thing Model, compiled once, checked against things many times.
 * <p>
 * Reading convention (documented in the module README): thing-level {@code properties} describe the Ditto
 * attributes; {@code pm:features} maps each Ditto feature id to {@code properties} (reported) and optional
 * {@code desiredProperties}, each a map of data schemas, with a {@code required} list for reported properties and
 * {@code desiredRequired} for desired ones; {@code tm:required} lists required attributes ({@code #/properties/x})
 * and required features ({@code #/pm:features/y}).
 */
final class CompiledThingModel {

    static final String TD_CONTEXT = "https://www.w3.org/2022/wot/td/v1.1";
    static final String FEATURES = "pm:features";

    private final String definition;
    private final DataSchema attributes;
    private final Map<String, FeatureSchema> features;
    private final List<String> requiredFeatures;

    private record FeatureSchema(DataSchema properties, DataSchema desiredProperties) {
    }

    private CompiledThingModel(final String definition, final DataSchema attributes,
            final Map<String, FeatureSchema> features, final List<String> requiredFeatures) {
        this.definition = definition;
        this.attributes = attributes;
        this.features = features;
        this.requiredFeatures = requiredFeatures;
    }

    /**
     * Compiles a Thing Model.
     *
     * @param definition the Ditto definition id it is registered under; its version must equal the TM's
     * {@code version.model}
     * @throws IllegalStateException if the TM is malformed
     */
    static CompiledThingModel compile(final String definition, final JsonObject tm) {
        final String where = definition;
        final boolean isThingModel = tm.getValue("@type").filter(JsonValue::isString)
                .map(t -> "tm:ThingModel".equals(t.asString())).orElse(false);
        DataSchema.requireThat(isThingModel, where + ": @type must be tm:ThingModel");
        DataSchema.requireThat(TD_CONTEXT.equals(firstContext(tm)), where + ": @context must start with "
                + TD_CONTEXT);
        final String modelVersion = tm.getValue("version/model").filter(JsonValue::isString)
                .map(JsonValue::asString).orElse("<missing>");
        DataSchema.requireThat(definition.endsWith(":" + modelVersion), where + ": version.model " + modelVersion
                + " does not match the definition");

        final List<String> requiredAttributes = new ArrayList<>();
        final List<String> requiredFeatures = new ArrayList<>();
        for (final String pointer : tm.getValue("tm:required").map(v -> DataSchema.texts(v, where + "/tm:required"))
                .orElse(List.of())) {
            if (pointer.startsWith("#/properties/")) {
                requiredAttributes.add(pointer.substring("#/properties/".length()));
            } else if (pointer.startsWith("#/" + FEATURES + "/")) {
                requiredFeatures.add(pointer.substring(("#/" + FEATURES + "/").length()));
            } else {
                DataSchema.requireThat(false, where + "/tm:required entry '" + pointer
                        + "' is neither #/properties/<attribute> nor #/pm:features/<feature>");
            }
        }
        final Map<String, DataSchema> attributeSchemas = DataSchema.compileProperties(tm, "properties", where);
        for (final String name : requiredAttributes) {
            DataSchema.requireThat(attributeSchemas.containsKey(name), where + ": required attribute '" + name
                    + "' is not described in properties");
        }

        final Map<String, FeatureSchema> features = new LinkedHashMap<>();
        tm.getValue(FEATURES).ifPresent(v -> {
            DataSchema.requireThat(v.isObject(), where + "/" + FEATURES + " must be an object");
            for (final JsonField field : v.asObject()) {
                final String featureId = field.getKeyName();
                final String featureWhere = where + "/" + FEATURES + "/" + featureId;
                DataSchema.requireThat(field.getValue().isObject(), featureWhere + " must be an object");
                final JsonObject feature = field.getValue().asObject();
                final DataSchema desired = feature.contains("desiredProperties")
                        ? objectSchema(feature, "desiredProperties", "desiredRequired", featureWhere)
                        : null;
                features.put(featureId, new FeatureSchema(
                        objectSchema(feature, "properties", "required", featureWhere), desired));
            }
        });
        for (final String featureId : requiredFeatures) {
            DataSchema.requireThat(features.containsKey(featureId), where + ": required feature '" + featureId
                    + "' is not described in " + FEATURES);
        }
        return new CompiledThingModel(definition, DataSchema.objectOf(attributeSchemas, requiredAttributes),
                Map.copyOf(features), List.copyOf(requiredFeatures));
    }

    String definition() {
        return definition;
    }

    /** Adds every violation of the thing against this model. */
    void validate(final Thing thing, final List<ModelViolation> out) {
        final JsonObject attributeJson = thing.getAttributes().map(JsonObject.class::cast)
                .orElse(JsonFactory.newObject());
        attributes.validateObject(attributeJson, "/attributes", out);

        final Features thingFeatures = thing.getFeatures().orElse(null);
        for (final String featureId : requiredFeatures) {
            final boolean present = thingFeatures != null && thingFeatures.getFeature(featureId).isPresent();
            if (!present) {
                out.add(new ModelViolation("/features/" + DataSchema.escape(featureId), "required feature is missing"));
            }
        }
        if (thingFeatures == null) {
            return;
        }
        for (final Feature feature : thingFeatures) {
            final FeatureSchema schema = features.get(feature.getId());
            if (schema == null) {
                continue; // extra features are allowed: Ditto things are open
            }
            final String path = "/features/" + DataSchema.escape(feature.getId());
            schema.properties().validateObject(
                    feature.getProperties().map(JsonObject.class::cast).orElse(JsonFactory.newObject()),
                    path + "/properties", out);
            if (schema.desiredProperties() != null) {
                schema.desiredProperties().validateObject(
                        feature.getDesiredProperties().map(JsonObject.class::cast).orElse(JsonFactory.newObject()),
                        path + "/desiredProperties", out);
            }
        }
    }

    private static DataSchema objectSchema(final JsonObject feature, final String propertiesKey,
            final String requiredKey, final String where) {
        final Map<String, DataSchema> properties = DataSchema.compileProperties(feature, propertiesKey, where);
        final List<String> required = feature.getValue(requiredKey)
                .map(v -> DataSchema.texts(v, where + "/" + requiredKey)).orElse(List.of());
        for (final String name : required) {
            DataSchema.requireThat(properties.containsKey(name), where + "/" + requiredKey + " names '" + name
                    + "' which is not in " + propertiesKey);
        }
        return DataSchema.objectOf(properties, required);
    }

    private static String firstContext(final JsonObject tm) {
        final JsonValue context = tm.getValue("@context").orElse(JsonValue.nullLiteral());
        if (context.isString()) {
            return context.asString();
        }
        if (context.isArray() && !context.asArray().isEmpty()) {
            return context.asArray().get(0).filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
        }
        return null;
    }
}
