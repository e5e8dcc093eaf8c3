package io.plantmesh.launcher.shopfloor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.gateway.EdgeGateway;
import io.plantmesh.devices.gateway.GatewayConfig;
import io.plantmesh.devices.gateway.MachineDevice;
import io.plantmesh.devices.ingestion.IngestionConfig;
import io.plantmesh.devices.ingestion.TwinIngestion;
import io.plantmesh.devices.ingress.HonoIngress;
import io.plantmesh.devices.ingress.IngressConfig;
import io.plantmesh.devices.ingress.IngressEndpoints;
import io.plantmesh.devices.kafka.EmbeddedKafkaBroker;
import io.plantmesh.devices.kafka.EmbeddedKafkaConfig;
import io.plantmesh.devices.simulator.ShopFloorSimulator;
import io.plantmesh.devices.simulator.SimulatorConfig;
import io.plantmesh.devices.simulator.mqtt.MqttDeviceSettings;
import io.plantmesh.erp.bridge.ErpBridge;
import io.plantmesh.erp.bridge.ErpBridgeConfig;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.launcher.LaunchException;
import io.plantmesh.launcher.LaunchTls;
import io.plantmesh.launcher.security.ServiceAccess;
import io.plantmesh.mes.MesBridge;
import io.plantmesh.mes.MesBridgeConfig;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.TlsSettings;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * Starts the shop floor after the twins are up, in this order: Kafka broker, Hono ingress (MQTT adapter and device
 * registry in the store's database {@code hono}), device provisioning, the simulated machines, one edge gateway per
 * line, twin ingestion, and (for the demo) the job dispatcher. On a failure everything started so far is stopped.
 */
public final class ShopFloorLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ShopFloorLauncher.class);

    /** Directories under the data directory. */
    public static final String KAFKA_DIRECTORY = "kafka";
    public static final String SIMULATOR_DIRECTORY = "simulator";
    public static final String GATEWAY_DIRECTORY = "edge-gateway";
    /** MongoDB database of the device registry (Hono's default name). */
    public static final String REGISTRY_DATABASE = "hono";
    /** Bound of each gateway's store-and-forward buffer. */
    static final long GATEWAY_BUFFER_BYTES = 64L << 20;

    /** What the launcher tells about the shop floor's start. */
    public interface Listener {

        void serviceUp(String service, String address, String note);

        /** Device provisioning went on: {@code done} of {@code total} devices. */
        void deviceProgress(int done, int total);
    }

    /**
     * Where the rest of PlantMesh runs, for the shop floor to connect to.
     *
     * @param bindHost address MQTT and the registry bind (the launcher's --host)
     * @param clientHost address clients on this machine use to reach them
     * @param storeUrl MongoDB of the registry
     * @param twinHttpPort the twin server's port (Ditto WebSocket for twin ingestion and the bridges)
     * @param access how the services authenticate (their service accounts' tokens, or the development user) and how
     *        the MES API and the ERP check their callers
     * @param tls TLS of the listeners and the CAs the shop floor's clients trust
     */
    public record Surroundings(Path dataDir, String bindHost, String clientHost, String storeUrl, int twinHttpPort,
            ServiceAccess access, long seed, LaunchTls tls) {

        public Surroundings {
            tls = tls == null ? LaunchTls.OFF : tls;
            java.util.Objects.requireNonNull(access, "access");
        }

        /** The twin server's WebSocket endpoint ({@code wss} when it serves TLS). */
        public java.net.URI twinWebSocket() {
            return java.net.URI.create((tls.listener(TlsSettings.TWIN) == null ? "ws" : "wss") + "://" + clientHost
                    + ":" + twinHttpPort + "/ws/2");
        }

        /** The CAs clients of the shop floor verify the listeners with (null: the JVM's trust store). */
        ClientTrust trust() {
            return tls.clientTrust();
        }
    }

    /**
     * Adjustments of the shop floor's services before they start, for a measured run (the scenario's siloed baseline
     * and its probes, see docs/scenario.md); {@link #NONE} changes nothing.
     *
     * @param simulator called with the simulator before it starts (e.g. to add machine listeners)
     * @param mesConfig applied to each MES bridge's configuration
     * @param mes called with each MES bridge before it starts
     * @param erpConfig applied to the ERP bridge's configuration
     * @param erp called with the ERP bridge before it starts
     */
    public record Tuning(Consumer<ShopFloorSimulator> simulator, UnaryOperator<MesBridgeConfig> mesConfig,
            Consumer<MesBridge> mes, UnaryOperator<ErpBridgeConfig> erpConfig, Consumer<ErpBridge> erp) {

        /** No adjustment. */
        public static final Tuning NONE = new Tuning(s -> { }, UnaryOperator.identity(), b -> { },
                UnaryOperator.identity(), b -> { });

        public Tuning {
            java.util.Objects.requireNonNull(simulator, "simulator");
            java.util.Objects.requireNonNull(mesConfig, "mesConfig");
            java.util.Objects.requireNonNull(mes, "mes");
            java.util.Objects.requireNonNull(erpConfig, "erpConfig");
            java.util.Objects.requireNonNull(erp, "erp");
        }
    }

    private ShopFloorLauncher() {
    }

    /**
     * Starts the floor of these machine twins.
     *
     * @param orders released work orders the job dispatcher starts on the machines (if enabled)
     * @throws LaunchException saying what failed and which option changes it
     */
    public static RunningShopFloor start(ShopFloorOptions options, Surroundings at, ShopFloorPlan plan,
            List<WorkOrderTwin> orders, List<io.plantmesh.twin.model.material.MaterialTwin> materials,
            Listener listener) {
        return start(options, at, plan, orders, materials, listener, Tuning.NONE);
    }

    /** Like {@link #start(ShopFloorOptions, Surroundings, ShopFloorPlan, List, List, Listener)}, tuned. */
    public static RunningShopFloor start(ShopFloorOptions options, Surroundings at, ShopFloorPlan plan,
            List<WorkOrderTwin> orders, List<io.plantmesh.twin.model.material.MaterialTwin> materials,
            Listener listener, Tuning tuning) {
        RunningShopFloor floor = new RunningShopFloor(plan);
        try {
            String kafka = startKafka(options, at, plan, floor, listener);
            IngressEndpoints ingress = startIngress(options, at, plan, kafka, floor, listener);
            provisionDevices(options, plan, floor, listener::deviceProgress);
            ShopFloorSimulator simulator = startSimulator(options, at, plan, ingress, floor, listener, tuning);
            startGateways(options, at, plan, ingress, simulator.opcUaEndpoints(), floor, listener);
            startIngestion(at, plan, kafka, floor, listener);
            if (options.erpPort() >= 0) {
                startErp(options, at, plan, materials, simulator, floor, listener, tuning);
            }
            if (options.dispatchJobs()) {
                startMes(options, at, plan, simulator, floor, listener, tuning);
            }
            if (options.maintenance()) {
                startMaintenance(at, plan, simulator, floor, listener);
            }
            return floor;
        } catch (RuntimeException | Error e) {
            floor.close();
            throw e;
        }
    }

    /**
     * One MES bridge instance per line (the seed paper's layout), each holding the lease of its line; they keep
     * their state in the store's database {@value #MES_DATABASE} and follow the simulator's plant clock.
     */
    private static void startMes(ShopFloorOptions options, Surroundings at, ShopFloorPlan plan,
            ShopFloorSimulator simulator, RunningShopFloor floor, Listener listener, Tuning tuning) {
        java.time.Clock plantClock = new PlantTimeClock(simulator);
        java.net.URI ws = at.twinWebSocket();
        List<Integer> lines = List.copyOf(new java.util.TreeSet<>(plan.machinesByLine().keySet()));
        io.plantmesh.mes.MesBridge first = null;
        for (int line : lines) {
            org.eclipse.ditto.things.model.ThingId lineId =
                    io.plantmesh.twin.model.PlantThingIds.line(plan.tenant(), line);
            io.plantmesh.mes.MesBridgeConfig config = io.plantmesh.mes.MesBridgeConfig.defaults("mes-" + line, ws,
                            at.access().devUser(), at.access().devPassword(), at.storeUrl(), List.of(lineId))
                    .withTwinTokens(at.access().tokenClient(PlantMeshRealm.MES_BRIDGE_CLIENT).orElse(null))
                    .withApiAccess(mesApiAccess(at.access()))
                    .withMongoDatabase(MES_DATABASE)
                    .withResyncInterval(options.mesResyncInterval())
                    .withClock(plantClock)
                    .withOrdersPolicy(plan.tenant() + ":orders")
                    // the first instance also serves the MES API (it is stateless: any instance could)
                    .withHttp(at.bindHost(), first == null ? options.mesPort() : -1)
                    // the MES plans in plant time: a command is repeated after 15 s of real time
                    .withRules(io.plantmesh.mes.MesRules.defaults().withCommandRetry(
                            Duration.ofMillis(Math.round(15_000 * options.timeScale()))));
            io.plantmesh.mes.MesBridge bridge = io.plantmesh.mes.MesBridge.create(tuning.mesConfig().apply(config),
                    at.tls().listener(TlsSettings.MES), at.trust());
            tuning.mes().accept(bridge);
            floor.started("MES bridge " + line, bridge);
            try {
                bridge.start();
                if (first == null) {
                    first = bridge;
                }
            } catch (RuntimeException e) {
                throw new LaunchException("The MES bridge of line " + line + " could not start: " + e.getMessage()
                        + ". Check the log above; --no-jobs runs PlantMesh without the MES.", e);
            }
        }
        listener.serviceUp("MES", lines.size() + " bridge instances", "one per line (mes-1..mes-" + lines.size()
                + "), leases and OEE history in MongoDB database " + MES_DATABASE + "; twins as "
                + (at.access().usesTokens() ? "client " + PlantMeshRealm.MES_BRIDGE_CLIENT + " (svc-mes-bridge)"
                        : "the dev user"));
        if (first != null && first.apiUri().isPresent()) {
            listener.serviceUp("MES API", first.apiUri().get().toString().replace("//" + at.bindHost() + ":",
                    "//" + at.clientHost() + ":"), "work orders, schedules, ISA-95/B2MML views; OpenAPI at "
                    + "/api/mes/v1/openapi.yaml; " + (at.access().usesTokens()
                            ? "Bearer tokens (reads: every human role; order changes: supervisor, planner, admin),"
                                    + " dev user " + at.access().devUser() + " (embedded only)"
                            : "OPEN, no authentication (--no-keycloak)"));
        }
    }

    /**
     * Tokens of the issuer with the MES API's role table, and the development user for the web UI until it logs in
     * with Keycloak; open without tokens.
     */
    static io.plantmesh.mes.api.MesApiAccess mesApiAccess(ServiceAccess access) {
        return access.verifier().map(v -> io.plantmesh.mes.api.MesApiAccess.tokens(v)
                        .withDevelopmentLogin(access.devUser(), access.devPassword()))
                .orElseGet(io.plantmesh.mes.api.MesApiAccess::open);
    }

    /**
     * The predictive maintenance service: follows the machine twins, writes their health, and asks the MES API (if the
     * MES runs) for maintenance windows; models in the store's database {@value #MAINTENANCE_DATABASE}; plant time.
     */
    private static void startMaintenance(Surroundings at, ShopFloorPlan plan, ShopFloorSimulator simulator,
            RunningShopFloor floor, Listener listener) {
        java.net.URI ws = at.twinWebSocket();
        java.net.URI mesApi = floor.mesBridges().stream().map(b -> b.apiUri().orElse(null))
                .filter(java.util.Objects::nonNull).findFirst()
                .map(u -> java.net.URI.create(u.toString().replace("//" + at.bindHost() + ":",
                        "//" + at.clientHost() + ":")))
                .orElse(null);
        io.plantmesh.maintenance.MaintenanceConfig config = io.plantmesh.maintenance.MaintenanceConfig.defaults(ws,
                        at.access().devUser(), at.access().devPassword(), List.of(plan.tenant()), at.storeUrl(),
                        mesApi)
                .withTokens(at.access().tokenClient(PlantMeshRealm.MAINTENANCE_CLIENT).orElse(null))
                .withTrust(at.trust())
                .withMongoDatabase(MAINTENANCE_DATABASE)
                .withClock(new PlantTimeClock(simulator))
                .withEnvironment(System.getenv());
        // a health window must hold a few samples; devices report per wall-clock second, so on a fast plant clock
        // (e.g. 600x, where 10 plant minutes pass in one second) the window widens to 5 wall seconds
        java.time.Duration wide = java.time.Duration.ofMillis(Math.round(simulator.config().timeScale() * 5_000));
        if (wide.compareTo(config.settings().window()) > 0) {
            config = config.withSettings(config.settings().withWindow(wide, config.settings().steadyAfter()));
        }
        io.plantmesh.maintenance.MaintenanceService service = io.plantmesh.maintenance.MaintenanceService.create(
                config);
        floor.started("maintenance service", service);
        try {
            service.start();
        } catch (RuntimeException e) {
            throw new LaunchException("The maintenance service could not start: " + e.getMessage()
                    + " --no-maintenance runs PlantMesh without it.", e);
        }
        listener.serviceUp("maintenance", ws.toString(), "predictive maintenance: machine health, healthAlert events, "
                + (mesApi == null ? "no maintenance windows (the MES does not run)" : "maintenance windows through "
                + "the MES API") + "; models in MongoDB database " + MAINTENANCE_DATABASE + "; restored "
                + service.restoredModels() + " models; as " + (at.access().usesTokens()
                        ? "client " + PlantMeshRealm.MAINTENANCE_CLIENT + " (svc-maintenance)" : "the dev user"));
    }

    /** MongoDB database of the maintenance service's models. */
    public static final String MAINTENANCE_DATABASE = "plantmesh_maintenance";

    /**
     * The embedded ERP (stock control, procurement, finance) with the demo plant's materials as its material master
     * (initial stock = the material twins' stock, booked once), and the ERP bridge between it and the twins.
     */
    private static void startErp(ShopFloorOptions options, Surroundings at, ShopFloorPlan plan,
            List<io.plantmesh.twin.model.material.MaterialTwin> materials, ShopFloorSimulator simulator,
            RunningShopFloor floor, Listener listener, Tuning tuning) {
        io.plantmesh.erp.embedded.ErpConfig.Builder erpConfig = io.plantmesh.erp.embedded.ErpConfig.builder()
                .host(at.bindHost())
                .port(options.erpPort())
                .mongoUri(at.storeUrl())
                .database(ERP_DATABASE)
                .clock(new PlantTimeClock(simulator));
        for (io.plantmesh.twin.model.material.MaterialTwin m : materials) {
            erpConfig.material(new io.plantmesh.erp.embedded.MaterialMaster(m.materialNumber(), plan.tenant(),
                    m.materialNumber(), m.unit(), standardPrice(m), m.storageLocation(), false,
                    java.math.BigDecimal.valueOf(m.stock().onHand())));
        }
        for (var entry : plan.machinesByLine().entrySet()) {
            for (ShopFloorPlan.FloorMachine machine : entry.getValue()) {
                erpConfig.workCenter(new io.plantmesh.erp.embedded.WorkCenter(machine.thingId(), plan.tenant(),
                        "CC-L" + entry.getKey(), java.math.BigDecimal.valueOf(85)));
            }
        }
        io.plantmesh.erp.embedded.EmbeddedErp erp = io.plantmesh.erp.embedded.EmbeddedErp.create(erpConfig.build())
                .serveTls(at.tls().listener(TlsSettings.ERP));
        // tokens with the ERP's role table; its technical Basic user stays for the web UI (embedded footprint only)
        at.access().verifier().ifPresent(v -> erp.requireTokens(
                io.plantmesh.erp.embedded.odata.ErpTokenAccess.of(v).withBasicFallback(true)));
        floor.started("ERP", erp);
        try {
            erp.start();
        } catch (RuntimeException e) {
            throw new LaunchException("The embedded ERP could not start on port " + options.erpPort() + ": "
                    + e.getMessage() + ". Free the port or choose another with --erp-port; --no-erp runs without.",
                    e);
        }
        listener.serviceUp("ERP", erp.baseUri().toString().replace("//" + at.bindHost() + ":",
                "//" + at.clientHost() + ":"), "embedded ERP, SAP S/4HANA OData subset (see docs/erp-api.md), "
                + (at.access().usesTokens() ? "Bearer tokens (roles as in docs/security.md) and the development"
                        + " user " : "user ") + erp.config().user() + " / " + erp.config().password()
                + ", MongoDB database " + ERP_DATABASE);
        java.net.URI ws = at.twinWebSocket();
        java.net.URI erpForClients = java.net.URI.create(erp.baseUri().toString().replace("//" + at.bindHost() + ":",
                "//" + at.clientHost() + ":"));
        io.plantmesh.security.client.TokenClient tokens =
                at.access().tokenClient(PlantMeshRealm.ERP_BRIDGE_CLIENT).orElse(null);
        io.plantmesh.erp.bridge.ErpBridge bridge = io.plantmesh.erp.bridge.ErpBridge.create(tuning.erpConfig().apply(
                io.plantmesh.erp.bridge.ErpBridgeConfig.defaults(ws, erpForClients)
                        .withTwinUser(at.access().devUser(), at.access().devPassword())
                        .withErpUser(erp.config().user(), erp.config().password())
                        .withTwinTokens(tokens)
                        .withErpTokens(tokens)
                        .withNamespaces(List.of(plan.tenant()))), at.trust());
        tuning.erp().accept(bridge);
        floor.started("ERP bridge", bridge);
        try {
            bridge.start();
        } catch (RuntimeException e) {
            throw new LaunchException("The ERP bridge could not start: " + e.getMessage()
                    + ". Check the log above; --no-erp runs without the ERP.", e);
        }
        listener.serviceUp("ERP bridge", ws.toString(), "postings, stock, requisitions and costs between the twins "
                + "and the ERP, exactly once; as " + (tokens == null ? "the dev user and the ERP's Basic user"
                        : "client " + PlantMeshRealm.ERP_BRIDGE_CLIENT + " (svc-erp-bridge) towards both"));
    }

    /** A demo standard price per base unit (EUR): finished goods are worth more than raw material. */
    private static java.math.BigDecimal standardPrice(io.plantmesh.twin.model.material.MaterialTwin m) {
        double price = m.materialNumber().startsWith("FG-") ? 48.0 : switch (m.unit()) {
            case "M" -> 12.5;
            case "KG" -> 3.8;
            case "L" -> 4.5;
            default -> 1.2;
        };
        return java.math.BigDecimal.valueOf(price);
    }

    /** MongoDB database of the embedded ERP. */
    public static final String ERP_DATABASE = "plantmesh_erp";

    /** MongoDB database of the MES bridges' leases and state. */
    public static final String MES_DATABASE = "plantmesh_mes";

    private static String startKafka(ShopFloorOptions options, Surroundings at, ShopFloorPlan plan,
            RunningShopFloor floor, Listener listener) {
        Path dir = at.dataDir().resolve(KAFKA_DIRECTORY);
        LOG.info("Starting the Kafka broker (data in {})", dir.toAbsolutePath().normalize());
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(EmbeddedKafkaConfig.defaults(dir)
                .withPort(options.kafkaPort()));
        floor.started("Kafka broker", broker);
        String bootstrap;
        try {
            bootstrap = broker.start();
            broker.createTopics(Set.of("plantmesh.deadletter." + plan.tenant()));
        } catch (RuntimeException e) {
            throw ShopFloorErrors.kafka(options, e);
        }
        listener.serviceUp("Kafka", bootstrap, "embedded broker (KRaft), data in " + dir.toAbsolutePath().normalize());
        return bootstrap;
    }

    private static IngressEndpoints startIngress(ShopFloorOptions options, Surroundings at, ShopFloorPlan plan,
            String kafka, RunningShopFloor floor, Listener listener) {
        IngressConfig d = IngressConfig.defaults(at.storeUrl(), kafka);
        IngressConfig config = new IngressConfig(at.bindHost(), options.mqttPort(), at.bindHost(),
                options.registryPort(), d.mongoUri(), REGISTRY_DATABASE, kafka, Set.of(plan.tenant()),
                d.maxPayloadBytes(), true, d.commandConsumerGroup(), options.bcryptCost(), d.downstreamTimeout(),
                at.tls().listener(TlsSettings.MQTT), at.tls().listener(TlsSettings.REGISTRY), d.authThrottling());
        LOG.info("Starting the Hono ingress (MQTT adapter, device registry)");
        HonoIngress ingress = HonoIngress.create(config);
        floor.started("Hono ingress", ingress);
        IngressEndpoints endpoints;
        try {
            endpoints = ingress.start();
        } catch (RuntimeException e) {
            throw ShopFloorErrors.ingress(options, at, e);
        }
        String mqtt = (endpoints.mqttTls() ? "mqtts" : "mqtt") + "://" + at.clientHost() + ":" + endpoints.mqttPort();
        listener.serviceUp("MQTT", mqtt, "Hono MQTT device API, tenant " + plan.tenant() + ", user <device id with"
                + " ':' as '_'>@" + plan.tenant());
        listener.serviceUp("registry", endpoints.registryUrl().replace("//" + at.bindHost() + ":",
                "//" + at.clientHost() + ":"), "Hono device registry API, MongoDB database " + REGISTRY_DATABASE);
        return endpoints;
    }

    /** The CAs the simulated devices and gateways verify the MQTT adapter with; there must be some. */
    private static ClientTrust requireMqttTrust(Surroundings at) {
        if (at.trust() != null) {
            return at.trust();
        }
        throw new LaunchException("MQTT serves TLS, but no CA file is given for the simulated devices and gateways"
                + " to verify it with. Give the CA that issued the certificate with --tls-ca (or PLANTMESH_TLS_CA),"
                + " or use --tls for development certificates.", null);
    }

    private static void provisionDevices(ShopFloorOptions options, ShopFloorPlan plan, RunningShopFloor floor,
            BiConsumer<Integer, Integer> progress) {
        LOG.info("Registering {} machines and {} gateways of tenant {} in the device registry",
                plan.machines().size(), plan.opcUaMachinesByLine().size(), plan.tenant());
        try {
            new DeviceProvisioner(floor.ingress().registry(), options.devicePassword()).provision(plan, progress);
        } catch (RuntimeException e) {
            throw new LaunchException("Registering the devices in the device registry failed: "
                    + e.getMessage() + ". Check the store (--mongo-uri or the embedded store in --data-dir).", e);
        }
    }

    private static ShopFloorSimulator startSimulator(ShopFloorOptions options, Surroundings at, ShopFloorPlan plan,
            IngressEndpoints ingress, RunningShopFloor floor, Listener listener, Tuning tuning) {
        Path certs = at.dataDir().resolve(SIMULATOR_DIRECTORY).resolve("opcua-pki");
        SimulatorConfig config = SimulatorConfig.builder(certs)
                .plant(plan.tenant())
                .seed(at.seed())
                .machines(plan.specs())
                .opcUaBasePort(options.opcUaBasePort())
                .mqtt(MqttDeviceSettings.defaults()
                        .withTenant(plan.tenant())
                        .withEndpoint(at.clientHost(), ingress.mqttPort())
                        .withPasswords(options.devicePassword(), Map.of())
                        .withTelemetryInterval(options.mqttTelemetryInterval())
                        .withReconnect(Duration.ofMillis(500), Duration.ofSeconds(10))
                        .withTls(ingress.mqttTls() ? requireMqttTrust(at) : null))
                .profileTuning(options.profileTuning())
                .timeScale(options.timeScale())
                .degradation(options.degradation()
                        ? io.plantmesh.devices.simulator.degradation.DegradationSettings.defaults()
                        : io.plantmesh.devices.simulator.degradation.DegradationSettings.OFF)
                .groundTruthFile(at.dataDir().resolve(SIMULATOR_DIRECTORY).resolve("ground-truth.jsonl"))
                // counters, jobs and wear survive a restart: <data-dir>/simulator/machines.json
                .stateDirectory(at.dataDir().resolve(SIMULATOR_DIRECTORY))
                .build();
        LOG.info("Starting the simulated shop floor: {} machines ({} over MQTT), time scale {}x",
                plan.machines().size(), plan.mqttMachines(), options.timeScale());
        ShopFloorSimulator simulator;
        try {
            simulator = ShopFloorSimulator.create(config);
        } catch (IllegalStateException e) {
            throw new LaunchException(e.getMessage(), e);
        }
        tuning.simulator().accept(simulator);
        floor.started("simulator", simulator);
        try {
            simulator.start();
        } catch (RuntimeException e) {
            throw ShopFloorErrors.simulator(options, e);
        }
        simulator.opcUaEndpoints().forEach((line, endpoint) -> listener.serviceUp("OPC-UA L" + line, endpoint,
                "simulated line " + line + ": " + plan.opcUaMachinesByLine().getOrDefault(line, List.of()).size()
                        + " machines"));
        if (plan.mqttMachines() > 0) {
            listener.serviceUp("MQTT dev", plan.mqttMachines() + " simulated machines", "Hono MQTT devices, password "
                    + (options.devicePassword().equals(ShopFloorOptions.DEFAULT_DEVICE_PASSWORD)
                            ? options.devicePassword() : "from --device-password"));
        }
        return simulator;
    }

    private static void startGateways(ShopFloorOptions options, Surroundings at, ShopFloorPlan plan,
            IngressEndpoints ingress, Map<Integer, String> endpoints, RunningShopFloor floor, Listener listener) {
        for (var entry : plan.opcUaMachinesByLine().entrySet()) {
            int line = entry.getKey();
            String endpoint = endpoints.get(line);
            List<MachineDevice> devices = entry.getValue().stream()
                    .map(m -> new MachineDevice(m.thingId(), endpoint, m.gatewayMapping(), m.key()))
                    .toList();
            String gatewayId = plan.gatewayId(line);
            GatewayConfig config = GatewayConfig.builder(gatewayId, options.devicePassword())
                    .tenant(plan.tenant())
                    .mqtt(at.clientHost(), ingress.mqttPort())
                    .mqttTls(ingress.mqttTls() ? requireMqttTrust(at) : null)
                    .devices(devices)
                    .buffer(at.dataDir().resolve(GATEWAY_DIRECTORY).resolve("gateway-" + line), GATEWAY_BUFFER_BYTES)
                    .build();
            EdgeGateway gateway = EdgeGateway.create(config);
            floor.started("edge gateway " + gatewayId, gateway);
            try {
                gateway.start();
            } catch (IOException | RuntimeException e) {
                throw new LaunchException("The edge gateway " + gatewayId + " could not start: "
                        + e.getMessage() + ". Check that " + at.dataDir().resolve(GATEWAY_DIRECTORY).toAbsolutePath()
                        .normalize() + " is writable (--data-dir or PLANTMESH_DATA_DIR).", e);
            }
        }
        int machines = plan.opcUaMachinesByLine().values().stream().mapToInt(List::size).sum();
        List<Integer> lines = List.copyOf(plan.opcUaMachinesByLine().keySet());
        if (!lines.isEmpty()) {
            String ids = plan.gatewayId(lines.get(0)) + (lines.size() > 1 ? " .. -" + lines.get(lines.size() - 1) : "");
            listener.serviceUp("gateways", ids, lines.size() + " edge gateways (one per line), OPC-UA to MQTT for "
                    + machines + " machines, buffers in "
                    + at.dataDir().resolve(GATEWAY_DIRECTORY).toAbsolutePath().normalize());
        }
    }

    private static void startIngestion(Surroundings at, ShopFloorPlan plan, String kafka, RunningShopFloor floor,
            Listener listener) {
        String ditto = at.twinWebSocket().toString().replace("/ws/2", "");
        IngestionConfig config = IngestionConfig.defaults(kafka, ditto)
                .withTenants(List.of(plan.tenant()))
                .withDitto(ditto, at.access().devUser(), at.access().devPassword())
                .withDittoTokens(at.access().tokenClient(PlantMeshRealm.TWIN_INGESTION_CLIENT).orElse(null));
        LOG.info("Starting twin ingestion");
        TwinIngestion ingestion = TwinIngestion.create(config, at.trust());
        floor.started("twin ingestion", ingestion);
        try {
            ingestion.start();
        } catch (RuntimeException e) {
            throw new LaunchException("Twin ingestion could not start: " + e.getMessage(), e);
        }
        listener.serviceUp("ingestion", "hono.telemetry|event." + plan.tenant() + " -> " + ditto + "/ws/2",
                "twin ingestion; live messages to machines become Hono commands; as " + config.dittoIdentity());
    }
}
