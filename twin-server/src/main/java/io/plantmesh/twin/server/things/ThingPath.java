package io.plantmesh.twin.server.things;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.PathUnknownException;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.*;

/**
 * A resource inside a thing, addressed by a JSON pointer relative to the thing ({@code /}, {@code /attributes/a/b},
 * {@code /features/f/properties/p}, ...), classified into the kinds Ditto's API distinguishes. The kind decides which
 * of Ditto's error codes a failed access reports.
 */
public record ThingPath(Kind kind, JsonPointer pointer, String featureId, JsonPointer subPointer) {

    public enum Kind {
        THING, THING_ID, POLICY_ID, DEFINITION, ATTRIBUTES, ATTRIBUTE, FEATURES, FEATURE, FEATURE_DEFINITION,
        FEATURE_PROPERTIES, FEATURE_PROPERTY, FEATURE_DESIRED_PROPERTIES, FEATURE_DESIRED_PROPERTY
    }

    public static final ThingPath ROOT = new ThingPath(Kind.THING, JsonPointer.empty(), null, JsonPointer.empty());

    /** Classifies a pointer; throws Ditto's {@code PathUnknownException} (404) for anything a thing cannot have. */
    public static ThingPath of(JsonPointer pointer, DittoHeaders headers) {
        int levels = pointer.getLevelCount();
        if (levels == 0) {
            return ROOT;
        }
        String first = pointer.get(0).map(Object::toString).orElse("");
        switch (first) {
            case "thingId":
                if (levels == 1) return new ThingPath(Kind.THING_ID, pointer, null, JsonPointer.empty());
                break;
            case "policyId":
                if (levels == 1) return new ThingPath(Kind.POLICY_ID, pointer, null, JsonPointer.empty());
                break;
            case "definition":
                if (levels == 1) return new ThingPath(Kind.DEFINITION, pointer, null, JsonPointer.empty());
                break;
            case "attributes":
                return levels == 1
                        ? new ThingPath(Kind.ATTRIBUTES, pointer, null, JsonPointer.empty())
                        : new ThingPath(Kind.ATTRIBUTE, pointer, null, pointer.nextLevel());
            case "features":
                return featurePath(pointer, headers);
            default:
                break;
        }
        throw unknown(pointer, headers);
    }

    private static ThingPath featurePath(JsonPointer pointer, DittoHeaders headers) {
        int levels = pointer.getLevelCount();
        if (levels == 1) {
            return new ThingPath(Kind.FEATURES, pointer, null, JsonPointer.empty());
        }
        String featureId = pointer.get(1).orElseThrow().toString();
        if (levels == 2) {
            return new ThingPath(Kind.FEATURE, pointer, featureId, JsonPointer.empty());
        }
        String section = pointer.get(2).orElseThrow().toString();
        JsonPointer rest = pointer.getSubPointer(3).orElse(JsonPointer.empty());
        boolean leaf = levels == 3;
        switch (section) {
            case "definition":
                if (leaf) return new ThingPath(Kind.FEATURE_DEFINITION, pointer, featureId, rest);
                break;
            case "properties":
                return new ThingPath(leaf ? Kind.FEATURE_PROPERTIES : Kind.FEATURE_PROPERTY, pointer, featureId, rest);
            case "desiredProperties":
                return new ThingPath(leaf ? Kind.FEATURE_DESIRED_PROPERTIES : Kind.FEATURE_DESIRED_PROPERTY, pointer,
                        featureId, rest);
            default:
                break;
        }
        throw unknown(pointer, headers);
    }

    private static DittoRuntimeException unknown(JsonPointer pointer, DittoHeaders headers) {
        return PathUnknownException.newBuilder(pointer)
                .description("A thing has only thingId, policyId, definition, attributes[/...] and "
                        + "features[/<id>[/definition|/properties[/...]|/desiredProperties[/...]]]. Check the path.")
                .dittoHeaders(headers)
                .build();
    }

    /** The pointer of the feature this path is inside of, if any. */
    public JsonPointer featurePointer() {
        return JsonFactory.newPointer(JsonKey.of("features"), JsonKey.of(featureId));
    }

    public boolean isInsideFeature() {
        return featureId != null && kind != Kind.FEATURE;
    }

    /** The error for a resource that does not exist or that the requester may not read (both 404 in Ditto). */
    public DittoRuntimeException notAccessible(ThingId thingId, DittoHeaders headers) {
        DittoRuntimeException e = switch (kind) {
            case THING, THING_ID -> ThingNotAccessibleException.newBuilder(thingId).build();
            case POLICY_ID -> PolicyIdNotAccessibleException.newBuilder(thingId).build();
            case DEFINITION -> ThingDefinitionNotAccessibleException.newBuilder(thingId).build();
            case ATTRIBUTES -> AttributesNotAccessibleException.newBuilder(thingId).build();
            case ATTRIBUTE -> AttributeNotAccessibleException.newBuilder(thingId, subPointer).build();
            case FEATURES -> FeaturesNotAccessibleException.newBuilder(thingId).build();
            case FEATURE -> FeatureNotAccessibleException.newBuilder(thingId, featureId).build();
            case FEATURE_DEFINITION -> FeatureDefinitionNotAccessibleException.newBuilder(thingId, featureId).build();
            case FEATURE_PROPERTIES -> FeaturePropertiesNotAccessibleException.newBuilder(thingId, featureId).build();
            case FEATURE_PROPERTY -> FeaturePropertyNotAccessibleException.newBuilder(thingId, featureId, subPointer).build();
            case FEATURE_DESIRED_PROPERTIES ->
                    FeatureDesiredPropertiesNotAccessibleException.newBuilder(thingId, featureId).build();
            case FEATURE_DESIRED_PROPERTY ->
                    FeatureDesiredPropertyNotAccessibleException.newBuilder(thingId, featureId, subPointer).build();
        };
        return e.setDittoHeaders(headers);
    }

    /** The error for a write the requester is not allowed to make (403 in Ditto). */
    public DittoRuntimeException notModifiable(ThingId thingId, DittoHeaders headers) {
        DittoRuntimeException e = switch (kind) {
            case THING, THING_ID -> ThingNotModifiableException.newBuilder(thingId).build();
            case POLICY_ID -> PolicyIdNotModifiableException.newBuilder(thingId).build();
            case DEFINITION -> ThingDefinitionNotModifiableException.newBuilder(thingId).build();
            case ATTRIBUTES -> AttributesNotModifiableException.newBuilder(thingId).build();
            case ATTRIBUTE -> AttributeNotModifiableException.newBuilder(thingId, subPointer).build();
            case FEATURES -> FeaturesNotModifiableException.newBuilder(thingId).build();
            case FEATURE -> FeatureNotModifiableException.newBuilder(thingId, featureId).build();
            case FEATURE_DEFINITION -> FeatureDefinitionNotModifiableException.newBuilder(thingId, featureId).build();
            case FEATURE_PROPERTIES -> FeaturePropertiesNotModifiableException.newBuilder(thingId, featureId).build();
            case FEATURE_PROPERTY -> FeaturePropertyNotModifiableException.newBuilder(thingId, featureId, subPointer).build();
            case FEATURE_DESIRED_PROPERTIES ->
                    FeatureDesiredPropertiesNotModifiableException.newBuilder(thingId, featureId).build();
            case FEATURE_DESIRED_PROPERTY ->
                    FeatureDesiredPropertyNotModifiableException.newBuilder(thingId, featureId, subPointer).build();
        };
        return e.setDittoHeaders(headers);
    }
}
