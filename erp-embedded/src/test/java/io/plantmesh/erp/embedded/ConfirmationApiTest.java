package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.CONFIRMATIONS;
import static io.plantmesh.erp.embedded.TestPlant.ORDER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** API_PROD_ORDER_CONFIRMATION_2_SRV round trips in SAP's shapes. */
class ConfirmationApiTest extends ErpFixture {

    static JsonObject confirmation(String operation, String yield, String scrap, boolean last) {
        return new JsonObject()
            .put("OrderID", ORDER)
            .put("OrderOperation", operation)
            .put("Sequence", "0")
            .put("WorkCenter", "plant1:machine-1-03")
            .put("Plant", TestPlant.PLANT)
            .put("Material", "FG-2001")
            .put("ConfirmationUnit", "PC")
            .put("ConfirmationYieldQuantity", yield)
            .put("ConfirmationScrapQuantity", scrap)
            .put("FinalConfirmationType", last ? "X" : "")
            .put("OpWorkQuantityUnit1", "MIN")
            .put("OpConfirmedWorkQuantity1", "30")
            .put("APIConfHasNoGoodsMovements", true);
    }

    @Test
    void confirmationsOfAnOperationShareAGroupAndCountUp() {
        ErpClient.Response first = client.post(CONFIRMATIONS, confirmation("0010", "40", "2", false), "conf-40");
        ErpClient.Response second = client.post(CONFIRMATIONS, confirmation("0010", "60", "0", true), "conf-100");
        ErpClient.Response otherOperation = client.post(CONFIRMATIONS, confirmation("0020", "100", "0", true),
            "conf-op20");

        assertThat(first.status()).isEqualTo(201);
        JsonObject one = first.entity();
        JsonObject two = second.entity();
        assertThat(two.getString("ConfirmationGroup")).isEqualTo(one.getString("ConfirmationGroup"));
        assertThat(one.getString("ConfirmationCount")).isEqualTo("1");
        assertThat(two.getString("ConfirmationCount")).isEqualTo("2");
        assertThat(otherOperation.entity().getString("ConfirmationGroup")).isNotEqualTo(one.getString(
            "ConfirmationGroup"));
        assertThat(one.getString("ConfirmationYieldQuantity")).isEqualTo("40.000");
        assertThat(one.getString("ConfirmationScrapQuantity")).isEqualTo("2.000");
        assertThat(one.getString("FinalConfirmationType")).isEmpty();
        assertThat(one.getBoolean("IsFinalConfirmation")).isFalse();
        assertThat(two.getString("FinalConfirmationType")).isEqualTo("X");
        assertThat(two.getBoolean("IsFinalConfirmation")).isTrue();
        assertThat(one.getString("OrderID")).isEqualTo(ORDER);
        assertThat(one.getString("OpConfirmedWorkQuantity1")).isEqualTo("30.000");
        assertThat(one.getString("PostingDate")).matches("/Date\\(\\d+\\)/");
        assertThat(one.getJsonObject("__metadata").getString("type"))
            .isEqualTo("API_PROD_ORDER_CONFIRMATION_2_SRV.ProdnOrdConf2Type");
        assertThat(first.header("Location")).isEqualTo(erp.baseUri()
            + "API_PROD_ORDER_CONFIRMATION_2_SRV/ProdnOrdConf2(ConfirmationGroup='" + one.getString("ConfirmationGroup")
            + "',ConfirmationCount='1')");
    }

    @Test
    void confirmationsAreReadByKeyAndByOrder() {
        JsonObject posted = client.post(CONFIRMATIONS, confirmation("0010", "5", "0", false), "conf-5").entity();
        String group = posted.getString("ConfirmationGroup");

        ErpClient.Response byKey = client.get(CONFIRMATIONS + "(ConfirmationGroup='" + group
            + "',ConfirmationCount='1')");
        assertThat(byKey.status()).isEqualTo(200);
        assertThat(byKey.entity().getString("ConfirmationYieldQuantity")).isEqualTo("5.000");
        ErpClient.Response padded = client.get(CONFIRMATIONS + "(ConfirmationGroup='"
            + String.format("%010d", Long.parseLong(group)) + "',ConfirmationCount='00000001')");
        assertThat(padded.status()).as("keys with leading zeros, as ABAP pads them").isEqualTo(200);

        JsonArray byOrder = client.get(CONFIRMATIONS, "$filter", "OrderID eq '" + ORDER + "'").results();
        assertThat(byOrder).hasSize(1);
        assertThat(client.get(CONFIRMATIONS, "$filter", "OrderID eq 'plant1:wo-other'").results()).isEmpty();
        assertThat(client.get(CONFIRMATIONS + "(ConfirmationGroup='" + group + "',ConfirmationCount='1')"
            + "/to_ProdnOrdConfMatlDocItm").results()).isEmpty();
        assertThat(client.get(CONFIRMATIONS + "(ConfirmationGroup='99999',ConfirmationCount='1')").status())
            .isEqualTo(404);
    }

    @Test
    void invalidConfirmationsAreRefused() {
        JsonObject noOrder = confirmation("0010", "1", "0", false);
        noOrder.remove("OrderID");
        assertThat(client.post(CONFIRMATIONS, noOrder, "c-bad-1").errorMessage()).contains("OrderID");

        assertThat(client.post(CONFIRMATIONS, confirmation("0010", "-1", "0", false), "c-bad-2").status())
            .isEqualTo(400);
        assertThat(client.post(CONFIRMATIONS, confirmation("0010", "1", "0", false).put("OpWorkQuantityUnit1", "KG"),
            "c-bad-3").errorMessage()).contains("MIN, H or S");
        JsonObject withMovements = confirmation("0010", "1", "0", false).put("to_ProdnOrdConfMatlDocItm",
            new JsonObject().put("results", new JsonArray().add(new JsonObject().put("Material", "RM-100"))));
        assertThat(client.post(CONFIRMATIONS, withMovements, "c-bad-4").errorMessage())
            .contains("API_MATERIAL_DOCUMENT_SRV");
    }
}
