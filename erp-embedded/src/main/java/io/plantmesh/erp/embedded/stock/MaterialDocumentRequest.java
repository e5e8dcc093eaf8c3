package io.plantmesh.erp.embedded.stock;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.plantmesh.erp.embedded.odata.ODataError;
import io.plantmesh.erp.embedded.odata.ODataValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A goods movement to post: the body of a POST to {@code A_MaterialDocumentHeader} with its items deep-inserted in
 * {@code to_MaterialDocumentItem}, checked for everything that needs no master data.
 *
 * @param postingDate the posting date, or null for the day of posting
 * @param documentDate the document date, or null for the posting date
 * @param goodsMovementCode SAP's {@code GoodsMovementCode}
 * @param headerText {@code MaterialDocumentHeaderText}
 * @param referenceDocument {@code ReferenceDocument}
 * @param items at least one item
 */
public record MaterialDocumentRequest(LocalDate postingDate, LocalDate documentDate, String goodsMovementCode,
        String headerText, String referenceDocument, List<Item> items) {

    static final String HEADER_TYPE = "A_MaterialDocumentHeaderType";
    static final String ITEM_TYPE = "A_MaterialDocumentItemType";
    private static final Set<String> CODES = Set.of("01", "02", "03", "04", "05", "06", "07");
    private static final int MAX_ITEMS = 999;

    /**
     * One item.
     *
     * @param storageLocation null for the material's default storage location
     * @param entryUnit null for the material's base unit
     */
    public record Item(String material, String plant, String storageLocation, GoodsMovementType type,
            BigDecimal quantity, String entryUnit, String manufacturingOrder, String manufacturingOrderItem,
            String purchaseOrder, String purchaseOrderItem, String costCenter, String goodsMovementRefDocType,
            String text) {

        public Item {
            Objects.requireNonNull(material, "material");
            Objects.requireNonNull(plant, "plant");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(quantity, "quantity");
        }

        /** An item without order, cost centre or text. */
        public static Item of(String material, String plant, String storageLocation, GoodsMovementType type,
                BigDecimal quantity) {
            return new Item(material, plant, storageLocation, type, quantity, null, "", "", "", "", "", "", "");
        }
    }

    public MaterialDocumentRequest {
        Objects.requireNonNull(goodsMovementCode, "goodsMovementCode");
        items = List.copyOf(items);
    }

    /** Reads and checks a request body; 400 naming the property for anything wrong. */
    public static MaterialDocumentRequest parse(JsonObject body) {
        String code = ODataValues.required(body, "GoodsMovementCode", HEADER_TYPE);
        if (!CODES.contains(code)) {
            throw ODataError.invalid("GoodsMovementCode", "GoodsMovementCode " + code + " does not exist; SAP's codes "
                + "are 01 (GR for purchase order), 02 (GR for production order), 03 (goods issue), 04 (transfer "
                + "posting), 05 (other goods receipt), 06 (reversal), 07 (subsequent adjustment).");
        }
        LocalDate postingDate = ODataValues.day(body, "PostingDate", null);
        LocalDate documentDate = ODataValues.day(body, "DocumentDate", null);
        String headerText = ODataValues.limited(body, "MaterialDocumentHeaderText", "", 25);
        String reference = ODataValues.limited(body, "ReferenceDocument", "", 16);
        JsonArray entries = ODataValues.navigationEntries(body, "to_MaterialDocumentItem");
        if (entries.isEmpty()) {
            throw ODataError.invalid("to_MaterialDocumentItem", "A material document needs at least one item: send "
                + "them in to_MaterialDocumentItem (deep insert).");
        }
        if (entries.size() > MAX_ITEMS) {
            throw ODataError.invalid("to_MaterialDocumentItem", "A material document has at most " + MAX_ITEMS
                + " items; split the posting.");
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            items.add(item(ODataValues.entry(entries, i, "to_MaterialDocumentItem"), code, i + 1));
        }
        return new MaterialDocumentRequest(postingDate, documentDate, code, headerText, reference, items);
    }

    private static Item item(JsonObject json, String code, int number) {
        String where = " (item " + number + ")";
        String material = ODataValues.limited(json, "Material", "", 40);
        if (material.isEmpty()) {
            throw ODataError.missing("Material", ITEM_TYPE + where);
        }
        String plant = ODataValues.limited(json, "Plant", "", 40);
        if (plant.isEmpty()) {
            throw ODataError.missing("Plant", ITEM_TYPE + where);
        }
        String typeCode = ODataValues.required(json, "GoodsMovementType", ITEM_TYPE + where);
        GoodsMovementType type = GoodsMovementType.ofCode(typeCode);
        if (type == null) {
            throw ODataError.badRequest(ODataError.UNSUPPORTED, "Movement type " + typeCode + where + " is not "
                + "posted by the PlantMesh embedded ERP; it posts " + GoodsMovementType.served() + ".");
        }
        if (!type.allowedWith(code)) {
            throw ODataError.invalid("GoodsMovementType", "Movement type " + typeCode + where + " cannot be posted "
                + "with GoodsMovementCode " + code + "; use GoodsMovementCode " + type.goodsMovementCodes() + ".");
        }
        BigDecimal quantity = ODataValues.decimal(json, "QuantityInEntryUnit", null);
        if (quantity == null) {
            throw ODataError.missing("QuantityInEntryUnit", ITEM_TYPE + where);
        }
        if (quantity.signum() <= 0) {
            throw ODataError.invalid("QuantityInEntryUnit", "QuantityInEntryUnit" + where + " must be greater than "
                + "zero, got " + quantity.toPlainString() + "; the movement type gives the direction.");
        }
        if (quantity.stripTrailingZeros().scale() > ODataValues.QUANTITY_SCALE) {
            throw ODataError.invalid("QuantityInEntryUnit", "QuantityInEntryUnit" + where + " has more than "
                + ODataValues.QUANTITY_SCALE + " decimals: " + quantity.toPlainString() + ".");
        }
        String batch = ODataValues.string(json, "Batch", "");
        if (!batch.isEmpty()) {
            throw ODataError.badRequest(ODataError.UNSUPPORTED, "Batch " + batch + where + ": the PlantMesh embedded "
                + "ERP keeps no batches; leave Batch empty.");
        }
        String stockType = ODataValues.string(json, "InventoryStockType", "01");
        String specialStock = ODataValues.string(json, "InventorySpecialStockType", "");
        boolean unrestricted = stockType.equals("01") && specialStock.isEmpty();
        if (!unrestricted) {
            throw ODataError.badRequest(ODataError.UNSUPPORTED, "Stock type " + stockType + "/special stock '"
                + specialStock + "'" + where + ": the PlantMesh embedded ERP keeps unrestricted-use stock (01) only.");
        }
        String order = ODataValues.limited(json, "ManufacturingOrder", "", 40);
        if (type.needsManufacturingOrder(code) && order.isEmpty()) {
            throw ODataError.missing("ManufacturingOrder", ITEM_TYPE + where + " with movement type " + typeCode);
        }
        String purchaseOrder = ODataValues.limited(json, "PurchaseOrder", "", 10);
        if (type.needsPurchaseOrder(code) && purchaseOrder.isEmpty()) {
            throw ODataError.missing("PurchaseOrder", ITEM_TYPE + where + " with movement type " + typeCode
                + " and GoodsMovementCode 01");
        }
        String refDocType = ODataValues.limited(json, "GoodsMovementRefDocType", "", 1);
        if (refDocType.isEmpty()) {
            refDocType = code.equals("02") ? "F" : code.equals("01") ? "B" : "";
        }
        return new Item(material, plant, ODataValues.limited(json, "StorageLocation", null, 10), type, quantity,
            ODataValues.limited(json, "EntryUnit", null, 3), order,
            ODataValues.limited(json, "ManufacturingOrderItem", "", 4), purchaseOrder,
            ODataValues.limited(json, "PurchaseOrderItem", "", 5), ODataValues.limited(json, "CostCenter", "", 20),
            refDocType, ODataValues.limited(json, "MaterialDocumentItemText", "", 50));
    }
}
