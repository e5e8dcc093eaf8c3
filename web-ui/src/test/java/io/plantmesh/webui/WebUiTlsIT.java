package io.plantmesh.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.DevelopmentCa;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.tls.PemFiles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;

/**
 * The web UI with TLS on both sides, as under {@code ./plantmesh up --tls} or the chart's {@code tls.enabled}: a
 * private CA issues the certificates of the stand-in twin and MES APIs (HTTPS on 127.0.0.1) and of the web UI's own
 * listener. With the CA as its client trust the web UI serves the page over HTTPS and proxies to both APIs; without
 * it the proxied call fails with a 502 that says the certificate is not trusted and which setting to give.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiTlsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private final Vertx upstreamVertx = Vertx.vertx();
    private HttpServer twin;
    private HttpServer mes;
    private ListenerTls listenerTls;
    private ClientTrust trust;
    private HttpClient browser;

    @BeforeAll
    void start() throws Exception {
        final DevelopmentCa ca = DevelopmentCa.generate("PlantMesh web UI test CA", 1);
        final DevelopmentCa.IssuedCertificate server = ca.issueServer(List.of("127.0.0.1", "localhost"), 1);
        final Path cert = write("server.pem", PemFiles.encodeCertificates(server.chain()));
        final Path key = write("server-key.pem", PemFiles.encodePrivateKey(server.key()));
        final Path caFile = write("ca.pem", PemFiles.encodeCertificates(List.of(ca.certificate())));
        listenerTls = ListenerTls.of(cert, key);
        trust = ClientTrust.fromPemFile(caFile);
        twin = upstream("twin");
        mes = upstream("mes");
        browser = HttpClient.newBuilder().connectTimeout(TIMEOUT).sslContext(trust.sslContext()).build();
    }

    @AfterAll
    void stop() {
        upstreamVertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void servesHttpsAndProxiesToHttpsApisWithThePrivateCa() throws Exception {
        try (WebUiServer ui = WebUiServer.create(config(), listenerTls, trust)) {
            ui.start();
            assertThat(ui.uri().getScheme()).isEqualTo("https");
            assertThat(ui.servesTls()).isTrue();

            final HttpResponse<String> page = get(ui.uri().resolve("/"));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<pm-app>");

            final HttpResponse<String> orders = get(ui.uri().resolve("/api/mes/v1/orders?limit=1"));
            assertThat(orders.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(orders.body()).getString("api")).isEqualTo("mes");
            assertThat(new JsonObject(orders.body()).getString("path")).isEqualTo("/api/mes/v1/orders");
            assertThat(new JsonObject(orders.body()).getBoolean("tls")).isTrue();

            final HttpResponse<String> thing = get(ui.uri().resolve("/api/2/things/plant1:line-1"));
            assertThat(thing.statusCode()).isEqualTo(200);
            assertThat(new JsonObject(thing.body()).getString("api")).isEqualTo("twin");
        }
    }

    @Test
    void withoutTheCaAProxiedCallFailsSayingWhichSettingIsMissing() throws Exception {
        try (WebUiServer ui = WebUiServer.create(config(), listenerTls, null)) {
            ui.start();
            final HttpResponse<String> orders = get(ui.uri().resolve("/api/mes/v1/orders"));
            assertThat(orders.statusCode()).isEqualTo(502);
            final JsonObject error = new JsonObject(orders.body());
            assertThat(error.getString("error")).isEqualTo("webui:upstream.untrusted");
            assertThat(error.getString("message")).contains("MES API").contains("https://127.0.0.1:"
                    + mes.actualPort()).contains("could not verify");
            assertThat(error.getString("description")).contains("tls.ca.file").contains("--tls-ca");
        }
    }

    @Test
    void aPlainHttpClientIsNotServedByTheHttpsListener() {
        try (WebUiServer ui = WebUiServer.create(config(), listenerTls, trust)) {
            ui.start();
            final HttpClient plain = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            final URI http = URI.create("http://127.0.0.1:" + ui.uri().getPort() + "/config.json");
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(http).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aMissingKeyFileStopsTheStartNamingTheFile() {
        final ListenerTls missing = ListenerTls.of(listenerTls.certificateChain(), dir.resolve("no-such-key.pem"));
        try (WebUiServer ui = WebUiServer.create(config(), missing, trust)) {
            assertThatThrownBy(ui::start).isInstanceOf(WebUiException.class)
                    .hasMessageContaining("cannot serve HTTPS").hasMessageContaining("no-such-key.pem");
        }
    }

    private WebUiConfig config() {
        return WebUiConfig.defaults(URI.create("https://127.0.0.1:" + twin.actualPort() + "/api/2"))
                .withListen("127.0.0.1", 0)
                .withMesApi(URI.create("https://127.0.0.1:" + mes.actualPort() + "/api/mes/v1"));
    }

    private HttpServer upstream(final String name) throws Exception {
        return upstreamVertx.createHttpServer(listenerTls.applyTo(new HttpServerOptions(), "the " + name + " API"))
                .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("api", name).put("path", request.path())
                                .put("tls", request.isSSL()).encode()))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(final URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Path write(final String name, final String pem) throws IOException {
        return Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
    }
}
