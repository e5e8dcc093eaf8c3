package io.plantmesh.devices.simulator.opcua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.simulator.DeviceProtocol;
import io.plantmesh.devices.simulator.MachineSpec;
import io.plantmesh.devices.simulator.ShopFloorSimulator;
import io.plantmesh.devices.simulator.SimulatorConfig;
import io.plantmesh.devices.simulator.machine.MachineType;

/**
 * One line's OPC-UA server on a free port, read and commanded with Milo's client: variables per the node layout,
 * a subscription that sees values change, StartJob moving the machine to RUNNING, and a secured session
 * (Basic256Sha256, SignAndEncrypt, username).
 */
class LineOpcUaServerIT {

    private Path pki;
    private ShopFloorSimulator floor;
    private OpcUaClient client;

    @BeforeEach
    void startLine() throws IOException {
        pki = Files.createTempDirectory("plantmesh-sim-pki");
        final List<MachineSpec> line = List.of(
                new MachineSpec("plant1:machine-1-01", "L1M01", 1, 1, MachineType.CNC_MILL, null,
                        DeviceProtocol.OPC_UA),
                new MachineSpec("plant1:machine-1-02", "L1M02", 1, 2, MachineType.LATHE, null,
                        DeviceProtocol.OPC_UA));
        // 60x plant time and a 30 s setup: a started job runs after half a second; no faults within the test
        floor = ShopFloorSimulator.create(SimulatorConfig.builder(pki)
                .machines(line)
                .opcUaBasePort(0)
                .mqttEnabled(false)
                .timeScale(60)
                .tickInterval(Duration.ofMillis(100))
                .profileTuning(p -> p.withSetupTime(Duration.ofSeconds(30)).withMtbf(Duration.ofDays(10_000)))
                .build());
        floor.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.disconnect();
        }
        if (floor != null) {
            floor.close();
        }
        try (Stream<Path> files = Files.walk(pki)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void variablesFollowTheNodeLayoutAndChange() throws Exception {
        final String url = floor.opcUaEndpoint(1).orElseThrow();
        assertThat(url).matches("opc\\.tcp://127\\.0\\.0\\.1:\\d+/plantmesh");
        client = connect(url, SecurityPolicy.None, null);
        final int ns = namespaceIndex(client);

        assertThat(read(ns, "L1M01.State")).isEqualTo("IDLE");
        assertThat(read(ns, "L1M01.StateReason")).isEqualTo("simulation started");
        assertThat(read(ns, "L1M01.GoodCount")).isEqualTo(0L);
        assertThat(read(ns, "L1M01.ScrapCount")).isEqualTo(0L);
        assertThat(read(ns, "L1M01.CycleTimeMs")).isEqualTo(0.0);
        assertThat(read(ns, "L1M01.SpindleSpeed")).isEqualTo(0.0);
        assertThat((Double) read(ns, "L1M01.Temperature")).isBetween(15.0, 40.0);
        assertThat((Double) read(ns, "L1M01.Vibration")).isBetween(0.0, 2.0);
        assertThat((Double) read(ns, "L1M01.Power")).isBetween(1.0, 6.0);
        assertThat(read(ns, "L1M01.JobId")).isEqualTo("");
        assertThat(read(ns, "L1M02.State")).isEqualTo("IDLE");

        final List<Object> temperatures = new CopyOnWriteArrayList<>();
        final OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
        subscription.create();
        final OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(new NodeId(ns, "L1M01.Temperature"));
        item.setSamplingInterval(50.0);
        item.setDataValueListener((monitoredItem, value) -> temperatures.add(value.value().value()));
        subscription.addMonitoredItem(item);
        subscription.synchronizeMonitoredItems();

        await().atMost(20, TimeUnit.SECONDS).until(() -> temperatures.stream().distinct().count() >= 3);
        subscription.delete();
    }

    @Test
    void startJobRunsTheMachineAndRejectionsSayWhy() throws Exception {
        client = connect(floor.opcUaEndpoint(1).orElseThrow(), SecurityPolicy.None, null);
        final int ns = namespaceIndex(client);

        final CallMethodResult start = call(ns, "L1M01", "StartJob", Variant.ofString("plant1:wo-100001"),
                Variant.ofString("0010"));
        assertThat(start.getStatusCode().isGood()).isTrue();
        assertThat(start.getOutputArguments()[0].value()).isEqualTo(true);
        assertThat((String) start.getOutputArguments()[1].value()).contains("plant1:wo-100001/0010");
        assertThat(read(ns, "L1M01.State")).isEqualTo("SETUP");
        assertThat(read(ns, "L1M01.JobId")).isEqualTo("plant1:wo-100001/0010");

        await().atMost(20, TimeUnit.SECONDS).until(() -> "RUNNING".equals(read(ns, "L1M01.State")));
        await().atMost(20, TimeUnit.SECONDS).until(() -> (Double) read(ns, "L1M01.SpindleSpeed") > 1000);
        assertThat(floor.machine("plant1:machine-1-01").orElseThrow().snapshot().jobId())
                .isEqualTo("plant1:wo-100001/0010");

        final CallMethodResult busy = call(ns, "L1M01", "StartJob", Variant.ofString("plant1:wo-100002"),
                Variant.ofString("0010"));
        assertThat(busy.getOutputArguments()[0].value()).isEqualTo(false);
        assertThat((String) busy.getOutputArguments()[1].value()).contains("busy");

        final CallMethodResult stopWithoutJob = call(ns, "L1M02", "StopJob");
        assertThat(stopWithoutJob.getOutputArguments()[0].value()).isEqualTo(false);

        final CallMethodResult hold = call(ns, "L1M01", "HoldJob");
        assertThat(hold.getOutputArguments()[0].value()).isEqualTo(true);
        assertThat(read(ns, "L1M01.State")).isEqualTo("IDLE");
    }

    @Test
    void aSecuredSessionWithUsernameWorks() throws Exception {
        final String url = floor.opcUaEndpoint(1).orElseThrow();
        final List<EndpointDescription> endpoints = DiscoveryClient.getEndpoints(url).get(10, TimeUnit.SECONDS);
        assertThat(endpoints).anySatisfy(e -> {
            assertThat(e.getSecurityPolicyUri()).isEqualTo(SecurityPolicy.Basic256Sha256.getUri());
            assertThat(e.getSecurityMode()).isEqualTo(MessageSecurityMode.SignAndEncrypt);
        });

        client = connect(url, SecurityPolicy.Basic256Sha256, new UsernameProvider(SimulatorConfig.DEFAULT_OPCUA_USER,
                SimulatorConfig.DEFAULT_OPCUA_PASSWORD));

        assertThat(read(namespaceIndex(client), "L1M02.State")).isEqualTo("IDLE");
        assertThat(Files.exists(pki.resolve("line-1").resolve("server.pfx"))).isTrue();
    }

    private Object read(final int ns, final String id) throws Exception {
        final DataValue value = client.readValue(0, TimestampsToReturn.Both, new NodeId(ns, id));
        assertThat(value.statusCode().isGood()).as("status of %s", id).isTrue();
        return value.value().value();
    }

    private CallMethodResult call(final int ns, final String key, final String method, final Variant... inputs)
            throws Exception {
        final CallMethodRequest request = new CallMethodRequest(new NodeId(ns, key), new NodeId(ns, key + "." + method),
                inputs);
        return client.call(List.of(request)).getResults()[0];
    }

    private static int namespaceIndex(final OpcUaClient client) throws Exception {
        return client.readNamespaceTable().getIndex("urn:plantmesh:sim").intValue();
    }

    private static OpcUaClient connect(final String url, final SecurityPolicy policy,
            final org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider identity) throws Exception {
        final KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        final X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("PlantMesh simulator IT")
                .setApplicationUri("urn:plantmesh:test:client")
                .addDnsName("localhost")
                .build();
        final OpcUaClient client = OpcUaClient.create(url,
                endpoints -> endpoints.stream()
                        .filter(e -> e.getSecurityPolicyUri().equals(policy.getUri()))
                        .filter(e -> e.getEndpointUrl().endsWith("/plantmesh"))
                        .findFirst(),
                transport -> {
                },
                config -> {
                    config.setApplicationName(LocalizedText.english("PlantMesh simulator IT"))
                            .setApplicationUri("urn:plantmesh:test:client")
                            .setKeyPair(keyPair)
                            .setCertificate(certificate)
                            .setCertificateChain(new X509Certificate[] {certificate})
                            .setCertificateValidator(new CertificateValidator.InsecureCertificateValidator());
                    if (identity != null) {
                        config.setIdentityProvider(identity);
                    }
                });
        return client.connect();
    }
}
