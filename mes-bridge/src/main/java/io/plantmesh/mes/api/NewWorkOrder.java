package io.plantmesh.mes.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.validation.ModelViolation;
import io.plantmesh.twin.model.validation.ThingModelValidator;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin.BomItem;

/**
 * The body of {@code POST /work-orders}, checked field by field; every problem is a 400 {@link ApiError} naming the
 * field and what it must be.
 *
 * @param id the order id, null to have the API pick the next free number
 */
record NewWorkOrder(ThingId id, String material, double quantity, Instant dueDate, ThingId line, int priority,
        String operation, String requiredCapability, List<BomItem> billOfMaterials) {

    /** Unit of a bill-of-materials item that names none. */
    static final String DEFAULT_UNIT = "PC";

    private static final Set<String> FIELDS = new TreeSet<>(Set.of("id", "material", "quantity", "dueDate", "line",
            "priority", "operation", "requiredCapability", "billOfMaterials"));
    private static final String SEE_SCHEMA = "Send a JSON object as described by the schema NewWorkOrder in "
            + MesApi.BASE_PATH + "/openapi.yaml.";

    NewWorkOrder {
        billOfMaterials = List.copyOf(billOfMaterials);
    }

    /**
     * Reads and checks a request body.
     *
     * @throws ApiError 400 naming the first field that is missing, mistyped or unknown
     */
    static NewWorkOrder parse(final String body) {
        final JsonObject json = object(body);
        for (final JsonKey key : json.getKeys()) {
            if (!FIELDS.contains(key.toString())) {
                throw ApiError.badRequest("Unknown field '" + key + "'; a new work order has the fields " + FIELDS
                        + ".", SEE_SCHEMA);
            }
        }
        final ThingId id = optText(json, "id").map(text -> workOrderId(text, "id")).orElse(null);
        final String material = text(json, "material");
        final double quantity = number(json, "quantity");
        final Instant dueDate = instant(json, "dueDate");
        final ThingId line = lineId(text(json, "line"), "line");
        final int priority = optInteger(json, "priority").orElse(WorkOrderTwin.DEFAULT_PRIORITY);
        final String operation = optText(json, "operation").orElse(null);
        final String capability = optText(json, "requiredCapability").orElse(null);
        final List<BomItem> bom = new ArrayList<>();
        final Optional<JsonValue> bomJson = present(json, "billOfMaterials");
        if (bomJson.isPresent()) {
            if (!bomJson.get().isArray()) {
                throw ApiError.badRequest("Field 'billOfMaterials' must be an array of {material, quantity, unit}, "
                        + "was " + bomJson.get() + ".", SEE_SCHEMA);
            }
            int index = 0;
            for (final JsonValue item : bomJson.get().asArray()) {
                bom.add(bomItem(item, "billOfMaterials[" + index + "]"));
                index++;
            }
        }
        return new NewWorkOrder(id, material, quantity, dueDate, line, priority, operation, capability, bom);
    }

    /**
     * The RELEASED work order twin this request describes, checked against the work-order Thing Model.
     *
     * @throws ApiError 400 {@code mes:request.invalid} if the typed twin refuses a value (e.g. priority out of
     * 1..9), 400 {@code wot:payload.validation.error} with the validator's messages if the model does
     */
    WorkOrderTwin toTwin(final ThingId orderId, final Instant releasedAt) {
        final WorkOrderTwin twin;
        try {
            twin = WorkOrderTwin.initial(orderId, material, quantity, dueDate, line, priority, billOfMaterials,
                    releasedAt).withRouting(operation, requiredCapability);
        } catch (final IllegalArgumentException e) {
            throw ApiError.badRequest("The work order is invalid: " + e.getMessage() + ".", SEE_SCHEMA);
        }
        final Thing thing = twin.toThing();
        final List<ModelViolation> violations = ThingModelValidator.plantModels().validate(thing);
        if (!violations.isEmpty()) {
            throw ApiError.modelViolation(PlantDefinitions.WORK_ORDER.toString(), violations);
        }
        return twin;
    }

    /** A work order id such as {@code plant1:wo-000123}. @throws ApiError 400 naming {@code what} otherwise */
    static ThingId workOrderId(final String text, final String what) {
        try {
            return PlantThingIds.parse(text, TwinKind.WORK_ORDER).thingId();
        } catch (final IllegalArgumentException e) {
            throw ApiError.badRequest("'" + what + "' is not a work order id: " + e.getMessage(),
                    "Work order ids look like plant1:wo-000123 (<plant>:wo- and 6 to 12 digits).");
        }
    }

    /** A line id such as {@code plant1:line-1}. @throws ApiError 400 naming {@code what} otherwise */
    static ThingId lineId(final String text, final String what) {
        try {
            return PlantThingIds.parse(text, TwinKind.LINE).thingId();
        } catch (final IllegalArgumentException e) {
            throw ApiError.badRequest("'" + what + "' is not a line id: " + e.getMessage(),
                    "Line ids look like plant1:line-1 (<plant>:line- and a number).");
        }
    }

    private static JsonObject object(final String body) {
        final boolean empty = body == null || body.isBlank();
        if (empty) {
            throw ApiError.badRequest("The request has no body; a new work order needs at least material, "
                    + "quantity, dueDate and line.", SEE_SCHEMA);
        }
        final JsonValue value;
        try {
            value = JsonFactory.readFrom(body);
        } catch (final RuntimeException e) {
            throw ApiError.badRequest("The request body is not valid JSON: " + e.getMessage(), SEE_SCHEMA);
        }
        if (!value.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object, was " + value + ".", SEE_SCHEMA);
        }
        return value.asObject();
    }

    private static BomItem bomItem(final JsonValue item, final String path) {
        if (!item.isObject()) {
            throw ApiError.badRequest("'" + path + "' must be an object {material, quantity, unit}, was " + item
                    + ".", SEE_SCHEMA);
        }
        final JsonObject json = item.asObject();
        for (final JsonKey key : json.getKeys()) {
            final boolean known = Set.of("material", "quantity", "unit").contains(key.toString());
            if (!known) {
                throw ApiError.badRequest("Unknown field '" + path + "." + key + "'; a bill-of-materials item has "
                        + "the fields [material, quantity, unit].", SEE_SCHEMA);
            }
        }
        return new BomItem(text(json, "material", path + ".material"), number(json, "quantity", path + ".quantity"),
                optText(json, "unit", path + ".unit").orElse(DEFAULT_UNIT));
    }

    private static Optional<JsonValue> present(final JsonObject json, final String key) {
        return json.getValue(JsonFactory.newKey(key)).filter(v -> !v.isNull());
    }

    private static String text(final JsonObject json, final String key) {
        return text(json, key, key);
    }

    private static String text(final JsonObject json, final String key, final String path) {
        return optText(json, key, path).orElseThrow(() -> ApiError.badRequest("Field '" + path
                + "' is missing; it must be a non-empty string.", SEE_SCHEMA));
    }

    private static Optional<String> optText(final JsonObject json, final String key) {
        return optText(json, key, key);
    }

    private static Optional<String> optText(final JsonObject json, final String key, final String path) {
        return present(json, key).map(v -> {
            final boolean nonEmptyString = v.isString() && !v.asString().isBlank();
            if (!nonEmptyString) {
                throw ApiError.badRequest("Field '" + path + "' must be a non-empty string, was " + v + ".",
                        SEE_SCHEMA);
            }
            return v.asString().strip();
        });
    }

    private static double number(final JsonObject json, final String key) {
        return number(json, key, key);
    }

    private static double number(final JsonObject json, final String key, final String path) {
        final JsonValue v = present(json, key).orElseThrow(() -> ApiError.badRequest("Field '" + path
                + "' is missing; it must be a number.", SEE_SCHEMA));
        if (!v.isNumber()) {
            throw ApiError.badRequest("Field '" + path + "' must be a number, was " + v + ".", SEE_SCHEMA);
        }
        return v.asDouble();
    }

    private static Optional<Integer> optInteger(final JsonObject json, final String key) {
        return present(json, key).map(v -> {
            final boolean integral = v.isNumber() && v.asDouble() == Math.rint(v.asDouble())
                    && Math.abs(v.asDouble()) < Integer.MAX_VALUE;
            if (!integral) {
                throw ApiError.badRequest("Field '" + key + "' must be an integer, was " + v + ".", SEE_SCHEMA);
            }
            return (int) v.asDouble();
        });
    }

    private static Instant instant(final JsonObject json, final String key) {
        final String text = text(json, key);
        try {
            return Instant.parse(text);
        } catch (final DateTimeParseException e) {
            throw ApiError.badRequest("Field '" + key + "' must be an ISO-8601 date-time with offset, e.g. "
                    + "2026-12-01T16:00:00Z, was \"" + text + "\".", SEE_SCHEMA);
        }
    }
}
