package io.plantmesh.erp.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.erp.bridge.support.BlockingErpClient;
import io.plantmesh.erp.bridge.support.TestErp;

/** {@link ErpClient} against a real embedded ERP on 127.0.0.1. */
class ErpClientTest {

    private static final String PLANT = TestErp.PLANT;

    private static TestErp erp;
    private static BlockingErpClient client;

    @BeforeAll
    static void start() {
        erp = TestErp.start(Duration.ofMillis(300));
        client = erp.client();
    }

    @AfterAll
    static void stop() {
        if (erp != null) {
            erp.close();
        }
    }

    @Test
    void goodsIssueIsPostedOnceAndARepeatedKeyAnswersWithTheOriginalDocument() {
        final String order = "plant1:wo-issue";
        final ErpAnswer<ErpClient.MaterialDocument> first = client.postGoodsMovement(order + "/261/RM-200/0", order,
                "261", "RM-200", PLANT, null, 2.5, "KG");
        final ErpAnswer<ErpClient.MaterialDocument> repeat = client.postGoodsMovement(order + "/261/RM-200/0", order,
                "261", "RM-200", PLANT, null, 7, "KG");

        final ErpClient.MaterialDocument document = first.orElseThrow();
        assertThat(document.number()).startsWith("49");
        assertThat(document.quantity()).isEqualTo(2.5);
        assertThat(repeat.orElseThrow()).isEqualTo(document);
        assertThat(client.readOrderMovements(order).orElseThrow()).hasSize(1)
                .allSatisfy(m -> assertThat(m.quantity()).isEqualTo(2.5));
        assertThat(client.readOrderCost(order).orElseThrow().materialCost()).isEqualTo(25.0);
    }

    @Test
    void stockDeficitIsABusinessRejectionWithSapsMessage() {
        final ErpAnswer<ErpClient.MaterialDocument> answer = client.postGoodsMovement("plant1:wo-deficit/261/RM-400/0",
                "plant1:wo-deficit", "261", "RM-400", PLANT, null, 3, "PC");

        assertThat(answer).isInstanceOfSatisfying(ErpAnswer.Rejected.class, r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("M7/021");
            assertThat(r.message()).contains("Deficit").contains("RM-400");
        });
    }

    @Test
    void confirmationAndReceiptAreRecordedAndStockIsRead() {
        final String order = "plant1:wo-conf";
        final double before = client.readStock("FG-2001", PLANT).orElseThrow().unrestricted();

        final ErpClient.ConfirmationDocument conf = client.postConfirmation(order + "/conf/0-0", order, PLANT,
                "FG-2001", 10, 1, "PC", true).orElseThrow();
        final ErpClient.MaterialDocument receipt = client.postGoodsMovement(order + "/101/0", order, "101",
                "FG-2001", PLANT, null, 10, null).orElseThrow();

        assertThat(conf.yield()).isEqualTo(10);
        assertThat(conf.scrap()).isEqualTo(1);
        assertThat(conf.finalConfirmation()).isTrue();
        assertThat(receipt.number()).startsWith("50");
        assertThat(client.readConfirmations(order).orElseThrow()).containsExactly(conf);
        assertThat(client.readStock("FG-2001", PLANT).orElseThrow().unrestricted()).isEqualTo(before + 10);
    }

    @Test
    void requisitionIsCreatedOnceAndReportedReceivedAfterTheLeadTime() {
        final ErpClient.RequisitionState created = client.createRequisition("RM-300/reorder/0", "RM-300", 50, "PC",
                PLANT, null).orElseThrow();
        final ErpClient.RequisitionState repeat = client.createRequisition("RM-300/reorder/0", "RM-300", 50, "PC",
                PLANT, null).orElseThrow();

        assertThat(repeat.number()).isEqualTo(created.number());
        assertThat(created.received()).isFalse();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            final ErpClient.RequisitionState state = client.readRequisition(created.number()).orElseThrow();
            assertThat(state.received()).isTrue();
            assertThat(state.purchaseOrder()).startsWith("45");
        });
    }

    @Test
    void anErpRestartIsHandledByFetchingANewTokenAndAnOutageIsUnavailable() {
        final String order = "plant1:wo-restart";
        client.postGoodsMovement(order + "/261/RM-300/0", order, "261", "RM-300", PLANT, null, 1, "PC").orElseThrow();

        erp.stopErp();
        final ErpAnswer<ErpClient.MaterialDocument> down = client.postGoodsMovement(order + "/261/RM-300/1", order,
                "261", "RM-300", PLANT, null, 1, "PC");
        erp.startErp();
        // the restarted ERP no longer knows the cached token: the client fetches a new one and repeats
        final ErpAnswer<ErpClient.MaterialDocument> up = client.postGoodsMovement(order + "/261/RM-300/1", order,
                "261", "RM-300", PLANT, null, 1, "PC");

        assertThat(down).isInstanceOf(ErpAnswer.Unavailable.class);
        assertThat(up).isInstanceOf(ErpAnswer.Done.class);
        assertThat(client.readOrderMovements(order).orElseThrow()).hasSize(2);
    }

    @Test
    void nothingListeningIsUnavailableNotAnException() {
        try (BlockingErpClient nowhere = BlockingErpClient.create(URI.create("http://127.0.0.1:1/sap/opu/odata/sap/"),
                "u", "p", Duration.ofSeconds(2))) {
            assertThat(nowhere.readStock("RM-100", PLANT)).isInstanceOfSatisfying(ErpAnswer.Unavailable.class,
                    u -> assertThat(u.reason()).contains("127.0.0.1:1"));
        }
    }
}
