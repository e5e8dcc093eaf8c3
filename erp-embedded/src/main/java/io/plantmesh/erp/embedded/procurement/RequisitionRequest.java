package io.plantmesh.erp.embedded.procurement;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.plantmesh.erp.embedded.odata.ODataError;
import io.plantmesh.erp.embedded.odata.ODataValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A purchase requisition to create: the body of a POST to {@code A_PurchaseRequisitionHeader} with items in
 * {@code to_PurchaseReqnItem}, checked for everything that needs no master data.
 */
public record RequisitionRequest(String type, String description, List<Item> items) {

    static final String HEADER_TYPE = "A_PurchaseRequisitionHeaderType";
    static final String ITEM_TYPE = "A_PurchaseRequisitionItemType";

    /**
     * One item.
     *
     * @param itemNumber the item number ({@code 10}, {@code 20}, ... if not sent)
     * @param baseUnit null for the material's base unit
     * @param storageLocation null for the material's default storage location
     * @param deliveryDate null: creation day plus the lead time
     */
    public record Item(String itemNumber, String material, String plant, String storageLocation,
            BigDecimal quantity, String baseUnit, LocalDate deliveryDate, String text, String purchasingGroup,
            String purchasingOrganization, String materialGroup, String supplier, String fixedSupplier,
            BigDecimal price, String currency, String externalReference) {
    }

    public RequisitionRequest {
        Objects.requireNonNull(type, "type");
        items = List.copyOf(items);
    }

    /** Reads and checks a request body; 400 naming the property for anything wrong. */
    public static RequisitionRequest parse(JsonObject body) {
        if (ODataValues.bool(body, "PurReqnDoOnlyValidation", false)) {
            throw ODataError.badRequest(ODataError.UNSUPPORTED, "PurReqnDoOnlyValidation (simulation) is not served "
                + "by the PlantMesh embedded ERP; send the requisition to create it.");
        }
        String type = ODataValues.limited(body, "PurchaseRequisitionType", "NB", 4);
        JsonArray entries = ODataValues.navigationEntries(body, PurchaseRequisitions.ITEMS_NAVIGATION);
        if (entries.isEmpty()) {
            throw ODataError.invalid(PurchaseRequisitions.ITEMS_NAVIGATION, "A purchase requisition needs at least "
                + "one item: send them in " + PurchaseRequisitions.ITEMS_NAVIGATION + " (deep insert).");
        }
        List<Item> items = new ArrayList<>();
        Set<String> numbers = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonObject json = ODataValues.entry(entries, i, PurchaseRequisitions.ITEMS_NAVIGATION);
            String where = " (item " + (i + 1) + ")";
            String number = ODataValues.withoutLeadingZeros(ODataValues.limited(json, "PurchaseRequisitionItem",
                Integer.toString((i + 1) * 10), 5));
            if (!number.chars().allMatch(Character::isDigit) || !numbers.add(number)) {
                throw ODataError.invalid("PurchaseRequisitionItem", "PurchaseRequisitionItem " + number + where
                    + " must be a number unique in the requisition, e.g. 10, 20.");
            }
            String material = ODataValues.limited(json, "Material", "", 40);
            if (material.isEmpty()) {
                throw ODataError.missing("Material", ITEM_TYPE + where);
            }
            String plant = ODataValues.limited(json, "Plant", "", 40);
            if (plant.isEmpty()) {
                throw ODataError.missing("Plant", ITEM_TYPE + where);
            }
            BigDecimal quantity = ODataValues.decimal(json, "RequestedQuantity", null);
            if (quantity == null) {
                throw ODataError.missing("RequestedQuantity", ITEM_TYPE + where);
            }
            if (quantity.signum() <= 0) {
                throw ODataError.invalid("RequestedQuantity", "RequestedQuantity" + where + " must be greater than "
                    + "zero, got " + quantity.toPlainString() + ".");
            }
            String accountAssignment = ODataValues.string(json, "AccountAssignmentCategory", "");
            if (!accountAssignment.isEmpty()) {
                throw ODataError.badRequest(ODataError.UNSUPPORTED, "AccountAssignmentCategory " + accountAssignment
                    + where + ": the PlantMesh embedded ERP procures for stock only; leave it empty.");
            }
            items.add(new Item(number, material, plant, ODataValues.limited(json, "StorageLocation", null, 10),
                quantity, ODataValues.limited(json, "BaseUnit", null, 3), ODataValues.day(json, "DeliveryDate", null),
                ODataValues.limited(json, "PurchaseRequisitionItemText", "", 40),
                ODataValues.limited(json, "PurchasingGroup", "", 3),
                ODataValues.limited(json, "PurchasingOrganization", "", 4),
                ODataValues.limited(json, "MaterialGroup", "", 9), ODataValues.limited(json, "Supplier", "", 10),
                ODataValues.limited(json, "FixedSupplier", "", 10),
                ODataValues.decimal(json, "PurchaseRequisitionPrice", null),
                ODataValues.limited(json, "PurReqnItemCurrency", "", 5),
                ODataValues.limited(json, "PurReqnExternalReference", "", 35)));
        }
        return new RequisitionRequest(type, ODataValues.limited(body, "PurReqnDescription", "", 40), items);
    }
}
