package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.CONFIRMATIONS;
import static io.plantmesh.erp.embedded.TestPlant.DOCUMENTS;
import static io.plantmesh.erp.embedded.TestPlant.REQUISITIONS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** The books survive restarts: documents stay, numbers go on, repeats replay, a half-applied posting completes. */
class RestartTest extends ErpFixture {

    @Test
    void documentsAndCountersSurviveARestartAndNoNumberIsUsedTwice() {
        String issue = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "r-gi").entity()
            .getString("MaterialDocument");
        String receipt = client.post(DOCUMENTS, TestPlant.goodsReceipt("FG-2001", "3"), "r-gr").entity()
            .getString("MaterialDocument");
        String requisition = client.post(REQUISITIONS, PurchaseRequisitionTest.requisition("RM-100", "5"), "r-pr")
            .entity().getString("PurchaseRequisition");
        JsonObject confirmation = client.post(CONFIRMATIONS, ConfirmationApiTest.confirmation("0010", "3", "0",
            false), "r-conf").entity();

        restartErp();

        assertThat(client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentHeader(MaterialDocumentYear='2026',"
            + "MaterialDocument='" + issue + "')").status()).isEqualTo(200);
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("90");
        assertThat(TestPlant.stock(client, "FG-2001")).isEqualByComparingTo("3");

        String nextIssue = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), "r-gi-2").entity()
            .getString("MaterialDocument");
        String nextReceipt = client.post(DOCUMENTS, TestPlant.goodsReceipt("FG-2001", "1"), "r-gr-2").entity()
            .getString("MaterialDocument");
        String nextRequisition = client.post(REQUISITIONS, PurchaseRequisitionTest.requisition("RM-100", "5"),
            "r-pr-2").entity().getString("PurchaseRequisition");
        JsonObject nextConfirmation = client.post(CONFIRMATIONS, ConfirmationApiTest.confirmation("0010", "2", "0",
            true), "r-conf-2").entity();
        JsonObject otherOperation = client.post(CONFIRMATIONS, ConfirmationApiTest.confirmation("0020", "5", "0",
            true), "r-conf-3").entity();

        assertThat(Long.parseLong(nextIssue)).isEqualTo(Long.parseLong(issue) + 1);
        assertThat(Long.parseLong(nextReceipt)).isEqualTo(Long.parseLong(receipt) + 1);
        assertThat(Long.parseLong(nextRequisition)).isEqualTo(Long.parseLong(requisition) + 1);
        assertThat(nextConfirmation.getString("ConfirmationGroup")).isEqualTo(confirmation.getString(
            "ConfirmationGroup"));
        assertThat(nextConfirmation.getString("ConfirmationCount")).isEqualTo("2");
        assertThat(Long.parseLong(otherOperation.getString("ConfirmationGroup")))
            .isGreaterThan(Long.parseLong(confirmation.getString("ConfirmationGroup")));
    }

    @Test
    void aRepeatAfterARestartReplaysTheOriginalFromTheStore() {
        JsonObject original = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "r-replay").entity();

        restartErp();
        ErpClient.Response repeat = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "r-replay");

        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.header("x-plantmesh-replayed")).isEqualTo("true");
        assertThat(repeat.entity().getString("MaterialDocument")).isEqualTo(original.getString("MaterialDocument"));
        assertThat(repeat.entity().getJsonObject("__metadata").getString("uri")).as("URIs of the running ERP")
            .startsWith(erp.baseUri().toString());
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("90");
    }

    @Test
    void aPostingCommittedButNotAppliedIsCompletedAtTheNextStartAndItsRepeatReplaysIt() {
        erp.faultAfterCommitForTests(() -> {
            throw new IllegalStateException("simulated crash between journal and collections");
        });

        ErpClient.Response failed = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "r-crash");
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.errorMessage()).contains("same Repeatability-Request-ID");

        restartErp();

        assertThat(TestPlant.stock(client, "RM-100")).as("the committed posting was applied at start")
            .isEqualByComparingTo("90");
        ErpClient.Response repeat = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "r-crash");
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.header("x-plantmesh-replayed")).isEqualTo("true");
        assertThat(TestPlant.stock(client, "RM-100")).as("posted once").isEqualByComparingTo("90");
        String next = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), "r-after-crash").entity()
            .getString("MaterialDocument");
        assertThat(Long.parseLong(next)).isEqualTo(Long.parseLong(repeat.entity().getString("MaterialDocument"))
            + 1);
    }

    @Test
    void withoutARestartTheEngineCompletesTheCommittedPostingBeforeTheNextOne() {
        erp.faultAfterCommitForTests(() -> {
            throw new IllegalStateException("simulated database failure after the commit");
        });
        assertThat(client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "r-fail").status()).isEqualTo(503);
        erp.faultAfterCommitForTests(null);

        ErpClient.Response repeat = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "r-fail");

        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.header("x-plantmesh-replayed")).isEqualTo("true");
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("90");
    }
}
