package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** No negative stock unless the material allows it; SAP's deficit message otherwise. */
class NegativeStockTest extends ErpFixture {

    @Test
    void anIssueBeyondStockIsRefusedWithSapsDeficitMessageAndNothingMoves() {
        ErpClient.Response refused = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "130"), "too-much");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("M7/021");
        assertThat(refused.errorMessage()).isEqualTo("Deficit of SL Unrestricted-use 30 PC : RM-100 plant1 0001");
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("100");
        assertThat(client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem", "$filter",
            "GoodsMovementType eq '261'").results()).isEmpty();
    }

    @Test
    void itemsOfOneDocumentAreCheckedTogether() {
        JsonObject twice = TestPlant.document("03",
            TestPlant.item("RM-100", "261", "60").put("ManufacturingOrder", TestPlant.ORDER),
            TestPlant.item("RM-100", "261", "60").put("ManufacturingOrder", TestPlant.ORDER));

        ErpClient.Response refused = client.post(DOCUMENTS, twice, "twice-60");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorMessage()).contains("Deficit", "20 PC");
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("100");
    }

    @Test
    void exactlyAllStockMayBeIssued() {
        assertThat(client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "100"), "all").status()).isEqualTo(201);
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("0");
        assertThat(client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "0.001"), "one-more").errorCode())
            .isEqualTo("M7/021");
    }

    @Test
    void aMaterialThatAllowsNegativeStockGoesNegative() {
        ErpClient.Response posted = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-300", "7"), "negative-ok");

        assertThat(posted.status()).isEqualTo(201);
        assertThat(TestPlant.stock(client, "RM-300")).isEqualByComparingTo("-7");
    }

    @Test
    void scrapAlsoNeedsStock() {
        JsonObject scrap = TestPlant.document("03", TestPlant.item("FG-2001", "551", "1"));

        ErpClient.Response refused = client.post(DOCUMENTS, scrap, "scrap-none");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("M7/021");
    }
}
