package io.plantmesh.bench.erp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.plantmesh.bench.MachineDescription;
import io.plantmesh.bench.mes.Latencies;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Closed-loop OData load against an ERP: {@code clients} concurrent clients (Vert.x WebClient, one connection each),
 * each posting one request after the other for a fixed time, round robin over a goods issue (261) of a component to
 * an order, a goods receipt (101) of the product from an order, and a yield confirmation of an order; every POST with
 * a new {@code Repeatability-Request-ID}. Counts 201s, records each request's latency, and fails loudly on anything
 * else.
 */
final class ODataLoad {

    /** Materials the load posts: they must be in the ERP's material master with enough stock of the component. */
    static final String PRODUCT = "FG-LOAD";
    static final String COMPONENT = "RM-LOAD";

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    /** What a run measured. @param kinds postings per kind: 261, 101, confirmations */
    record Result(int clients, long postings, long failures, double seconds, Latencies latencies, long[] kinds,
            String firstFailure, double[] loadBefore, double[] loadAfter) {

        double perSecond() {
            return postings / seconds;
        }
    }

    private final Vertx vertx;
    private final URI base;
    private final String authorization;
    private final String plant;

    ODataLoad(Vertx vertx, URI base, String user, String password, String plant) {
        this.vertx = vertx;
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        this.plant = plant;
    }

    /**
     * Runs {@code clients} clients for {@code seconds}; keys start with {@code keyPrefix} (use a new prefix per run).
     */
    Result run(int clients, double seconds, String keyPrefix) throws Exception {
        WebClient web = WebClient.create(vertx, new WebClientOptions().setMaxPoolSize(clients).setKeepAlive(true)
                .setConnectTimeout(5000).setIdleTimeout(30));
        try {
            String documentsToken = token(web, "API_MATERIAL_DOCUMENT_SRV");
            String confirmationsToken = token(web, "API_PROD_ORDER_CONFIRMATION_2_SRV");
            double[] loadBefore = MachineDescription.loadAverage();
            Latencies latencies = new Latencies();
            AtomicLong failures = new AtomicLong();
            long[] kinds = new long[3];
            String[] firstFailure = new String[1];
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            CompletableFuture<?>[] done = new CompletableFuture<?>[clients];
            for (int c = 0; c < clients; c++) {
                CompletableFuture<Void> finished = new CompletableFuture<>();
                done[c] = finished;
                int client = c;
                // each client runs on its own context so that its requests are strictly one after the other
                vertx.runOnContext(v -> loop(web, client, 0, end, keyPrefix, documentsToken, confirmationsToken,
                        latencies, failures, kinds, firstFailure, finished));
            }
            CompletableFuture.allOf(done).get((long) seconds + 120, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long postings;
            synchronized (latencies) {
                postings = latencies.count();
            }
            return new Result(clients, postings, failures.get(), elapsed, latencies, kinds, firstFailure[0],
                    loadBefore, MachineDescription.loadAverage());
        } finally {
            web.close();
        }
    }

    private void loop(WebClient web, int client, long n, long end, String keyPrefix, String documentsToken,
            String confirmationsToken, Latencies latencies, AtomicLong failures, long[] kinds, String[] firstFailure,
            CompletableFuture<Void> finished) {
        if (System.nanoTime() >= end) {
            finished.complete(null);
            return;
        }
        int kind = (int) ((n + client) % 3);
        String order = plant + ":wo-load-" + client + "-" + (n / 3);
        String key = keyPrefix + "/" + client + "/" + n;
        long sent = System.nanoTime();
        post(web, kind, order, key, documentsToken, confirmationsToken).onComplete(answer -> {
            long took = System.nanoTime() - sent;
            boolean created = answer.succeeded() && answer.result().statusCode() == 201;
            if (created) {
                synchronized (latencies) {
                    latencies.add(took / 1e6);
                    kinds[kind]++;
                }
            } else {
                failures.incrementAndGet();
                synchronized (latencies) {
                    if (firstFailure[0] == null) {
                        firstFailure[0] = answer.succeeded() ? answer.result().statusCode() + " "
                                + answer.result().bodyAsString() : String.valueOf(answer.cause());
                    }
                }
            }
            loop(web, client, n + 1, end, keyPrefix, documentsToken, confirmationsToken, latencies, failures, kinds,
                    firstFailure, finished);
        });
    }

    private Future<HttpResponse<Buffer>> post(WebClient web, int kind, String order, String key,
            String documentsToken, String confirmationsToken) {
        String service;
        String set;
        String token;
        JsonObject body;
        if (kind == 2) {
            service = "API_PROD_ORDER_CONFIRMATION_2_SRV";
            set = "ProdnOrdConf2";
            token = confirmationsToken;
            body = new JsonObject().put("OrderID", order).put("Plant", plant).put("Material", PRODUCT)
                    .put("ConfirmationYieldQuantity", "3").put("ConfirmationScrapQuantity", "0")
                    .put("ConfirmationUnit", "PC").put("FinalConfirmationType", "")
                    .put("APIConfHasNoGoodsMovements", true);
        } else {
            boolean issue = kind == 0;
            service = "API_MATERIAL_DOCUMENT_SRV";
            set = "A_MaterialDocumentHeader";
            token = documentsToken;
            JsonObject item = new JsonObject().put("Material", issue ? COMPONENT : PRODUCT).put("Plant", plant)
                    .put("GoodsMovementType", issue ? "261" : "101").put("QuantityInEntryUnit", "3.000")
                    .put("ManufacturingOrder", order);
            body = new JsonObject().put("GoodsMovementCode", issue ? "03" : "02")
                    .put("to_MaterialDocumentItem", new JsonArray().add(item));
        }
        return web.postAbs(base + service + "/" + set)
                .putHeader("Authorization", authorization)
                .putHeader("Accept", "application/json")
                .putHeader("Content-Type", "application/json")
                .putHeader("x-csrf-token", token)
                .putHeader("Repeatability-Request-ID", key)
                .putHeader("Repeatability-First-Sent", IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .timeout(30_000)
                .sendBuffer(Buffer.buffer(body.encode()));
    }

    private String token(WebClient web, String service) throws Exception {
        Promise<String> token = Promise.promise();
        web.getAbs(base + service + "/")
                .putHeader("Authorization", authorization)
                .putHeader("Accept", "application/json")
                .putHeader("x-csrf-token", "Fetch")
                .send()
                .onComplete(r -> {
                    String value = r.succeeded() ? r.result().getHeader("x-csrf-token") : null;
                    if (value == null) {
                        token.fail(new IllegalStateException("no CSRF token from " + service + ": "
                                + (r.succeeded() ? r.result().statusCode() + " " + r.result().bodyAsString()
                                        : r.cause())));
                    } else {
                        token.complete(value);
                    }
                });
        return token.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
