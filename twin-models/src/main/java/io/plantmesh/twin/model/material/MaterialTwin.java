package io.plantmesh.twin.model.material;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.PlantThingId;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.json.TwinJson;
import io.plantmesh.twin.model.json.TwinJson.Node;

/**
 * Typed view of a material twin (definition {@code io.plantmesh:material:1.0.0}): stock of one material at one plant
 * and storage location, in its base unit. Round-trips every value it models.
 *
 * @param reorderPoint null if the material is not reordered automatically
 * @param reorderQuantity null if the material is not reordered automatically
 * @param requisitionsCreated how many requisitions the ERP bridge has created for the material (derives the next
 * requisition's idempotency key)
 * @param requisitionsReceived how many of them were received
 */
public record MaterialTwin(ThingId id, String materialNumber, String unit, String plant, String storageLocation,
        Double reorderPoint, Double reorderQuantity, Stock stock, List<Requisition> openRequisitions,
        long requisitionsCreated, long requisitionsReceived) {

    public static final String STOCK = "stock";
    public static final String PROCUREMENT = "procurement";

    public MaterialTwin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(materialNumber, "materialNumber");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(plant, "plant");
        Objects.requireNonNull(storageLocation, "storageLocation");
        Objects.requireNonNull(stock, "stock");
        openRequisitions = openRequisitions == null ? List.of() : List.copyOf(openRequisitions);
    }

    /** A material without requisition counts. */
    public MaterialTwin(final ThingId id, final String materialNumber, final String unit, final String plant,
            final String storageLocation, final Double reorderPoint, final Double reorderQuantity, final Stock stock,
            final List<Requisition> openRequisitions) {
        this(id, materialNumber, unit, plant, storageLocation, reorderPoint, reorderQuantity, stock, openRequisitions,
                0, 0);
    }

    /**
     * A material with no stock and no requisitions; the material number is taken from the id
     * ({@code plant1:mat-RAW-1001} has material number {@code RAW-1001}).
     *
     * @throws io.plantmesh.twin.model.InvalidPlantThingIdException if {@code id} is not a material id
     */
    public static MaterialTwin initial(final ThingId id, final String unit, final String plant,
            final String storageLocation, final Double reorderPoint, final Double reorderQuantity) {
        final PlantThingId parsed = PlantThingIds.parse(id, TwinKind.MATERIAL);
        return new MaterialTwin(id, parsed.key(), unit, plant, storageLocation, reorderPoint, reorderQuantity,
                Stock.EMPTY, List.of());
    }

    /** Reads a material twin. @throws io.plantmesh.twin.model.TwinFormatException naming the offending path */
    public static MaterialTwin fromThing(final Thing thing) {
        final ThingId id = TwinJson.requireKind(thing, TwinKind.MATERIAL);
        final Node attributes = TwinJson.attributes(thing);
        return new MaterialTwin(id,
                attributes.text("materialNumber"),
                attributes.text("unit"),
                attributes.text("plant"),
                attributes.text("storageLocation"),
                attributes.optNumber("reorderPoint").orElse(null),
                attributes.optNumber("reorderQuantity").orElse(null),
                Stock.fromJson(TwinJson.properties(thing, STOCK)),
                TwinJson.properties(thing, PROCUREMENT).objects("openRequisitions").stream()
                        .map(Requisition::fromJson).toList(),
                TwinJson.properties(thing, PROCUREMENT).optInteger("requisitionsCreated").orElse(0L),
                TwinJson.properties(thing, PROCUREMENT).optInteger("requisitionsReceived").orElse(0L));
    }

    public Thing toThing() {
        final JsonObject attributes = TwinJson.object()
                .put("materialNumber", materialNumber)
                .put("unit", unit)
                .put("plant", plant)
                .put("storageLocation", storageLocation)
                .put("reorderPoint", reorderPoint)
                .put("reorderQuantity", reorderQuantity)
                .build();
        return TwinJson.thing(id, TwinKind.MATERIAL, attributes, List.of(
                TwinJson.feature(STOCK, stock.toJson(), null),
                TwinJson.feature(PROCUREMENT, TwinJson.object()
                        .putArray("openRequisitions", openRequisitions, Requisition::toJson)
                        .put("requisitionsCreated", requisitionsCreated)
                        .put("requisitionsReceived", requisitionsReceived).build(), null)));
    }

    /** True when available stock is at or below the reorder point and nothing is on order yet. */
    public boolean needsReorder() {
        final boolean reordered = reorderPoint != null && reorderQuantity != null;
        return reordered && stock.available() <= reorderPoint && openRequisitions.isEmpty();
    }

    public MaterialTwin withStock(final Stock newStock) {
        return new MaterialTwin(id, materialNumber, unit, plant, storageLocation, reorderPoint, reorderQuantity,
                newStock, openRequisitions, requisitionsCreated, requisitionsReceived);
    }

    public MaterialTwin withOpenRequisitions(final List<Requisition> newRequisitions) {
        return new MaterialTwin(id, materialNumber, unit, plant, storageLocation, reorderPoint, reorderQuantity, stock,
                newRequisitions, requisitionsCreated, requisitionsReceived);
    }

    /** The same material with other requisition counts. */
    public MaterialTwin withRequisitionCounts(final long created, final long received) {
        return new MaterialTwin(id, materialNumber, unit, plant, storageLocation, reorderPoint, reorderQuantity, stock,
                openRequisitions, created, received);
    }

    /** The {@code procurement} feature's properties. */
    public JsonObject procurementJson() {
        return TwinJson.object()
                .putArray("openRequisitions", openRequisitions, Requisition::toJson)
                .put("requisitionsCreated", requisitionsCreated)
                .put("requisitionsReceived", requisitionsReceived).build();
    }

    /** The last posted goods movement that changed the stock. */
    public record StockMovement(String document, String movementType, double quantity, Instant at) {

        public StockMovement {
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(movementType, "movementType");
            Objects.requireNonNull(at, "at");
        }

        JsonObject toJson() {
            return TwinJson.object().put("document", document).put("movementType", movementType)
                    .put("quantity", quantity).put("at", at).build();
        }

        static StockMovement fromJson(final Node node) {
            return new StockMovement(node.text("document"), node.text("movementType"), node.number("quantity"),
                    node.instant("at"));
        }
    }

    /**
     * {@code features/stock}. {@code available} is stored (search filters on it) and kept equal to
     * {@code onHand - reserved} by {@link #of}. @param lastMovement null before the first movement
     */
    public record Stock(double onHand, double reserved, double available, StockMovement lastMovement) {

        public static final Stock EMPTY = new Stock(0, 0, 0, null);

        public static Stock of(final double onHand, final double reserved, final StockMovement lastMovement) {
            return new Stock(onHand, reserved, onHand - reserved, lastMovement);
        }

        public JsonObject toJson() {
            return TwinJson.object()
                    .put("onHand", onHand)
                    .put("reserved", reserved)
                    .put("available", available)
                    .put("lastMovement", lastMovement == null ? null : lastMovement.toJson())
                    .build();
        }

        static Stock fromJson(final Node node) {
            return new Stock(node.number("onHand"), node.number("reserved"), node.number("available"),
                    node.optObject("lastMovement").map(StockMovement::fromJson).orElse(null));
        }
    }

    /**
     * An open purchase requisition. @param requestedAt null if unknown; @param key the idempotency key it was
     * created with, null if unknown
     */
    public record Requisition(String requisition, double quantity, Instant requestedAt, String key) {

        public Requisition {
            Objects.requireNonNull(requisition, "requisition");
        }

        /** A requisition recorded without its key. */
        public Requisition(final String requisition, final double quantity, final Instant requestedAt) {
            this(requisition, quantity, requestedAt, null);
        }

        JsonObject toJson() {
            return TwinJson.object().put("requisition", requisition).put("quantity", quantity)
                    .put("requestedAt", requestedAt).put("key", key).build();
        }

        static Requisition fromJson(final Node node) {
            return new Requisition(node.text("requisition"), node.number("quantity"),
                    node.optInstant("requestedAt").orElse(null), node.optText("key").orElse(null));
        }
    }
}
