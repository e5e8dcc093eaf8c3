package io.plantmesh.bench.connectivity;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.devices.ingestion.IngestionConfig;
import io.plantmesh.devices.ingestion.IngestionCounters;
import io.plantmesh.devices.ingestion.TwinIngestion;
import io.plantmesh.devices.ingress.HonoIngress;
import io.plantmesh.devices.ingress.IngressConfig;
import io.plantmesh.devices.ingress.IngressEndpoints;
import io.plantmesh.devices.ingress.metrics.IngressMetrics;
import io.plantmesh.devices.ingress.registry.DeviceRegistry;
import io.plantmesh.devices.kafka.EmbeddedKafkaBroker;
import io.plantmesh.devices.kafka.EmbeddedKafkaConfig;
import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;
import io.vertx.core.json.JsonObject;

/**
 * The connectivity path of the embedded footprint, all in this JVM on 127.0.0.1 with free ports and a temporary data
 * directory: the durable embedded store, the embedded Kafka broker (KRaft, flush on every append), the twin server,
 * the Hono ingress (MQTT adapter + registry in the store) and the twin ingestion, plus provisioning of machines
 * (registry devices with passwords, machine twins).
 */
public final class ConnectivityPlant implements AutoCloseable {

    public static final String TENANT = "plant1";
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8));

    private final Path dir;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int twinPort;
    private HonoIngress ingress;
    private IngressEndpoints ingressEndpoints;
    private TwinIngestion ingestion;
    private IngestionConfig ingestionConfig;

    private ConnectivityPlant(Path dir) {
        this.dir = dir;
    }

    /** Starts store, Kafka, twin server and ingress; the ingestion starts with {@link #startIngestion}. */
    public static ConnectivityPlant start(Duration coalescingWindow) throws IOException {
        ConnectivityPlant plant = new ConnectivityPlant(Files.createTempDirectory("plantmesh-connectivity"));
        try {
            plant.startComponents(coalescingWindow);
            return plant;
        } catch (RuntimeException e) {
            plant.close();
            throw e;
        }
    }

    private void startComponents(Duration coalescingWindow) {
        EmbeddedMongoServer store = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dir.resolve("store")));
        started.add(store);
        store.start();
        String mongoUri = store.connectionString();

        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(EmbeddedKafkaConfig.defaults(dir.resolve("kafka")));
        started.add(broker);
        String bootstrap = broker.start();
        broker.createTopics(Set.of("hono.telemetry." + TENANT, "hono.event." + TENANT, "hono.command." + TENANT,
                "hono.command_response." + TENANT, "plantmesh.deadletter." + TENANT));

        TwinServer twins = TwinServer.create(TwinServerConfig.defaults(mongoUri).withPort(0));
        started.add(twins);
        twinPort = twins.start();

        ingress = HonoIngress.create(IngressConfig.defaults(mongoUri, bootstrap)
                .withTenants(Set.of(TENANT))
                .withMqttPort(0)
                .withRegistryPort(IngressConfig.NO_REGISTRY_SERVER)
                .withBcryptCost(4));   // provisioning speed only: BCrypt runs at connect, not per message
        started.add(ingress);
        ingressEndpoints = ingress.start();

        ingestionConfig = IngestionConfig.defaults(bootstrap, "ws://127.0.0.1:" + twinPort)
                .withTenants(List.of(TENANT));
        ingestionConfig = ingestionConfig.withCoalescing(coalescingWindow, ingestionConfig.maxBatchRecords());
    }

    public void startIngestion() {
        ingestion = TwinIngestion.create(ingestionConfig);
        started.add(ingestion);
        ingestion.start();
    }

    public IngestionConfig ingestionConfig() {
        return ingestionConfig;
    }

    /** Registers the device in Hono's registry with a password and creates its machine twin. */
    public void provisionMachine(int line, int machine, String password) {
        ThingId id = PlantThingIds.machine(TENANT, line, machine);
        DeviceRegistry registry = ingress.registry();
        registry.ensureTenant(TENANT, new JsonObject());
        registry.putDevice(TENANT, id.toString(), new JsonObject());
        registry.setPassword(TENANT, id.toString(), id.toString().replace(':', '_'), password);

        MachineTwin twin = MachineTwin.initial(id, PlantThingIds.line(TENANT, line), "Machine " + line + "-" + machine,
                DeviceBinding.hono(TENANT, id.toString()), Instant.now());
        HttpResponse<String> response = send(HttpRequest.newBuilder(thingUri(id.toString(), ""))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(twin.toThing().toJsonString())));
        if (response.statusCode() != 201 && response.statusCode() != 204) {
            throw new IllegalStateException("could not create twin " + id + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
    }

    /** The twin's {@code features/telemetry/properties/seq}, or -1 if it has none. */
    public long twinSeq(String thingId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                thingUri(thingId, "/features/telemetry/properties/seq")).GET());
        if (response.statusCode() != 200) {
            return -1;
        }
        return Long.parseLong(response.body().trim());
    }

    private URI thingUri(String thingId, String path) {
        return URI.create("http://127.0.0.1:" + twinPort + "/api/2/things/"
                + URLEncoder.encode(thingId, StandardCharsets.UTF_8) + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).header("Authorization", AUTH).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("twin server on 127.0.0.1:" + twinPort + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int twinPort() {
        return twinPort;
    }

    public IngressEndpoints ingressEndpoints() {
        return ingressEndpoints;
    }

    public IngressMetrics ingressMetrics() {
        return ingress.metrics();
    }

    public IngestionCounters.Snapshot ingestionCounters() {
        return ingestion.counters();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("[bench] could not close " + started.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[bench] could not delete " + dir + ": " + e);
        }
    }
}
