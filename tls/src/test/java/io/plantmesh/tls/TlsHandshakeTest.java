package io.plantmesh.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/** A Vert.x server with the development certificate, and JDK clients that do or do not trust its CA. */
class TlsHandshakeTest {

    @TempDir
    Path dir;
    Vertx vertx;
    HttpServer server;
    DevelopmentCertificates.Outcome certs;

    @BeforeEach
    void start() throws Exception {
        certs = DevelopmentCertificates.ensure(dir, DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        vertx = Vertx.vertx();
        final HttpServerOptions options = certs.listenerTls().applyTo(
                new HttpServerOptions().setHost("127.0.0.1").setPort(0), "the test listener");
        server = vertx.createHttpServer(options).requestHandler(rq -> rq.response().end("hello over TLS"))
                .listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aClientTrustingTheDevelopmentCaVerifiesTheChainAndHostName() throws Exception {
        final ClientTrust trust = ClientTrust.fromPemFile(certs.caCertificateFile());
        final HttpClient client = HttpClient.newBuilder().sslContext(trust.sslContext())
                .connectTimeout(Duration.ofSeconds(10)).build();

        for (final String host : new String[] {"127.0.0.1", "localhost"}) {
            final HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("https://" + host + ":" + server.actualPort() + "/")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello over TLS");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaFailsTheHandshake() {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.actualPort() + "/")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aClientTrustingAnotherCaFailsTheHandshake() {
        final DevelopmentCertificates.Outcome other = DevelopmentCertificates.ensure(dir.resolve("other"),
                DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        final HttpClient client = HttpClient.newBuilder().sslContext(other.clientTrust().sslContext())
                .connectTimeout(Duration.ofSeconds(10)).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.actualPort() + "/")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void mutualTlsAcceptsAClientCertificateFromTheCaAndRefusesClientsWithout() throws Exception {
        final HttpServer mutual = vertx.createHttpServer(certs.listenerTls().withClientCa(certs.caCertificateFile())
                .applyTo(new HttpServerOptions().setHost("127.0.0.1").setPort(0), "the mutual TLS listener"))
                .requestHandler(rq -> {
                    String who;
                    try {
                        who = ((java.security.cert.X509Certificate) rq.connection().peerCertificates().get(0))
                                .getSubjectX500Principal().getName();
                    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                        who = "anonymous";
                    }
                    rq.response().end(who);
                })
                .listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        final URI url = URI.create("https://localhost:" + mutual.actualPort() + "/");

        final DevelopmentCa ca = DevelopmentCa.load(certs.caCertificateFile(), certs.caKeyFile());
        final DevelopmentCa.IssuedCertificate device = ca.issueClient("plant1_machine-1-03", 1);
        final java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("device", device.key(), "pw".toCharArray(),
                device.chain().toArray(java.security.cert.Certificate[]::new));
        final javax.net.ssl.KeyManagerFactory keyManagers = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "pw".toCharArray());
        final javax.net.ssl.TrustManagerFactory trustManagers = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(certs.clientTrust().keyStore());
        final javax.net.ssl.SSLContext withCertificate = javax.net.ssl.SSLContext.getInstance("TLS");
        withCertificate.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);

        final HttpResponse<String> accepted = HttpClient.newBuilder().sslContext(withCertificate).build()
                .send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.body()).contains("CN=plant1_machine-1-03");

        final HttpClient withoutCertificate = HttpClient.newBuilder()
                .sslContext(certs.clientTrust().sslContext()).build();
        assertThatThrownBy(() -> withoutCertificate.send(HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void theInMemoryTrustStoreUrlServesAJksStore() throws Exception {
        final java.security.KeyStore store = java.security.KeyStore.getInstance("JKS");
        try (var in = certs.clientTrust().trustStoreUrl("plantmesh").openStream()) {
            store.load(in, "plantmesh".toCharArray());
        }
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.getCertificate(store.aliases().nextElement())).isEqualTo(certs.caCertificate());
    }
}
