package io.plantmesh.erp.embedded.stock;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.plantmesh.erp.embedded.odata.EntitySet;

/** The entity sets of {@code API_MATERIAL_DOCUMENT_SRV} that PlantMesh serves. */
public final class MaterialDocuments {

    public static final String SERVICE = "API_MATERIAL_DOCUMENT_SRV";
    public static final String ITEMS_NAVIGATION = "to_MaterialDocumentItem";

    public static final EntitySet HEADER =
        new EntitySet(SERVICE, "A_MaterialDocumentHeader",
            "A_MaterialDocumentHeaderType", List.of("MaterialDocumentYear", "MaterialDocument"),
            Set.of("MaterialDocumentYear", "MaterialDocument", "InventoryTransactionType", "DocumentDate",
                "PostingDate", "CreationDate", "CreationTime", "CreatedByUser", "MaterialDocumentHeaderText",
                "ReferenceDocument", "GoodsMovementCode"),
            Map.of(ITEMS_NAVIGATION, "A_MaterialDocumentItem"));

    public static final EntitySet ITEM =
        new EntitySet(SERVICE, "A_MaterialDocumentItem",
            "A_MaterialDocumentItemType", List.of("MaterialDocumentYear", "MaterialDocument", "MaterialDocumentItem"),
            Set.of("MaterialDocumentYear", "MaterialDocument", "MaterialDocumentItem", "Material", "Plant",
                "StorageLocation", "Batch", "GoodsMovementType", "InventoryStockType", "InventorySpecialStockType",
                "Supplier", "Customer", "PurchaseOrder", "PurchaseOrderItem", "ManufacturingOrder",
                "ManufacturingOrderItem", "GoodsMovementRefDocType", "CostCenter", "GoodsMovementIsCancelled",
                "IsCompletelyDelivered", "QuantityInEntryUnit", "EntryUnit", "QuantityInBaseUnit",
                "MaterialBaseUnit", "MaterialDocumentItemText", "PostingDate", "DocumentDate"),
            Map.of());

    private MaterialDocuments() {
    }

    /** The stored document's {@code _id}: {@code <year>/<number>}. */
    public static String id(String year, String number) {
        return year + "/" + number;
    }
}
