package io.plantmesh.erp.embedded.procurement;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.plantmesh.erp.embedded.odata.EntitySet;

/** The entity sets of {@code API_PURCHASEREQ_PROCESS_SRV} that PlantMesh serves. */
public final class PurchaseRequisitions {

    public static final String SERVICE = "API_PURCHASEREQ_PROCESS_SRV";
    public static final String ITEMS_NAVIGATION = "to_PurchaseReqnItem";

    /** {@code ProcessingStatus} of an item nobody has processed yet (SAP: "not edited"). */
    public static final String NOT_EDITED = "N";
    /** {@code ProcessingStatus} of an item a purchase order was created for. */
    public static final String PURCHASE_ORDER_CREATED = "B";

    public static final EntitySet HEADER = new EntitySet(SERVICE, "A_PurchaseRequisitionHeader",
        "A_PurchaseRequisitionHeaderType", List.of("PurchaseRequisition"),
        Set.of("PurchaseRequisition", "PurchaseRequisitionType", "PurReqnDescription", "SourceDetermination",
            "PurReqnDoOnlyValidation"),
        Map.of(ITEMS_NAVIGATION, "A_PurchaseRequisitionItem"));

    public static final EntitySet ITEM = new EntitySet(SERVICE, "A_PurchaseRequisitionItem",
        "A_PurchaseRequisitionItemType", List.of("PurchaseRequisition", "PurchaseRequisitionItem"),
        Set.of("PurchaseRequisition", "PurchaseRequisitionItem", "PurchasingDocument", "PurchasingDocumentItem",
            "PurReqnReleaseStatus", "PurchaseRequisitionType", "PurchasingDocumentItemCategory",
            "PurchaseRequisitionItemText", "AccountAssignmentCategory", "Material", "MaterialGroup",
            "PurchasingDocumentCategory", "RequestedQuantity", "BaseUnit", "PurchaseRequisitionPrice",
            "PurReqnPriceQuantity", "PurchasingOrganization", "PurchasingGroup", "Plant", "CompanyCode",
            "OrderedQuantity", "DeliveryDate", "CreationDate", "ProcessingStatus", "Supplier", "FixedSupplier",
            "IsDeleted", "CreatedByUser", "PurReqCreationDate", "PurReqnItemCurrency", "StorageLocation", "IsClosed",
            "ReleaseIsNotCompleted", "GoodsReceiptIsExpected", "PurReqnExternalReference"),
        Map.of());

    private PurchaseRequisitions() {
    }
}
