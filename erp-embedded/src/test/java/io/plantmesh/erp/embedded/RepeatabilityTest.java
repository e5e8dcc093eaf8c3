package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** Repeatability-Request-ID: a repeated POST returns the original response and posts nothing. */
class RepeatabilityTest extends ErpFixture {

    @Test
    void aRepeatedRequestIdReturnsTheOriginalDocumentAnd201AndMovesStockOnce() {
        ErpClient.Response first = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "order-123-gi-10");
        ErpClient.Response repeat = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "10"), "order-123-gi-10");

        assertThat(first.status()).isEqualTo(201);
        assertThat(repeat.status()).isEqualTo(201);
        assertThat(repeat.entity().getString("MaterialDocument")).isEqualTo(first.entity().getString(
            "MaterialDocument"));
        assertThat(repeat.entity()).isEqualTo(first.entity());
        assertThat(repeat.header("Location")).isEqualTo(first.header("Location"));
        assertThat(repeat.header("Repeatability-Result")).isEqualTo("accepted");
        assertThat(first.header("x-plantmesh-replayed")).isNull();
        assertThat(repeat.header("x-plantmesh-replayed")).isEqualTo("true");
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("90");
        assertThat(documentsOfOrder()).hasSize(1);
    }

    @Test
    void concurrentRepeatsOfOneRequestPostOneDocument() throws Exception {
        int senders = 16;
        ExecutorService threads = Executors.newFixedThreadPool(senders);
        try {
            for (int round = 0; round < 5; round++) {
                String id = "concurrent-" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<ErpClient.Response>> responses = new ArrayList<>();
                for (int s = 0; s < senders; s++) {
                    ErpClient own = ErpClient.of(erp);
                    responses.add(threads.submit(() -> {
                        go.await();
                        return own.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "2"), id);
                    }));
                }
                go.countDown();
                Set<String> numbers = new java.util.HashSet<>();
                for (Future<ErpClient.Response> response : responses) {
                    ErpClient.Response answer = response.get(30, TimeUnit.SECONDS);
                    assertThat(answer.status()).isEqualTo(201);
                    numbers.add(answer.entity().getString("MaterialDocument"));
                }
                assertThat(numbers).as("documents of request %s", id).hasSize(1);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("90");
        assertThat(documentsOfOrder()).hasSize(5);
    }

    @Test
    void aRefusedRequestLeavesNoRecordSoItsRepeatIsExecutedOnceStockIsThere() {
        ErpClient.Response refused = client.post(DOCUMENTS, TestPlant.goodsIssue("FG-2001", "3"), "fg-issue-3");
        assertThat(refused.status()).isEqualTo(400);

        assertThat(client.post(DOCUMENTS, TestPlant.goodsReceipt("FG-2001", "5"), "fg-receipt-5").status())
            .isEqualTo(201);
        ErpClient.Response retried = client.post(DOCUMENTS, TestPlant.goodsIssue("FG-2001", "3"), "fg-issue-3");

        assertThat(retried.status()).isEqualTo(201);
        assertThat(TestPlant.stock(client, "FG-2001")).isEqualByComparingTo("2");
    }

    @Test
    void aRequestIdUsedForAnotherEntitySetIsRefusedWith422() {
        assertThat(client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), "shared-id").status()).isEqualTo(201);

        JsonObject confirmation = new JsonObject().put("OrderID", TestPlant.ORDER).put("ConfirmationUnit", "PC")
            .put("ConfirmationYieldQuantity", "1");
        ErpClient.Response reused = client.post(TestPlant.CONFIRMATIONS, confirmation, "shared-id");

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.errorMessage()).contains("shared-id", "A_MaterialDocumentHeader");
    }

    @Test
    void withoutARequestIdEveryPostIsExecuted() {
        client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), null);
        client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), null);

        assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo("98");
    }

    @Test
    void aConfiguredRequirementRefusesPostsWithoutRequestId() {
        restartWith(TestPlant.config(mongo.uri(), clock).requireRepeatability(true).build());

        ErpClient.Response refused = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), null);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorMessage()).contains("Repeatability-Request-ID");
        assertThat(client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), "with-id").status()).isEqualTo(201);
    }

    private void restartWith(ErpConfig config) {
        erp.close();
        erp = EmbeddedErp.create(config).start();
        client = ErpClient.of(erp);
    }

    private Set<String> documentsOfOrder() {
        return client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem", "$filter",
            "ManufacturingOrder eq '" + TestPlant.ORDER + "'").results().stream()
            .map(i -> ((JsonObject) i).getString("MaterialDocument")).collect(Collectors.toSet());
    }
}
