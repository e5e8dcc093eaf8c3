package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.DOCUMENTS;
import static io.plantmesh.erp.embedded.TestPlant.ORDER;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** API_MATERIAL_DOCUMENT_SRV and API_MATERIAL_STOCK_SRV round trips in SAP's shapes. */
class MaterialDocumentApiTest extends ErpFixture {

    @Test
    void goodsIssueToAnOrderIsPostedAsAnSapMaterialDocumentAndLowersStock() {
        ErpClient.Response created = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "gi-1");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Repeatability-Result")).isEqualTo("accepted");
        assertThat(created.header("DataServiceVersion")).isEqualTo("2.0");
        JsonObject header = created.entity();
        String number = header.getString("MaterialDocument");
        assertThat(number).hasSize(10).startsWith("49");
        assertThat(header.getString("MaterialDocumentYear")).isEqualTo("2026");
        assertThat(header.getString("GoodsMovementCode")).isEqualTo("03");
        assertThat(header.getString("InventoryTransactionType")).isEqualTo("WA");
        assertThat(header.getString("PostingDate")).isEqualTo("/Date(" + TestPlant.START.toEpochMilli() / 86_400_000L
            * 86_400_000L + ")/");
        assertThat(header.getString("CreatedByUser")).isEqualTo(ErpConfig.DEFAULT_USER);
        String uri = erp.baseUri() + "API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentHeader(MaterialDocumentYear='2026',"
            + "MaterialDocument='" + number + "')";
        assertThat(header.getJsonObject("__metadata").getString("uri")).isEqualTo(uri);
        assertThat(header.getJsonObject("__metadata").getString("type"))
            .isEqualTo("API_MATERIAL_DOCUMENT_SRV.A_MaterialDocumentHeaderType");
        assertThat(created.header("Location")).isEqualTo(uri);
        JsonArray items = header.getJsonObject("to_MaterialDocumentItem").getJsonArray("results");
        assertThat(items).hasSize(1);
        JsonObject item = items.getJsonObject(0);
        assertThat(item.getString("MaterialDocumentItem")).isEqualTo("1");
        assertThat(item.getString("GoodsMovementType")).isEqualTo("261");
        assertThat(item.getString("QuantityInEntryUnit")).isEqualTo("10.000");
        assertThat(item.getString("EntryUnit")).isEqualTo("PC");
        assertThat(item.getString("ManufacturingOrder")).isEqualTo(ORDER);
        assertThat(item.getString("StorageLocation")).isEqualTo("0001");
        assertThat(item.getJsonObject("__metadata").getString("type"))
            .isEqualTo("API_MATERIAL_DOCUMENT_SRV.A_MaterialDocumentItemType");

        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("90");
    }

    @Test
    void aDocumentIsReadByKeyWithItemsDeferredOrExpandedAndItemsByOrder() {
        String number = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "4"), "gi-2").entity()
            .getString("MaterialDocument");
        String key = "API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentHeader(MaterialDocumentYear='2026',MaterialDocument='"
            + number + "')";

        ErpClient.Response read = client.get(key);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.entity().getString("MaterialDocument")).isEqualTo(number);
        assertThat(read.entity().getJsonObject("to_MaterialDocumentItem").getJsonObject("__deferred")
            .getString("uri")).isEqualTo(erp.baseUri() + key + "/to_MaterialDocumentItem");
        ErpClient.Response expanded = client.get(key, "$expand", "to_MaterialDocumentItem");
        assertThat(expanded.entity().getJsonObject("to_MaterialDocumentItem").getJsonArray("results")).hasSize(1);
        assertThat(client.get(key + "/to_MaterialDocumentItem").results()).hasSize(1);

        ErpClient.Response byOrder = client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem", "$filter",
            "ManufacturingOrder eq '" + ORDER + "' and GoodsMovementType eq '261'", "$inlinecount", "allpages");
        assertThat(byOrder.results()).extracting(i -> ((JsonObject) i).getString("MaterialDocument"))
            .containsExactly(number);
        assertThat(byOrder.json().getJsonObject("d").getString("__count")).isEqualTo("1");

        ErpClient.Response missing = client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentHeader("
            + "MaterialDocumentYear='2026',MaterialDocument='4999999999')");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().getJsonObject("error").getJsonObject("message").getString("lang")).isEqualTo("en");
    }

    @Test
    void goodsReceiptFromAnOrderIsNumberedInTheReceiptRangeAndRaisesStock() {
        ErpClient.Response created = client.post(DOCUMENTS, TestPlant.goodsReceipt("FG-2001", "5"), "gr-1");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.entity().getString("MaterialDocument")).startsWith("50");
        assertThat(created.entity().getString("InventoryTransactionType")).isEqualTo("WF");
        JsonObject item = created.entity().getJsonObject("to_MaterialDocumentItem").getJsonArray("results")
            .getJsonObject(0);
        assertThat(item.getString("GoodsMovementRefDocType")).isEqualTo("F");
        assertThat(TestPlant.stock(client, "FG-2001")).isEqualByComparingTo("5");

        JsonArray rows = client.get(TestPlant.STOCK, "$filter", "Material eq 'FG-2001' and Plant eq 'plant1'")
            .results();
        JsonObject row = rows.getJsonObject(0);
        assertThat(row.getString("InventoryStockType")).isEqualTo("01");
        assertThat(row.getString("MaterialBaseUnit")).isEqualTo("PC");
        assertThat(row.getString("StorageLocation")).isEqualTo("0001");
        assertThat(row.getString("MatlWrhsStkQtyInMatlBaseUnit")).isEqualTo("5.000");
        assertThat(row.getJsonObject("__metadata").getString("type"))
            .isEqualTo("API_MATERIAL_STOCK_SRV.A_MatlStkInAcctModType");
        JsonObject perMaterial = client.get("API_MATERIAL_STOCK_SRV/A_MaterialStock('FG-2001')", "$expand",
            "to_MatlStkInAcctMod").entity();
        assertThat(perMaterial.getJsonObject("to_MatlStkInAcctMod").getJsonArray("results")).hasSize(1);
    }

    @Test
    void aDocumentWithSeveralItemsMovesEachAndItemsAcceptThePlainArrayForm() {
        JsonObject body = TestPlant.document("03",
            TestPlant.item("RM-100", "261", "3").put("ManufacturingOrder", ORDER),
            TestPlant.item("RM-200", "261", "1.5").put("ManufacturingOrder", ORDER).put("EntryUnit", "KG"));
        body.put("to_MaterialDocumentItem", body.getJsonObject("to_MaterialDocumentItem").getJsonArray("results"));

        ErpClient.Response created = client.post(DOCUMENTS, body, "gi-two");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.entity().getJsonObject("to_MaterialDocumentItem").getJsonArray("results"))
            .extracting(i -> ((JsonObject) i).getString("MaterialDocumentItem")).containsExactly("1", "2");
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("97");
        assertThat(TestPlant.stock(client, "RM-200")).isEqualByComparingTo("18.5");
    }

    @Test
    void wrongRequestsAreRefusedWithSapErrorsNamingWhatToFix() {
        ErpClient.Response unknown = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-999", "1"), "bad-1");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errorCode()).isEqualTo("PLANTMESH/UNKNOWN_MATERIAL");
        assertThat(unknown.errorMessage()).contains("RM-999", "plant1");
        assertThat(unknown.json().getJsonObject("error").getJsonObject("innererror").getJsonArray("errordetails"))
            .hasSize(1);

        JsonObject wrongUnit = TestPlant.goodsIssue("RM-100", "1");
        wrongUnit.getJsonObject("to_MaterialDocumentItem").getJsonArray("results").getJsonObject(0)
            .put("EntryUnit", "KG");
        assertThat(client.post(DOCUMENTS, wrongUnit, "bad-2").errorMessage()).contains("base unit PC");

        JsonObject noCode = TestPlant.goodsIssue("RM-100", "1");
        noCode.remove("GoodsMovementCode");
        ErpClient.Response missing = client.post(DOCUMENTS, noCode, "bad-3");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorMessage()).contains("GoodsMovementCode");

        ErpClient.Response transfer = client.post(DOCUMENTS, TestPlant.document("04",
            TestPlant.item("RM-100", "311", "1")), "bad-4");
        assertThat(transfer.status()).isEqualTo(400);
        assertThat(transfer.errorMessage()).contains("311");

        JsonObject withoutOrder = TestPlant.document("03", TestPlant.item("RM-100", "261", "1"));
        assertThat(client.post(DOCUMENTS, withoutOrder, "bad-5").errorMessage()).contains("ManufacturingOrder");

        ErpClient.Response badFilter = client.get(TestPlant.STOCK, "$filter", "Colour eq 'red'");
        assertThat(badFilter.status()).isEqualTo(400);
        assertThat(badFilter.errorMessage()).contains("Property Colour not found in type A_MatlStkInAcctModType");
        assertThat(client.get(TestPlant.STOCK, "$filter", "Material eq 'RM-100' or Material eq 'RM-200'").status())
            .isEqualTo(400);

        assertThat(TestPlant.stock(client, "RM-100")).as("nothing was posted").isEqualByComparingTo("100");
    }

    @Test
    void theServiceRootListsTheEntitySetsAndMetadataIsNotServed() {
        ErpClient.Response root = client.get("API_MATERIAL_DOCUMENT_SRV/");
        assertThat(root.entity().getJsonArray("EntitySets")).containsExactly("A_MaterialDocumentHeader",
            "A_MaterialDocumentItem");
        assertThat(client.get("API_MATERIAL_DOCUMENT_SRV/$metadata").status()).isEqualTo(404);
        assertThat(client.get("API_NOT_THERE_SRV/Anything").status()).isEqualTo(404);
    }

    @Test
    void initialStockFromTheConfigurationIsBookedOnceAsMovementType561() {
        JsonArray initial = client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem", "$filter",
            "GoodsMovementType eq '561'").results();
        assertThat(initial).extracting(i -> ((JsonObject) i).getString("Material"))
            .containsExactlyInAnyOrder("RM-100", "RM-200");

        restartErp();

        assertThat(client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem", "$filter",
            "GoodsMovementType eq '561'").results()).hasSize(2);
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo(new BigDecimal("100"));
    }
}
