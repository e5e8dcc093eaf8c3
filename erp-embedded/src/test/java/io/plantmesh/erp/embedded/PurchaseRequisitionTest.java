package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.REQUISITIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** API_PURCHASEREQ_PROCESS_SRV, and the receipt of requisitions after the lead time on the plant clock. */
class PurchaseRequisitionTest extends ErpFixture {

    static JsonObject requisition(String material, String quantity) {
        return new JsonObject()
            .put("PurchaseRequisitionType", "NB")
            .put("PurReqnDescription", "Reorder " + material)
            .put("to_PurchaseReqnItem", new JsonObject().put("results", new JsonArray().add(new JsonObject()
                .put("Material", material)
                .put("Plant", TestPlant.PLANT)
                .put("RequestedQuantity", quantity)
                .put("BaseUnit", "PC"))));
    }

    @Test
    void aRequisitionIsCreatedInSapsShapeAndOpen() {
        ErpClient.Response created = client.post(REQUISITIONS, requisition("RM-100", "50"), "pr-rm100-1");

        assertThat(created.status()).isEqualTo(201);
        JsonObject header = created.entity();
        assertThat(header.getString("PurchaseRequisition")).isEqualTo("10000000");
        assertThat(header.getString("PurchaseRequisitionType")).isEqualTo("NB");
        assertThat(header.getJsonObject("__metadata").getString("type"))
            .isEqualTo("API_PURCHASEREQ_PROCESS_SRV.A_PurchaseRequisitionHeaderType");
        assertThat(created.header("Location")).isEqualTo(erp.baseUri()
            + "API_PURCHASEREQ_PROCESS_SRV/A_PurchaseRequisitionHeader('10000000')");
        JsonObject item = header.getJsonObject("to_PurchaseReqnItem").getJsonArray("results").getJsonObject(0);
        assertThat(item.getString("PurchaseRequisitionItem")).isEqualTo("10");
        assertThat(item.getString("RequestedQuantity")).isEqualTo("50.000");
        assertThat(item.getString("ProcessingStatus")).isEqualTo("N");
        assertThat(item.getBoolean("IsClosed")).isFalse();
        assertThat(item.getString("OrderedQuantity")).isEqualTo("0.000");
        assertThat(item.getString("PurchasingDocument")).isEmpty();
        assertThat(item.getString("DeliveryDate")).matches("/Date\\(\\d+\\)/");

        assertThat(client.post(REQUISITIONS, requisition("RM-200", "1").put("to_PurchaseReqnItem", new JsonArray()
            .add(new JsonObject().put("Material", "RM-200").put("Plant", "plant1").put("RequestedQuantity", "1"))),
            "pr-rm200-1").entity().getString("PurchaseRequisition")).isEqualTo("10000001");
        assertThat(client.post(REQUISITIONS, requisition("RM-999", "1"), "pr-unknown").errorCode())
            .isEqualTo("PLANTMESH/UNKNOWN_MATERIAL");
    }

    @Test
    void aRequisitionIsReceivedAfterTheLeadTimeRaisingStockAndClosingIt() {
        String first = client.post(REQUISITIONS, requisition("RM-100", "50"), "pr-first").entity()
            .getString("PurchaseRequisition");
        clock.advance(Duration.ofSeconds(60));
        String second = client.post(REQUISITIONS, requisition("RM-100", "7"), "pr-second").entity()
            .getString("PurchaseRequisition");

        // the first is due now, the second in 60 s: the check that receives the first leaves the second open
        clock.advance(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("150"));
        assertThat(item(second).getBoolean("IsClosed")).as("not due before its lead time").isFalse();
        assertThat(item(second).getString("ProcessingStatus")).isEqualTo("N");

        JsonObject received = item(first);
        assertThat(received.getBoolean("IsClosed")).isTrue();
        assertThat(received.getString("ProcessingStatus")).isEqualTo("B");
        assertThat(received.getString("OrderedQuantity")).isEqualTo("50.000");
        String purchaseOrder = received.getString("PurchasingDocument");
        assertThat(purchaseOrder).startsWith("45").hasSize(10);
        JsonArray receipt = client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem", "$filter",
            "PurchaseOrder eq '" + purchaseOrder + "'").results();
        assertThat(receipt).hasSize(1);
        assertThat(receipt.getJsonObject(0).getString("GoodsMovementType")).isEqualTo("101");
        assertThat(receipt.getJsonObject(0).getString("QuantityInEntryUnit")).isEqualTo("50.000");
        assertThat(receipt.getJsonObject(0).getString("MaterialDocument")).startsWith("50");

        clock.advance(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(item(second).getBoolean("IsClosed")).isTrue());
        assertThat(TestPlant.stock(client, "RM-100")).as("each received once").isEqualByComparingTo("157");
        assertThat(client.get("API_PURCHASEREQ_PROCESS_SRV/A_PurchaseRequisitionItem", "$filter",
            "Material eq 'RM-100' and IsClosed eq false").results()).isEmpty();
    }

    private JsonObject item(String requisition) {
        return client.get("API_PURCHASEREQ_PROCESS_SRV/A_PurchaseRequisitionItem(PurchaseRequisition='" + requisition
            + "',PurchaseRequisitionItem='10')").entity();
    }

    @Test
    void anOpenRequisitionIsStillReceivedAfterARestart() {
        client.post(REQUISITIONS, requisition("RM-200", "5").put("to_PurchaseReqnItem", new JsonArray()
            .add(new JsonObject().put("Material", "RM-200").put("Plant", "plant1").put("RequestedQuantity", "5"))),
            "pr-restart");

        restartErp();
        clock.advance(Duration.ofMinutes(2));

        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(TestPlant.stock(client, "RM-200")).isEqualByComparingTo("25"));
    }
}
