package io.plantmesh.devices.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.devices.gateway.mapping.MappingLoader;
import io.plantmesh.devices.gateway.support.TestHonoBroker;
import io.plantmesh.devices.simulator.DeviceProtocol;
import io.plantmesh.devices.simulator.MachineSpec;
import io.plantmesh.devices.simulator.ShopFloorSimulator;
import io.plantmesh.devices.simulator.SimulatorConfig;
import io.plantmesh.devices.simulator.machine.MachineType;
import io.vertx.core.Vertx;

/**
 * The gateway against the simulator's OPC-UA line server over Basic256Sha256 / SignAndEncrypt with a user name, the
 * way a plant runs it: the server trusts only client certificates in its trust list, the gateway trusts only the
 * server certificates in its {@code trusted/} directory. An unknown gateway certificate is rejected (and lands in the
 * server's rejected folder for an operator to approve); once approved, the gateway's reconnect gets through and
 * telemetry flows.
 */
class EdgeGatewaySecureIT {

    private static final String DEVICE = "plant1:machine-1-01";
    private static final String TELEMETRY = "telemetry//" + DEVICE
            + "/?content-type=application%2Fvnd.plantmesh.machine%2Bjson";
    private static final String KEY_STORE_PASSWORD = "gw-keystore-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private Vertx vertx;
    private TestHonoBroker broker;
    private ShopFloorSimulator floor;
    private EdgeGateway gateway;
    private Path serverPki;
    private Path gatewayDir;
    private X509Certificate gatewayCertificate;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        broker = new TestHonoBroker(vertx, "plant1_gateway-1@plant1", "gw-secret");
        broker.start(0);

        // the gateway's application instance certificate, as an operator would create it
        gatewayDir = Files.createDirectories(tmp.resolve("gateway-pki"));
        final KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        gatewayCertificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("PlantMesh edge gateway")
                .setApplicationUri("urn:plantmesh:edge-gateway")
                .addDnsName("localhost")
                .build();
        final KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("gateway-client", keyPair.getPrivate(), KEY_STORE_PASSWORD.toCharArray(),
                new Certificate[] {gatewayCertificate});
        try (OutputStream out = Files.newOutputStream(gatewayDir.resolve("gateway-client.p12"))) {
            store.store(out, KEY_STORE_PASSWORD.toCharArray());
        }

        final Path simulatorCerts = tmp.resolve("simulator-pki");
        floor = ShopFloorSimulator.create(SimulatorConfig.builder(simulatorCerts)
                .machines(List.of(new MachineSpec(DEVICE, "L1M01", 1, 1, MachineType.CNC_MILL, null,
                        DeviceProtocol.OPC_UA)))
                .opcUaBasePort(0)
                .mqttEnabled(false)
                .trustAllClientCertificates(false)
                .tickInterval(Duration.ofMillis(100))
                .build());
        floor.start();
        serverPki = simulatorCerts.resolve("line-1");

        // the gateway trusts exactly the line server's certificate
        final Path trusted = Files.createDirectories(gatewayDir.resolve("trusted"));
        Files.write(trusted.resolve("line-1.der"), serverCertificate(serverPki.resolve("server.pfx")).getEncoded());
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (floor != null) {
            floor.close();
        }
        broker.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void anUnknownGatewayIsRejectedUntilTrustedThenTelemetryFlowsOverTheSecuredSession() throws Exception {
        gateway = startGateway(OpcUaSecurity.signAndEncrypt(gatewayDir, KEY_STORE_PASSWORD)
                .withUser(SimulatorConfig.DEFAULT_OPCUA_USER, SimulatorConfig.DEFAULT_OPCUA_PASSWORD));

        // the server has never seen this certificate: it refuses the secure channel and quarantines the certificate
        final Path rejected = serverPki.resolve("pki").resolve("rejected").resolve("certs");
        await().atMost(WAIT).until(() -> certificateFiles(rejected).stream().anyMatch(this::isGatewayCertificate));
        assertThat(broker.receivedOn(TELEMETRY)).isEmpty();

        // the operator approves it: into the server's trust list; the gateway's next reconnect gets through
        final Path approved = Files.createDirectories(serverPki.resolve("pki").resolve("trusted").resolve("certs"));
        Files.write(approved.resolve("plantmesh-edge-gateway.der"), gatewayCertificate.getEncoded());

        await().atMost(WAIT).until(() -> !broker.receivedOn(TELEMETRY).isEmpty());
        assertThat(broker.receivedOn(TELEMETRY).get(0).json().getJsonObject("features")).isNotNull();
    }

    @Test
    void aGatewayThatDoesNotTrustTheServerCertificateNeverSendsItsCredentials() throws Exception {
        // the server trusts the gateway, but the gateway's trust list holds another server's certificate
        final Path approved = Files.createDirectories(serverPki.resolve("pki").resolve("trusted").resolve("certs"));
        Files.write(approved.resolve("plantmesh-edge-gateway.der"), gatewayCertificate.getEncoded());
        final Path trusted = gatewayDir.resolve("trusted");
        try (Stream<Path> files = Files.list(trusted)) {
            for (final Path f : files.toList()) {
                Files.delete(f);
            }
        }
        final KeyPair other = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        Files.write(trusted.resolve("other.der"), new SelfSignedCertificateBuilder(other)
                .setCommonName("some other server").setApplicationUri("urn:example:other").build().getEncoded());

        gateway = startGateway(OpcUaSecurity.signAndEncrypt(gatewayDir, KEY_STORE_PASSWORD)
                .withUser(SimulatorConfig.DEFAULT_OPCUA_USER, SimulatorConfig.DEFAULT_OPCUA_PASSWORD));

        // the gateway keeps retrying (and failing the server's certificate) — it is not connected...
        await().atMost(WAIT).until(() -> gateway.opcUaRetries() >= 2);
        assertThat(broker.receivedOn(TELEMETRY)).isEmpty();

        // ...until the operator puts the right server certificate into its trust list
        Files.write(trusted.resolve("line-1.der"), serverCertificate(serverPki.resolve("server.pfx")).getEncoded());
        await().atMost(WAIT).until(() -> !broker.receivedOn(TELEMETRY).isEmpty());
    }

    private EdgeGateway startGateway(final OpcUaSecurity security) throws Exception {
        final GatewayConfig config = GatewayConfig.builder("plant1:gateway-1", "gw-secret")
                .mqtt("127.0.0.1", broker.port())
                .telemetryQos(0)
                .devices(List.of(MachineDevice.of(DEVICE, floor.opcUaEndpoint(1).orElseThrow(), "cnc-spindle")))
                .mappings(MappingLoader.bundled())
                .buffer(tmp.resolve("buffer"), 1 << 20)
                .flushInterval(Duration.ofMillis(100))
                .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
                .opcUaSecurity(security)
                .build();
        final EdgeGateway started = EdgeGateway.create(config);
        started.start();
        return started;
    }

    private static X509Certificate serverCertificate(final Path pfx) throws Exception {
        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pfx)) {
            store.load(in, "plantmesh-simulator".toCharArray());
        }
        for (final String alias : Collections.list(store.aliases())) {
            if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                return certificate;
            }
        }
        throw new IllegalStateException("no certificate in " + pfx);
    }

    private static List<Path> certificateFiles(final Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private boolean isGatewayCertificate(final Path file) {
        try {
            return java.util.Arrays.equals(Files.readAllBytes(file), gatewayCertificate.getEncoded());
        } catch (final java.io.IOException | java.security.cert.CertificateEncodingException e) {
            return false;
        }
    }
}
