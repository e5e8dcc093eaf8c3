package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.COST_TOTALS;
import static io.plantmesh.erp.embedded.TestPlant.DOCUMENTS;
import static io.plantmesh.erp.embedded.TestPlant.ORDER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Finance: material at standard price and machine time at the work centre's rate, per order and cost centre. */
class CostLedgerTest extends ErpFixture {

    @Test
    void anOrdersCostsAddUpPerCostCentre() {
        // components: 10 PC x 2.50 + 1.5 KG x 10.00 = 40.00 on CC-PROD (no cost centre sent: the default)
        client.post(DOCUMENTS, TestPlant.document("03",
            TestPlant.item("RM-100", "261", "10").put("ManufacturingOrder", ORDER),
            TestPlant.item("RM-200", "261", "1.5").put("ManufacturingOrder", ORDER)), "cost-gi");
        // machine: 30 min + 45 min at 90.00/h on plant1:machine-1-03 -> CC-LINE1 = 112.50
        client.post(TestPlant.CONFIRMATIONS, ConfirmationApiTest.confirmation("0010", "3", "1", false), "cost-c1");
        client.post(TestPlant.CONFIRMATIONS, ConfirmationApiTest.confirmation("0010", "1", "0", true)
            .put("OpConfirmedWorkQuantity1", "45"), "cost-c2");
        // output: 4 PC x 40.00 credited = -160.00 on CC-PROD
        client.post(DOCUMENTS, TestPlant.goodsReceipt("FG-2001", "4"), "cost-gr");
        // scrap of one component on CC-SCRAP: 1 x 2.50
        client.post(DOCUMENTS, TestPlant.document("03", TestPlant.item("RM-100", "551", "1")
            .put("ManufacturingOrder", ORDER).put("CostCenter", "CC-SCRAP")), "cost-scrap");
        // a posting of another order stays out of this order's ledger
        client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1").put("to_MaterialDocumentItem", new JsonObject()
            .put("results", new JsonArray().add(TestPlant.item("RM-100", "261", "1")
                .put("ManufacturingOrder", "plant1:wo-other")))), "cost-other");

        JsonArray totals = client.get(COST_TOTALS, "$filter", "OrderID eq '" + ORDER + "'").results();
        Map<String, JsonObject> byCostCenter = totals.stream().map(t -> (JsonObject) t)
            .collect(Collectors.toMap(t -> t.getString("CostCenter"), t -> t));
        assertThat(byCostCenter).containsOnlyKeys("CC-PROD", "CC-LINE1", "CC-SCRAP");
        JsonObject production = byCostCenter.get("CC-PROD");
        assertThat(production.getString("MaterialCost")).isEqualTo("40.00");
        assertThat(production.getString("OutputCredit")).isEqualTo("-160.00");
        assertThat(production.getString("TotalCost")).isEqualTo("-120.00");
        assertThat(production.getString("CompanyCodeCurrency")).isEqualTo("EUR");
        JsonObject line = byCostCenter.get("CC-LINE1");
        assertThat(line.getString("MachineCost")).isEqualTo("112.50");
        assertThat(line.getString("MachineHours")).isEqualTo("1.250");
        assertThat(line.getString("NumberOfPostings")).isEqualTo("2");
        assertThat(byCostCenter.get("CC-SCRAP").getString("ScrapCost")).isEqualTo("2.50");

        JsonObject one = client.get("ZPLANTMESH_ORDER_COST_SRV/OrderCostTotal(OrderID='" + ORDER
            + "',CostCenter='CC-LINE1')").entity();
        assertThat(one.getString("TotalCost")).isEqualTo("112.50");

        JsonArray lines = client.get("ZPLANTMESH_ORDER_COST_SRV/OrderCostPosting", "$filter", "OrderID eq '" + ORDER
            + "' and CostType eq 'MATERIAL_CONSUMPTION'").results();
        assertThat(lines).hasSize(2);
        JsonObject consumption = lines.getJsonObject(0);
        assertThat(consumption.getString("AmountInCompanyCodeCurrency")).isEqualTo("25.00");
        assertThat(consumption.getString("DebitCreditCode")).isEqualTo("S");
        assertThat(consumption.getString("ReferenceDocumentType")).isEqualTo("MKPF");
        assertThat(consumption.getString("Material")).isEqualTo("RM-100");
    }

    @Test
    void aRepeatedPostingCostsOnce() {
        client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "4"), "cost-once");
        client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "4"), "cost-once");

        JsonObject total = client.get("ZPLANTMESH_ORDER_COST_SRV/OrderCostTotal(OrderID='" + ORDER
            + "',CostCenter='CC-PROD')").entity();
        assertThat(total.getString("MaterialCost")).isEqualTo("10.00");
    }

    @Test
    void aDatabaseFromBeforeTheTotalsCollectionGetsItsTotalsFromThePostingsAtStart() {
        client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "4"), "old-gi");
        client.post(DOCUMENTS, TestPlant.goodsReceipt("FG-2001", "1"), "old-gr");
        JsonObject before = client.get("ZPLANTMESH_ORDER_COST_SRV/OrderCostTotal(OrderID='" + ORDER
            + "',CostCenter='CC-PROD')").entity();
        erp.close();
        try (MongoClient raw = MongoClients.create(mongo.uri())) {
            raw.getDatabase(erp.config().database()).getCollection("order_cost_totals").drop();
        }

        restartErp();

        JsonObject after = client.get("ZPLANTMESH_ORDER_COST_SRV/OrderCostTotal(OrderID='" + ORDER
            + "',CostCenter='CC-PROD')").entity();
        assertThat(after.getString("MaterialCost")).isEqualTo("10.00");
        assertThat(after.getString("OutputCredit")).isEqualTo("-40.00");
        assertThat(after.getString("NumberOfPostings")).isEqualTo("2");
        assertThat(after.copy().put("__metadata", null)).isEqualTo(before.copy().put("__metadata", null));
        // and it goes on from there
        client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "2"), "new-gi");
        assertThat(client.get("ZPLANTMESH_ORDER_COST_SRV/OrderCostTotal(OrderID='" + ORDER
            + "',CostCenter='CC-PROD')").entity().getString("MaterialCost")).isEqualTo("15.00");
    }

    @Test
    void receiptsWithoutAnOrderCostNothing() {
        client.post(DOCUMENTS, TestPlant.document("05", TestPlant.item("RM-100", "501", "5")), "free-receipt");

        assertThat(client.get("ZPLANTMESH_ORDER_COST_SRV/OrderCostPosting").results()).isEmpty();
        assertThat(client.post("ZPLANTMESH_ORDER_COST_SRV/OrderCostPosting", new JsonObject(), "post-cost").status())
            .isEqualTo(405);
    }
}
