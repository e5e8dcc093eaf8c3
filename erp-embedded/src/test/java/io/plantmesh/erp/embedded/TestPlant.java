package io.plantmesh.erp.embedded;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A small plant's ERP: materials, a work centre, and request bodies shaped as the bridge sends them. */
final class TestPlant {

    static final String PLANT = "plant1";
    static final String ORDER = "plant1:wo-000123";
    static final Instant START = Instant.parse("2026-11-30T08:00:00Z");
    static final String DOCUMENTS = "API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentHeader";
    static final String STOCK = "API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod";
    static final String CONFIRMATIONS = "API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2";
    static final String REQUISITIONS = "API_PURCHASEREQ_PROCESS_SRV/A_PurchaseRequisitionHeader";
    static final String COST_TOTALS = "ZPLANTMESH_ORDER_COST_SRV/OrderCostTotal";

    private TestPlant() {
    }

    /** RM-100 (2.50/PC, 100 in stock), RM-200 (10/KG, 20 in stock), FG-2001 (40/PC, none), RM-300 (negative ok). */
    static ErpConfig.Builder config(String mongoUri, MutableClock clock) {
        return ErpConfig.builder()
            .mongoUri(mongoUri)
            .database("erp_test")
            .clock(clock)
            .receiptLeadTime(Duration.ofMinutes(2))
            .receiptCheckInterval(Duration.ofMillis(50))
            .defaultCostCenter("CC-PROD")
            .material(MaterialMaster.of("RM-100", PLANT, "PC", new BigDecimal("2.50"))
                .withInitialStock(new BigDecimal("100")))
            .material(MaterialMaster.of("RM-200", PLANT, "KG", new BigDecimal("10"))
                .withInitialStock(new BigDecimal("20")))
            .material(MaterialMaster.of("FG-2001", PLANT, "PC", new BigDecimal("40")))
            .material(MaterialMaster.of("RM-300", PLANT, "PC", new BigDecimal("1")).withNegativeStockAllowed(true))
            .workCenter(new WorkCenter("plant1:machine-1-03", PLANT, "CC-LINE1", new BigDecimal("90")));
    }

    /** A goods issue (261) of {@code quantity} of {@code material} to {@link #ORDER}. */
    static JsonObject goodsIssue(String material, String quantity) {
        return document("03", item(material, "261", quantity).put("ManufacturingOrder", ORDER));
    }

    /** A goods receipt (101) of {@code quantity} of {@code material} from {@link #ORDER}. */
    static JsonObject goodsReceipt(String material, String quantity) {
        return document("02", item(material, "101", quantity).put("ManufacturingOrder", ORDER));
    }

    static JsonObject document(String goodsMovementCode, JsonObject... items) {
        JsonArray results = new JsonArray();
        for (JsonObject item : items) {
            results.add(item);
        }
        return new JsonObject()
            .put("PostingDate", "/Date(" + START.toEpochMilli() + ")/")
            .put("GoodsMovementCode", goodsMovementCode)
            .put("to_MaterialDocumentItem", new JsonObject().put("results", results));
    }

    static JsonObject item(String material, String movementType, String quantity) {
        return new JsonObject()
            .put("Material", material)
            .put("Plant", PLANT)
            .put("StorageLocation", "0001")
            .put("GoodsMovementType", movementType)
            .put("QuantityInEntryUnit", quantity);
    }

    /** Unrestricted stock of {@code material} in plant1 as the bridge reads it. */
    static BigDecimal stock(ErpClient client, String material) {
        ErpClient.Response response = client.get(STOCK, "$filter", "Material eq '" + material + "' and Plant eq '"
            + PLANT + "'");
        if (response.status() != 200) {
            throw new AssertionError("stock read failed: " + response.status() + " " + response.text());
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Object row : response.results()) {
            total = total.add(new BigDecimal(((JsonObject) row).getString("MatlWrhsStkQtyInMatlBaseUnit")));
        }
        return total;
    }
}
