package io.plantmesh.erp.embedded.production;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.plantmesh.erp.embedded.odata.EntitySet;

/** The entity sets of {@code API_PROD_ORDER_CONFIRMATION_2_SRV} that PlantMesh serves. */
public final class Confirmations {

    public static final String SERVICE = "API_PROD_ORDER_CONFIRMATION_2_SRV";
    public static final String MOVEMENTS_NAVIGATION = "to_ProdnOrdConfMatlDocItm";

    private static final Set<String> PROPERTIES;

    static {
        Set<String> properties = new TreeSet<>(List.of("ConfirmationGroup", "ConfirmationCount", "OrderID",
            "Sequence", "OrderOperation", "OrderSuboperation", "OrderType", "ConfirmationText", "Language",
            "Material", "ProductionUnit", "FinalConfirmationType", "IsFinalConfirmation",
            "OpenReservationsIsCleared", "IsReversed", "IsReversal", "APIConfHasNoGoodsMovements",
            "ConfirmationEntryDate", "ConfirmationEntryTime", "EnteredByUser", "ExternalSystemConfirmation", "Plant",
            "WorkCenter", "Personnel", "PostingDate", "ConfirmedExecutionStartDate", "ConfirmedExecutionStartTime",
            "ConfirmedExecutionEndDate", "ConfirmedExecutionEndTime", "ConfirmationUnit", "ConfirmationYieldQuantity",
            "ConfirmationScrapQuantity", "ConfirmationReworkQuantity", "VarianceReasonCode"));
        for (int i = 1; i <= 6; i++) {
            properties.add("OpWorkQuantityUnit" + i);
            properties.add("OpConfirmedWorkQuantity" + i);
            properties.add("NoFurtherOpWorkQuantity" + i + "IsExpd");
        }
        PROPERTIES = Set.copyOf(properties);
    }

    public static final EntitySet CONFIRMATION = new EntitySet(SERVICE, "ProdnOrdConf2", "ProdnOrdConf2Type",
        List.of("ConfirmationGroup", "ConfirmationCount"), PROPERTIES,
        Map.of(MOVEMENTS_NAVIGATION, "ProdnOrdConfMatlDocItm"));

    /** Goods movements posted with a confirmation; always empty here (PlantMesh posts them separately). */
    public static final EntitySet MOVEMENT = new EntitySet(SERVICE, "ProdnOrdConfMatlDocItm",
        "ProdnOrdConfMatlDocItmType",
        List.of("ConfirmationGroup", "ConfirmationCount", "MaterialDocument", "MaterialDocumentItem",
            "MaterialDocumentYear"),
        Set.of("ConfirmationGroup", "ConfirmationCount", "MaterialDocument", "MaterialDocumentItem",
            "MaterialDocumentYear", "OrderID", "Material", "Plant", "StorageLocation", "GoodsMovementType",
            "QuantityInEntryUnit", "EntryUnit"),
        Map.of());

    private Confirmations() {
    }

    /** The stored document's {@code _id}, zero-padded so that documents sort in key order. */
    public static String id(String group, String count) {
        return String.format("%10s/%8s", group, count).replace(' ', '0');
    }
}
