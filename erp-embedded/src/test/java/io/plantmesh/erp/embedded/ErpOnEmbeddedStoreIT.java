package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.DOCUMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;
import io.vertx.core.json.JsonObject;

/**
 * The embedded ERP on PlantMesh's durable embedded store (what {@code ./plantmesh up} runs): concurrent postings
 * with repeats move stock exactly once each, and after both the store and the ERP restart on the same files the
 * documents are there, numbers go on and repeats replay.
 */
class ErpOnEmbeddedStoreIT {

    private static final int SENDERS = 4;
    private static final int POSTINGS_PER_SENDER = 25;

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(TestPlant.START);

    @Test
    void postingsAreExactlyOnceAndSurviveARestartOfStoreAndErp() throws Exception {
        Set<String> numbers = new HashSet<>();
        String last;
        try (EmbeddedMongoServer store = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            store.start();
            try (EmbeddedErp erp = EmbeddedErp.create(TestPlant.config(store.connectionString(), clock).build())
                    .start()) {
                numbers.addAll(postConcurrentlyWithRepeats(erp));
                ErpClient client = ErpClient.of(erp);
                assertThat(numbers).hasSize(SENDERS * POSTINGS_PER_SENDER);
                assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo(
                    new BigDecimal(100 - SENDERS * POSTINGS_PER_SENDER / 2));
                last = numbers.stream().max(String::compareTo).orElseThrow();
            }
        }

        try (EmbeddedMongoServer store = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            store.start();
            try (EmbeddedErp erp = EmbeddedErp.create(TestPlant.config(store.connectionString(), clock).build())
                    .start()) {
                ErpClient client = ErpClient.of(erp);
                assertThat(TestPlant.stock(client, "RM-100")).isEqualByComparingTo(
                    new BigDecimal(100 - SENDERS * POSTINGS_PER_SENDER / 2));
                assertThat(client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem", "$filter",
                    "ManufacturingOrder eq '" + TestPlant.ORDER + "'", "$inlinecount", "allpages").json()
                    .getJsonObject("d").getString("__count")).isEqualTo(Integer.toString(SENDERS
                        * POSTINGS_PER_SENDER));

                ErpClient.Response repeat = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "0.5"), "it-0-0");
                assertThat(repeat.header("x-plantmesh-replayed")).isEqualTo("true");
                assertThat(numbers).contains(repeat.entity().getString("MaterialDocument"));

                String next = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "1"), "it-after-restart").entity()
                    .getString("MaterialDocument");
                assertThat(Long.parseLong(next)).isEqualTo(Long.parseLong(last) + 1);
                assertThat(client.get("API_MATERIAL_DOCUMENT_SRV/A_MaterialDocumentItem", "$filter",
                    "GoodsMovementType eq '561'").results()).as("initial stock booked once").hasSize(2);
            }
        }
    }

    /** Each sender posts its own goods issues of 0.5 PC, every one sent twice; the document numbers. */
    private static Set<String> postConcurrentlyWithRepeats(EmbeddedErp erp) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                ErpClient client = ErpClient.of(erp);
                results.add(threads.submit(() -> {
                    List<String> posted = new ArrayList<>();
                    for (int i = 0; i < POSTINGS_PER_SENDER; i++) {
                        String id = "it-" + sender + "-" + i;
                        JsonObject first = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "0.5"), id).entity();
                        JsonObject again = client.post(DOCUMENTS, TestPlant.goodsIssue("RM-100", "0.5"), id).entity();
                        assertThat(again.getString("MaterialDocument")).isEqualTo(first.getString("MaterialDocument"));
                        posted.add(first.getString("MaterialDocument"));
                    }
                    return posted;
                }));
            }
            Set<String> numbers = new HashSet<>();
            for (Future<List<String>> result : results) {
                numbers.addAll(result.get(60, TimeUnit.SECONDS));
            }
            return numbers;
        } finally {
            threads.shutdownNow();
        }
    }
}
