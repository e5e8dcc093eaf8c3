package io.plantmesh.launcher.service;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.gateway.EdgeGateway;
import io.plantmesh.devices.gateway.GatewayConfig;
import io.plantmesh.devices.gateway.MachineDevice;
import io.plantmesh.devices.ingestion.IngestionConfig;
import io.plantmesh.devices.ingestion.IngestionCounters;
import io.plantmesh.devices.ingestion.TwinIngestion;
import io.plantmesh.erp.bridge.ErpBridge;
import io.plantmesh.erp.bridge.ErpBridgeConfig;
import io.plantmesh.erp.embedded.EmbeddedErp;
import io.plantmesh.erp.embedded.ErpConfig;
import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.WorkCenter;
import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.launcher.demo.DemoProvisioner;
import io.plantmesh.launcher.demo.ProvisioningReport;
import io.plantmesh.launcher.shopfloor.ShopFloorLauncher;
import io.plantmesh.launcher.shopfloor.ShopFloorPlan;
import io.plantmesh.mes.MesBridge;
import io.plantmesh.mes.MesBridgeConfig;
import io.plantmesh.mes.api.MesApi;
import io.plantmesh.mes.api.MesApiConfig;
import io.plantmesh.twin.client.TwinAccess;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.vertx.core.Vertx;

/**
 * Starts one PlantMesh service in this process from a {@link ServiceConfig}: the same classes {@code ./plantmesh up}
 * runs in one JVM, configured for a cluster (Ditto, Kafka, MongoDB and the registry by URL, secrets from the
 * environment). {@code provision} runs once and returns.
 */
final class ServiceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    /** The services {@code plantmesh service NAME} knows. */
    static final List<String> SERVICES = List.of("twin-ingestion", "mes-bridge", "mes-api", "erp-bridge",
            "erp-modules", "web-ui", "edge-gateway", "provision");

    /** A started service: what to close, and its counters for /metrics. */
    record Running(AutoCloseable service, Supplier<Map<String, Long>> metrics, String summary) {
    }

    private ServiceRunner() {
    }

    /**
     * Starts {@code name}.
     *
     * @throws ServiceException saying what was wrong and what to set
     */
    static Running start(final String name, final ServiceConfig config) {
        checkAuth(config);
        return switch (name) {
            case "twin-ingestion" -> twinIngestion(config);
            case "mes-bridge" -> mesBridge(config);
            case "mes-api" -> mesApi(config);
            case "erp-bridge" -> erpBridge(config);
            case "erp-modules" -> erpModules(config);
            case "edge-gateway" -> edgeGateway(config);
            case "provision" -> provision(config);
            case "web-ui" -> throw new ServiceException("The web UI is not part of this build (module web-ui, issue"
                    + " #8, is not merged yet): set webUi.enabled=false in the chart until it is.");
            default -> throw new ServiceException("Unknown service '" + name + "': use one of "
                    + String.join(", ", SERVICES) + ".");
        };
    }

    /** Basic auth against Ditto works today; tokens need the twin client's OAuth support (issue #6). */
    private static void checkAuth(final ServiceConfig config) {
        final String auth = config.get("ditto.auth", "basic");
        if (!auth.equals("basic")) {
            throw new ServiceException("ditto.auth is '" + auth + "', but this build's twin client signs in with"
                    + " basic auth only (client credentials arrive with issue #6): set ditto.auth=basic"
                    + " (chart: security.mode=basic).");
        }
    }

    private static void noTls(final ServiceConfig config, final String what) {
        if (config.get("tls.cert.file").isPresent()) {
            throw new ServiceException("tls.cert.file is set, but " + what + " cannot serve TLS in this build (TLS"
                    + " listeners arrive with issue #6): unset it (chart: tls.enabled=false) or put TLS in front.");
        }
    }

    private static String dittoUser(final ServiceConfig c) {
        return c.get("ditto.user", "ditto");
    }

    private static String dittoPassword(final ServiceConfig c) {
        return c.require("ditto.password");
    }

    private static Running twinIngestion(final ServiceConfig c) {
        final String ws = c.requireUri("ditto.endpoint").toString();
        final String base = ws.endsWith("/ws/2") ? ws.substring(0, ws.length() - "/ws/2".length()) : ws;
        final IngestionConfig config = IngestionConfig.defaults(c.require("kafka.bootstrap.servers"), base)
                .withTenants(requireTenants(c))
                .withConsumerGroup(c.get("ingestion.consumer.group", IngestionConfig.DEFAULT_CONSUMER_GROUP))
                .withDitto(base, dittoUser(c), dittoPassword(c));
        final TwinIngestion ingestion = TwinIngestion.create(config);
        ingestion.start();
        return new Running(ingestion, () -> ingestionMetrics(ingestion.counters()), "twin ingestion: hono.*."
                + config.tenants() + " at " + config.kafkaBootstrapServers() + " -> " + ws);
    }

    private static Map<String, Long> ingestionMetrics(final IngestionCounters.Snapshot s) {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("records_received_total", s.received());
        m.put("records_applied_total", s.applied());
        m.put("twin_writes_total", s.writes());
        m.put("records_dead_lettered_total", s.deadLettered());
        m.put("commands_total", s.commands());
        return m;
    }

    private static Running mesBridge(final ServiceConfig c) {
        final List<ThingId> lines = new ArrayList<>();
        for (final String line : c.getList("mes.lines")) {
            lines.add(ThingId.of(line));
        }
        if (lines.isEmpty()) {
            for (final String tenant : requireTenants(c)) {
                for (int n = 1; n <= DemoPlant.LINES; n++) {
                    lines.add(ThingId.of(tenant, "line-" + n));
                }
            }
        }
        final String instance = c.get("mes.instance.id", System.getenv().getOrDefault("POD_NAME", "mes-1"));
        final MesBridgeConfig config = MesBridgeConfig.defaults(instance, c.requireUri("ditto.endpoint"),
                        dittoUser(c), dittoPassword(c), c.require("mongo.uri"), lines)
                .withMongoDatabase(c.get("mes.database", ShopFloorLauncher.MES_DATABASE))
                .withOrdersPolicy(requireTenants(c).get(0) + ":orders");
        final MesBridge bridge = MesBridge.create(config).start();
        return new Running(bridge, () -> bridge.counters().snapshot(), "MES bridge " + instance + ": " + lines.size()
                + " lines, twins at " + config.dittoEndpoint());
    }

    private static Running mesApi(final ServiceConfig c) {
        noTls(c, "the MES API");
        final URI ws = c.requireUri("ditto.endpoint");
        final Vertx vertx = Vertx.vertx();
        try {
            final TwinAccess twins = TwinAccess.connect(ws, dittoUser(c), dittoPassword(c),
                    c.getDuration("ditto.timeout", Duration.ofSeconds(20)));
            final String policy = c.get("mes.orders.policy", requireTenants(c).get(0) + ":orders");
            final MesApi api = MesApi.create(vertx, twins, new MesApiConfig(
                    org.eclipse.ditto.policies.model.PolicyId.of(policy), java.time.Clock.systemUTC()), Map::of);
            api.start(c.get("http.host", "0.0.0.0"), c.getInt("http.port", 8080));
            final AutoCloseable close = () -> {
                api.close();
                twins.close();
                vertx.close();
            };
            return new Running(close, Map::of, "MES API " + api.baseUri() + ", twins at " + ws);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    private static Running erpBridge(final ServiceConfig c) {
        final ErpBridgeConfig config = ErpBridgeConfig.defaults(c.requireUri("ditto.endpoint"), c.requireUri("erp.url"))
                .withTwinUser(dittoUser(c), dittoPassword(c))
                .withErpUser(c.get("erp.user", ErpConfig.DEFAULT_USER), c.require("erp.password"))
                .withNamespaces(requireTenants(c));
        final ErpBridge bridge = ErpBridge.create(config).start();
        return new Running(bridge, Map::of, "ERP bridge: twins at " + config.twinEndpoint() + ", ERP at "
                + config.erpBase());
    }

    private static Running erpModules(final ServiceConfig c) {
        noTls(c, "the ERP modules");
        final ErpConfig.Builder config = ErpConfig.builder()
                .host(c.get("http.host", "0.0.0.0"))
                .port(c.getInt("http.port", 8080))
                .mongoUri(c.require("mongo.uri"))
                .database(c.get("erp.database", ErpConfig.DEFAULT_DATABASE))
                .user(c.get("erp.user", ErpConfig.DEFAULT_USER))
                .password(c.require("erp.password"));
        // the material master and work centres of the demo plants, as ./plantmesh up seeds the embedded ERP
        for (final String tenant : c.getList("plant.demo.tenants").isEmpty() ? requireTenants(c)
                : c.getList("plant.demo.tenants")) {
            final DemoPlant plant = DemoPlant.generate(tenant, c.getLong("plant.seed", 42), Instant.now());
            plant.materials().forEach(m -> config.material(new MaterialMaster(m.materialNumber(), tenant,
                    m.materialNumber(), m.unit(), standardPrice(m.materialNumber(), m.unit()), m.storageLocation(),
                    false, BigDecimal.valueOf(m.stock().onHand()))));
            ShopFloorPlan.of(tenant, plant.machines(), id -> true).machinesByLine().forEach((line, machines) ->
                    machines.forEach(machine -> config.workCenter(new WorkCenter(machine.thingId(), tenant,
                            "CC-L" + line, BigDecimal.valueOf(85)))));
        }
        final EmbeddedErp erp = EmbeddedErp.create(config.build()).start();
        return new Running(erp, Map::of, "ERP modules " + erp.baseUri());
    }

    /** The demo standard prices of {@code ./plantmesh up} (EUR per base unit). */
    static BigDecimal standardPrice(final String material, final String unit) {
        final double price = material.startsWith("FG-") ? 48.0 : switch (unit) {
            case "M" -> 12.5;
            case "KG" -> 3.8;
            case "L" -> 4.5;
            default -> 1.2;
        };
        return BigDecimal.valueOf(price);
    }

    private static Running edgeGateway(final ServiceConfig c) {
        final String tenant = c.require("gateway.tenant");
        final int line = c.getInt("gateway.line", 1);
        final DemoPlant plant = DemoPlant.generate(tenant, c.getLong("plant.seed", 42), Instant.now());
        final ShopFloorPlan plan = ShopFloorPlan.of(tenant, plant.machines(), id -> true);
        final List<ShopFloorPlan.FloorMachine> machines = plan.opcUaMachinesByLine().get(line);
        if (machines == null || machines.isEmpty()) {
            throw new ServiceException("Line " + line + " of " + tenant + " has no OPC-UA machines: set gateway.line"
                    + " (PLANTMESH_GATEWAY_LINE) to a line with OPC-UA machines.");
        }
        final List<MachineDevice> devices = new ArrayList<>();
        for (final ShopFloorPlan.FloorMachine m : machines) {
            final String endpoint = c.get("gateway.opcua.endpoint").orElseGet(() -> plant.machines().stream()
                    .filter(t -> t.id().toString().equals(m.thingId())).findFirst()
                    .map(MachineTwin::device).map(d -> d.opcuaEndpoint()).orElseThrow());
            devices.add(new MachineDevice(m.thingId(), endpoint, m.gatewayMapping(), m.key()));
        }
        final GatewayConfig config = GatewayConfig.builder(plan.gatewayId(line), c.require("device.password"))
                .tenant(tenant)
                .mqtt(c.require("mqtt.host"), c.getInt("mqtt.port", 1883))
                .devices(devices)
                .buffer(Path.of(c.get("gateway.buffer.dir", "/var/lib/plantmesh/buffer")), 64L << 20)
                .build();
        final EdgeGateway gateway = EdgeGateway.create(config);
        try {
            gateway.start();
        } catch (java.io.IOException e) {
            throw new ServiceException("The edge gateway could not open its buffer in " + c.get("gateway.buffer.dir",
                    "/var/lib/plantmesh/buffer") + ": " + e.getMessage() + ". Give it a writable directory"
                    + " (gateway.buffer.dir).", e);
        }
        return new Running(gateway, Map::of, "edge gateway " + plan.gatewayId(line) + ": " + devices.size()
                + " machines -> " + config.mqttUrl());
    }

    /**
     * Hono tenants, devices and credentials for every tenant (devices for those with the demo plant), then the demo
     * plants' policies and twins into Ditto. Idempotent; returns when done.
     */
    private static Running provision(final ServiceConfig c) {
        final List<String> tenants = requireTenants(c);
        final List<String> demo = c.getList("plant.demo.tenants");
        final RegistryProvisioner registry = new RegistryProvisioner(c.requireUri("registry.url"));
        final DemoProvisioner twins = new DemoProvisioner(URI.create(c.require("ditto.url").replaceAll("/+$", "")
                + "/api/2"), dittoUser(c), dittoPassword(c));
        final List<String> done = new ArrayList<>();
        for (final String tenant : tenants) {
            if (!demo.contains(tenant)) {
                registry.ensureTenant(tenant);
                done.add("tenant " + tenant + " (no demo plant)");
                continue;
            }
            final DemoPlant plant = DemoPlant.generate(tenant, c.getLong("plant.seed", 42), Instant.now());
            final RegistryProvisioner.Report devices = registry.provision(
                    ShopFloorPlan.of(tenant, plant.machines(), id -> true), c.require("device.password"),
                    c.getBoolean("provision.devices.reset.passwords", false));
            final ProvisioningReport report = twins.provision(plant, (n, total) -> { });
            LOG.info("provisioned {}: {}; {}", tenant, devices.summary(), report.summary());
            done.add(devices.summary() + "; " + report.summary());
        }
        return new Running(() -> { }, Map::of, String.join(" | ", done));
    }

    private static List<String> requireTenants(final ServiceConfig c) {
        final List<String> tenants = c.getList("plant.tenants");
        if (tenants.isEmpty()) {
            throw new ServiceException("plant.tenants (PLANTMESH_PLANT_TENANTS) is empty: list the Hono tenants"
                    + " (= Ditto namespaces), e.g. plant1,plant2.");
        }
        return tenants;
    }
}
