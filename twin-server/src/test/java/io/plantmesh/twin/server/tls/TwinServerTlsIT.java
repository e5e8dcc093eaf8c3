package io.plantmesh.twin.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;

import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.MessagingConfiguration;
import org.eclipse.ditto.client.configuration.TrustStoreConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.DevelopmentCertificates;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.tls.TlsConfigurationException;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;

/**
 * The twin server with TLS from the development CA's files: the official Ditto Java client over wss and a JDK HTTP
 * client over https verify the chain and the host name against the CA; clients that do not trust the CA fail the
 * handshake; a missing key file stops the start with a message naming it.
 */
class TwinServerTlsIT {

    private static final ThingId THING = ThingId.of("plant.tls:press-1");

    @TempDir
    static Path dir;
    private static MongoServer mongo;
    private static TwinServer server;
    private static int port;
    private static DevelopmentCertificates.Outcome certs;

    @BeforeAll
    static void start() {
        certs = DevelopmentCertificates.ensure(dir.resolve("certs"), DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        server = TwinServer.create(config().withTls(certs.listenerTls()));
        port = server.start();
    }

    private static TwinServerConfig config() {
        final InetSocketAddress address = mongo.getLocalAddress();
        return TwinServerConfig.defaults("mongodb://127.0.0.1:" + address.getPort()).withPort(0)
                .withUsers(Map.of("ditto", "ditto"), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
    }

    @Test
    void theDittoJavaClientWritesAndReadsOverWssTrustingTheDevelopmentCa() throws Exception {
        final ClientTrust trust = ClientTrust.fromPemFile(certs.caCertificateFile());
        final DittoClient client = connect("wss://localhost:" + port + "/ws/2", trust);
        try {
            client.twin().create(THING).toCompletableFuture().get(10, TimeUnit.SECONDS);
            client.twin().forId(THING).putAttribute("tonnage", 250).toCompletableFuture().get(10, TimeUnit.SECONDS);
            final Thing read = client.twin().forId(THING).retrieve().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(read.getAttributes().orElseThrow().getValue("tonnage")).contains(JsonValue.of(250));
        } finally {
            client.destroy();
        }
    }

    @Test
    void httpsVerifiesTheChainAndTheHostName() throws Exception {
        final HttpClient client = HttpClient.newBuilder()
                .sslContext(ClientTrust.fromPemFile(certs.caCertificateFile()).sslContext())
                .connectTimeout(Duration.ofSeconds(10)).build();

        final HttpResponse<String> response = client.send(get("https://127.0.0.1:" + port + "/api/2/whoami"),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("nginx:ditto");
    }

    @Test
    void aClientThatDoesNotTrustTheCaFailsTheHandshake() {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        assertThatThrownBy(() -> client.send(get("https://127.0.0.1:" + port + "/api/2/whoami"),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theDittoClientWithoutTheCaCannotConnect() {
        assertThatThrownBy(() -> connect("wss://localhost:" + port + "/ws/2", null))
                .isInstanceOf(ExecutionException.class)
                // the JDK's trust refuses the chain; the client reports it as a certificate it cannot verify
                .rootCause().hasMessageMatching("(?is).*certific.*");
    }

    @Test
    void aMissingKeyFileStopsTheStartAndIsNamed() {
        final Path missing = dir.resolve("certs").resolve("no-such-key.pem");
        final TwinServer broken = TwinServer.create(config().withTls(
                ListenerTls.of(certs.serverCertificateFile(), missing)));
        try {
            assertThatThrownBy(broken::start)
                    .isInstanceOf(TlsConfigurationException.class)
                    .hasMessageContaining("the twin API's TLS private key file")
                    .hasMessageContaining(missing.toString());
        } finally {
            broken.close();
        }
    }

    private static HttpRequest get(final String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ditto:ditto".getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private static DittoClient connect(final String endpoint, final ClientTrust trust) throws Exception {
        final MessagingConfiguration.Builder builder = WebSocketMessagingConfiguration.newBuilder();
        builder.endpoint(endpoint).jsonSchemaVersion(JsonSchemaVersion.V_2).timeout(Duration.ofSeconds(10))
                .reconnectEnabled(false);
        if (trust != null) {
            builder.trustStoreConfiguration(TrustStoreConfiguration.newBuilder()
                    .location(trust.trustStoreUrl("plantmesh")).password("plantmesh").build());
        }
        return DittoClients.newInstance(MessagingProviders.webSocket(builder.build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder().username("ditto")
                        .password("ditto").build())))
                .connect().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }
}
