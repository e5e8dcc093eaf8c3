package io.plantmesh.erp.bridge.erp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.erp.bridge.support.BlockingErpClient;
import io.plantmesh.tls.DevelopmentCertificates;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * {@link ErpClient} over https against a stand-in OData server on 127.0.0.1 with a development certificate: the CA
 * from {@link io.plantmesh.tls.ClientTrust} is trusted (and only it), and the {@code Authorization} header of each
 * request comes from the authorization supplier, also when it completes later.
 */
class ErpClientTlsTest {

    private static final String STOCK = "{\"d\":{\"results\":[{\"Material\":\"RM-100\",\"Plant\":\"plant1\","
            + "\"InventoryStockType\":\"01\",\"MatlWrhsStkQtyInMatlBaseUnit\":\"12.5\"}]}}";

    @TempDir
    Path dir;
    private Vertx vertx;
    private HttpServer server;
    private DevelopmentCertificates.Outcome certs;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        certs = DevelopmentCertificates.ensure(dir, DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        vertx = Vertx.vertx();
        final HttpServerOptions options = certs.listenerTls().applyTo(
                new HttpServerOptions().setHost("127.0.0.1").setPort(0), "the test ERP");
        server = vertx.createHttpServer(options).requestHandler(request -> {
            authorizations.add(String.valueOf(request.getHeader("Authorization")));
            request.response().putHeader("Content-Type", "application/json").end(STOCK);
        }).listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private URI base(final String host) {
        return URI.create("https://" + host + ":" + server.actualPort() + "/sap/opu/odata/sap/");
    }

    @Test
    void trustedCaAndTokenPerRequestFromAnAsynchronousSupplier() {
        final AtomicInteger issued = new AtomicInteger();
        try (ErpClient client = ErpClient.create(vertx, base("localhost"), () -> {
            // completes later, as a token renewal does
            final Promise<String> token = Promise.promise();
            vertx.setTimer(20, t -> token.complete("Bearer token-" + issued.incrementAndGet()));
            return token.future();
        }, Duration.ofSeconds(10), certs.clientTrust())) {
            final ErpAnswer<ErpClient.StockLevel> first = BlockingErpClient.await(client.readStock("RM-100",
                    "plant1"));
            final ErpAnswer<ErpClient.StockLevel> second = BlockingErpClient.await(client.readStock("RM-100",
                    "plant1"));

            assertThat(first).isEqualTo(new ErpAnswer.Done<>(new ErpClient.StockLevel("RM-100", "plant1", 12.5)));
            assertThat(second).isInstanceOf(ErpAnswer.Done.class);
            assertThat(authorizations).containsExactly("Bearer token-1", "Bearer token-2");
        }
    }

    @Test
    void basicUserOverHttpsByIpAddress() {
        try (ErpClient client = ErpClient.create(vertx, base("127.0.0.1"), "PLANTMESH", "plantmesh",
                Duration.ofSeconds(10), certs.clientTrust())) {
            final ErpAnswer<ErpClient.StockLevel> answer = BlockingErpClient.await(client.readStock("RM-100",
                    "plant1"));

            assertThat(answer).isInstanceOf(ErpAnswer.Done.class);
            assertThat(authorizations).containsExactly("Basic UExBTlRNRVNIOnBsYW50bWVzaA==");
        }
    }

    @Test
    void anotherCaIsRefusedBeforeAnyRequestIsSent() {
        final DevelopmentCertificates.Outcome other = DevelopmentCertificates.ensure(dir.resolve("other"),
                DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        try (ErpClient client = ErpClient.create(vertx, base("localhost"), () -> Future.succeededFuture("Bearer x"),
                Duration.ofSeconds(10), other.clientTrust())) {
            final ErpAnswer<ErpClient.StockLevel> answer = BlockingErpClient.await(client.readStock("RM-100",
                    "plant1"));

            assertThat(answer).isInstanceOfSatisfying(ErpAnswer.Unavailable.class,
                    u -> assertThat(u.reason()).contains("is the ERP at " + base("localhost")));
            assertThat(authorizations).isEmpty();
        }
    }
}
