package io.plantmesh.launcher.service;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.ditto.policies.model.PolicyId;
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
import io.plantmesh.erp.embedded.odata.ErpTokenAccess;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.launcher.demo.DemoProvisioner;
import io.plantmesh.launcher.demo.ProvisioningReport;
import io.plantmesh.launcher.security.ServiceAccess;
import io.plantmesh.launcher.shopfloor.ShopFloorLauncher;
import io.plantmesh.launcher.shopfloor.ShopFloorPlan;
import io.plantmesh.maintenance.MaintenanceConfig;
import io.plantmesh.maintenance.MaintenanceService;
import io.plantmesh.mes.MesBridge;
import io.plantmesh.mes.MesBridgeConfig;
import io.plantmesh.mes.api.MesApi;
import io.plantmesh.mes.api.MesApiAccess;
import io.plantmesh.mes.api.MesApiConfig;
import io.plantmesh.policies.PolicyTemplates;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.twin.client.TwinAccess;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.webui.WebUiConfig;
import io.plantmesh.webui.WebUiServer;
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
            "erp-modules", "maintenance", "web-ui", "edge-gateway", "provision");

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
        return switch (name) {
            case "twin-ingestion" -> twinIngestion(config);
            case "mes-bridge" -> mesBridge(config);
            case "mes-api" -> mesApi(config);
            case "erp-bridge" -> erpBridge(config);
            case "erp-modules" -> erpModules(config);
            case "maintenance" -> maintenance(config);
            case "web-ui" -> webUi(config);
            case "edge-gateway" -> edgeGateway(config);
            case "provision" -> provision(config);
            default -> throw new ServiceException("Unknown service '" + name + "': use one of "
                    + String.join(", ", SERVICES) + ".");
        };
    }

    /**
     * The Keycloak client each service signs in with when {@code ditto.auth=oauth} (the clients of the realm as code,
     * as {@code ./plantmesh up} gives them); null for services that call nothing with tokens.
     */
    static String defaultClient(final String service) {
        return switch (service) {
            case "twin-ingestion" -> PlantMeshRealm.TWIN_INGESTION_CLIENT;
            case "mes-bridge", "mes-api" -> PlantMeshRealm.MES_BRIDGE_CLIENT;
            case "erp-bridge" -> PlantMeshRealm.ERP_BRIDGE_CLIENT;
            case "maintenance" -> PlantMeshRealm.MAINTENANCE_CLIENT;
            case "provision" -> PlantMeshRealm.PROVISIONING_CLIENT;
            default -> null;
        };
    }

    /** The process's access (as {@code ./plantmesh up} builds it) and the token client of the service's account. */
    private record Access(ServiceAuth auth, ServiceAccess access, TokenClient tokens) {

        static Access of(final ServiceConfig c, final String service, final boolean twins) {
            final ServiceAuth auth = ServiceAuth.from(c, defaultClient(service), twins);
            final ServiceAccess access = auth.access();
            final TokenClient tokens = auth.clientId() == null ? null
                    : access.tokenClient(auth.clientId()).orElse(null);
            return new Access(auth, access, tokens);
        }
    }

    /** The TLS of the HTTP listener a service serves: {@code tls.cert.file} and {@code tls.key.file}, or null. */
    static ListenerTls listenerTls(final ServiceConfig c) {
        final Optional<String> cert = c.get("tls.cert.file");
        final Optional<String> key = c.get("tls.key.file");
        if (cert.isEmpty() && key.isEmpty()) {
            return null;
        }
        if (cert.isEmpty() || key.isEmpty()) {
            throw new ServiceException("TLS needs both tls.cert.file and tls.key.file (PEM certificate chain and"
                    + " private key), only " + (cert.isPresent() ? "tls.cert.file" : "tls.key.file") + " is set:"
                    + " set both (chart: tls.enabled with tls.existingSecret) or neither.");
        }
        return ListenerTls.of(Path.of(cert.get()), Path.of(key.get()));
    }

    private static Running twinIngestion(final ServiceConfig c) {
        final Access a = Access.of(c, "twin-ingestion", true);
        final String ws = c.requireUri("ditto.endpoint").toString();
        final String base = ws.endsWith("/ws/2") ? ws.substring(0, ws.length() - "/ws/2".length()) : ws;
        final IngestionConfig config = IngestionConfig.defaults(c.require("kafka.bootstrap.servers"), base)
                .withTenants(requireTenants(c))
                .withConsumerGroup(c.get("ingestion.consumer.group", IngestionConfig.DEFAULT_CONSUMER_GROUP))
                .withDitto(base, a.auth().dittoUser(), a.auth().dittoPassword())
                .withDittoTokens(a.tokens());
        final TwinIngestion ingestion = TwinIngestion.create(config, a.auth().trust());
        ingestion.start();
        return new Running(ingestion, () -> ingestionMetrics(ingestion.counters()), "twin ingestion: hono.*."
                + config.tenants() + " at " + config.kafkaBootstrapServers() + " -> " + ws + " as "
                + config.dittoIdentity());
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
        final Access a = Access.of(c, "mes-bridge", true);
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
                        a.auth().dittoUser(), a.auth().dittoPassword(), c.require("mongo.uri"), lines)
                .withTwinTokens(a.tokens())
                .withMongoDatabase(c.get("mes.database", ShopFloorLauncher.MES_DATABASE))
                .withOrdersPolicy(requireTenants(c).get(0) + ":orders");
        final MesBridge bridge = MesBridge.create(config, null, a.auth().trust()).start();
        return new Running(bridge, () -> bridge.counters().snapshot(), "MES bridge " + instance + ": " + lines.size()
                + " lines, twins at " + config.dittoEndpoint() + " as " + a.auth().identity());
    }

    /**
     * The MES API on its own: with tokens it requires the issuer's tokens (the MES API's role table) as
     * {@code ./plantmesh up}'s does, without the embedded footprint's development login; open with basic auth.
     */
    private static Running mesApi(final ServiceConfig c) {
        final Access a = Access.of(c, "mes-api", true);
        final URI ws = c.requireUri("ditto.endpoint");
        final ListenerTls tls = listenerTls(c);
        final Duration timeout = c.getDuration("ditto.timeout", Duration.ofSeconds(20));
        final Vertx vertx = Vertx.vertx();
        TwinAccess twins = null;
        try {
            twins = a.tokens() != null ? TwinAccess.connect(ws, a.tokens(), timeout, a.auth().trust())
                    : TwinAccess.connect(ws, a.auth().dittoUser(), a.auth().dittoPassword(), timeout,
                            a.auth().trust());
            final String policy = c.get("mes.orders.policy", requireTenants(c).get(0) + ":orders");
            final MesApiAccess access = a.access().verifier().map(MesApiAccess::tokens)
                    .orElseGet(MesApiAccess::open);
            final MesApi api = MesApi.create(vertx, twins, new MesApiConfig(PolicyId.of(policy), Clock.systemUTC())
                    .withAccess(access), Map::of);
            api.start(c.get("http.host", "0.0.0.0"), c.getInt("http.port", 8080), tls);
            final TwinAccess opened = twins;
            final AutoCloseable close = () -> {
                api.close();
                opened.close();
                vertx.close();
            };
            return new Running(close, Map::of, "MES API " + api.baseUri() + " ("
                    + (access.requiresTokens() ? "Bearer tokens of " + a.auth().issuer() : "OPEN, no authentication")
                    + "), twins at " + ws + " as " + a.auth().identity());
        } catch (RuntimeException e) {
            if (twins != null) {
                twins.close();
            }
            vertx.close();
            throw e;
        }
    }

    /**
     * The ERP bridge: towards the twins as its account; towards the ERP with the same account's tokens when
     * {@code erp.auth=oauth} (the ERP modules with tokens, as in {@code ./plantmesh up}), else with the ERP user.
     */
    private static Running erpBridge(final ServiceConfig c) {
        final Access a = Access.of(c, "erp-bridge", true);
        final boolean erpTokens = erpAuth(c, a);
        final ErpBridgeConfig config = ErpBridgeConfig.defaults(c.requireUri("ditto.endpoint"), c.requireUri("erp.url"))
                .withTwinUser(a.auth().dittoUser(), a.auth().dittoPassword())
                .withErpUser(c.get("erp.user", ErpConfig.DEFAULT_USER), erpTokens ? c.get("erp.password", "")
                        : c.require("erp.password"))
                .withTwinTokens(a.tokens())
                .withErpTokens(erpTokens ? a.tokens() : null)
                .withNamespaces(requireTenants(c));
        final ErpBridge bridge = ErpBridge.create(config, a.auth().trust()).start();
        return new Running(bridge, Map::of, "ERP bridge: twins at " + config.twinEndpoint() + ", ERP at "
                + config.erpBase() + ", as " + a.auth().identity() + (erpTokens ? " towards both" : " and ERP user "
                + config.erpUser() + " towards the ERP"));
    }

    private static boolean erpAuth(final ServiceConfig c, final Access a) {
        final String mode = c.get("erp.auth", "basic");
        return switch (mode) {
            case "basic" -> false;
            case "oauth" -> {
                if (a.tokens() == null) {
                    throw new ServiceException("erp.auth is oauth but ditto.auth is not: the ERP bridge gets its"
                            + " tokens as its Keycloak client, so set ditto.auth=oauth with oauth.issuer and"
                            + " oauth.client.secret.file, or erp.auth=basic.");
                }
                yield true;
            }
            default -> throw new ServiceException("erp.auth (PLANTMESH_ERP_AUTH) is '" + mode + "': use basic (the"
                    + " ERP user erp.user with PLANTMESH_ERP_PASSWORD) or oauth (the ERP bridge's tokens; the ERP"
                    + " modules with ditto.auth=oauth).");
        };
    }

    /**
     * The embedded ERP; with {@code ditto.auth=oauth} it requires the issuer's tokens (the ERP's role table) and keeps
     * its technical Basic user beside them, as in {@code ./plantmesh up}.
     */
    private static Running erpModules(final ServiceConfig c) {
        final Access a = Access.of(c, "erp-modules", false);
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
            final DemoPlant generated = DemoPlant.generate(tenant, c.getLong("plant.seed", 42), Instant.now());
            // on tokens the policies carry role subjects only: the development user (nginx:ditto, as in ./plantmesh
            // up) would let Ditto's nginx basic-auth user do what it-admin does
            final DemoPlant plant = c.getBoolean("provision.policies.development-user", a.tokens() == null)
                    ? generated : generated.withPolicies(PolicyTemplates.production());
            plant.materials().forEach(m -> config.material(new MaterialMaster(m.materialNumber(), tenant,
                    m.materialNumber(), m.unit(), standardPrice(m.materialNumber(), m.unit()), m.storageLocation(),
                    false, BigDecimal.valueOf(m.stock().onHand()))));
            ShopFloorPlan.of(tenant, plant.machines(), id -> true).machinesByLine().forEach((line, machines) ->
                    machines.forEach(machine -> config.workCenter(new WorkCenter(machine.thingId(), tenant,
                            "CC-L" + line, BigDecimal.valueOf(85)))));
        }
        final EmbeddedErp erp = EmbeddedErp.create(config.build()).serveTls(listenerTls(c));
        a.access().verifier().ifPresent(v -> erp.requireTokens(ErpTokenAccess.of(v)
                .withBasicFallback(c.getBoolean("erp.basic.fallback", true))));
        try {
            erp.start();
        } catch (RuntimeException e) {
            erp.close();
            throw e;
        }
        return new Running(erp, Map::of, "ERP modules " + erp.baseUri() + " (" + (a.auth().tokens()
                ? "Bearer tokens of " + a.auth().issuer() : "Basic user " + erp.config().user()) + ")");
    }

    /**
     * The predictive maintenance service: follows the machine twins of {@code plant.tenants}, writes their health and
     * asks the MES API ({@code maintenance.mes.api}; {@code none} or unset: no windows) for maintenance windows, as
     * its Keycloak client {@code plantmesh-maintenance} with tokens; models in {@code maintenance.database}.
     */
    private static Running maintenance(final ServiceConfig c) {
        final Access a = Access.of(c, "maintenance", true);
        final URI ws = c.requireUri("ditto.endpoint");
        final Optional<String> mes = c.get("maintenance.mes.api").filter(v -> !v.equalsIgnoreCase("none"));
        final URI mesApi = mes.isEmpty() ? null : c.requireUri("maintenance.mes.api");
        final MaintenanceConfig config = MaintenanceConfig.defaults(ws, a.auth().dittoUser(),
                        a.auth().dittoPassword(), requireTenants(c), c.require("mongo.uri"), mesApi)
                .withTokens(a.tokens())
                .withTrust(a.auth().trust())
                .withMongoDatabase(c.get("maintenance.database", ShopFloorLauncher.MAINTENANCE_DATABASE));
        final MaintenanceConfig tuned;
        try {
            tuned = config.withEnvironment(maintenanceTunables(c));
        } catch (IllegalArgumentException e) {
            throw new ServiceException(e.getMessage() + " (settings maintenance.horizon, maintenance.window)");
        }
        final MaintenanceService service = MaintenanceService.create(tuned);
        try {
            service.start();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return new Running(service, () -> maintenanceMetrics(service.counters()), "maintenance: machine twins of "
                + tuned.namespaces() + " at " + ws + " as " + a.auth().identity() + "; maintenance windows "
                + (mesApi == null ? "not requested (no maintenance.mes.api)" : "from " + mesApi) + "; "
                + service.restoredModels() + " models restored from database " + tuned.mongoDatabase());
    }

    /** The maintenance tunables of the settings, under the environment names {@link MaintenanceConfig} reads. */
    static Map<String, String> maintenanceTunables(final ServiceConfig c) {
        final Map<String, String> env = new LinkedHashMap<>();
        for (final String key : List.of("maintenance.horizon", "maintenance.window")) {
            c.get(key).ifPresent(v -> env.put(ServiceConfig.envName(key), v));
        }
        return env;
    }

    private static Map<String, Long> maintenanceMetrics(final Map<String, Long> counters) {
        final Map<String, Long> m = new LinkedHashMap<>();
        counters.forEach((name, value) -> m.put("maintenance_" + name.replace('.', '_') + "_total", value));
        return m;
    }

    /**
     * The web UI: the page and its proxy of the twin API ({@code ditto.url}), the MES API ({@code mes.url}) and the
     * ERP ({@code erp.url}). The page is given no password of PlantMesh's services: with {@code ditto.auth=oauth} it
     * is told the issuer and its public client {@code plantmesh-ui}; a shared login for the page can be given
     * explicitly ({@code webui.login.user}, {@code PLANTMESH_WEBUI_LOGIN_PASSWORD}; every browser sees it, so only a
     * read-only viewer). With {@code tls.cert.file} and {@code tls.key.file} it serves HTTPS; {@code tls.ca.file}
     * names the CAs the proxied APIs' certificates are verified with.
     */
    private static Running webUi(final ServiceConfig c) {
        final ListenerTls tls = listenerTls(c);
        final ServiceAuth auth = ServiceAuth.from(c, null, false);
        final URI twinApi = URI.create(c.requireUri("ditto.url").toString().replaceAll("/+$", "") + "/api/2");
        WebUiConfig config = WebUiConfig.defaults(twinApi)
                .withListen(c.get("http.host", "0.0.0.0"), c.getInt("http.port", 8080))
                .withNamespaces(requireTenants(c))
                .withTwinLogin(null);
        final Optional<String> loginUser = c.get("webui.login.user");
        final WebUiConfig.BasicLogin login = loginUser.isEmpty() ? null
                : new WebUiConfig.BasicLogin(loginUser.get(), c.require("webui.login.password"));
        config = config.withTwinLogin(login);
        if (c.get("mes.url").isPresent()) {
            config = config.withMesApi(c.requireUri("mes.url")).withMesLogin(login);
        }
        if (c.get("erp.url").isPresent()) {
            config = config.withErpApi(c.requireUri("erp.url"), null);
        }
        if (auth.tokens()) {
            config = config.withIdentityProvider(new WebUiConfig.IdentityProvider(auth.issuer(),
                    c.get("webui.client.id", PlantMeshRealm.UI_CLIENT)));
        }
        final WebUiServer server = WebUiServer.create(config, tls, auth.trust());
        try {
            server.start();
        } catch (RuntimeException e) {
            server.close();
            throw new ServiceException("The web UI could not start on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage() + (tls == null ? " Free the port or set http.port." : " Free the port or set"
                    + " http.port; check tls.cert.file and tls.key.file."), e);
        }
        return new Running(server, Map::of, "web UI " + server.uri() + " (twins " + twinApi + ", MES "
                + (config.mesApi() == null ? "-" : config.mesApi()) + ", ERP " + (config.erpApi() == null ? "-"
                : config.erpApi()) + "; " + (login == null ? "no shared login" : "shared login " + login.user())
                + (auth.tokens() ? ", identity provider " + auth.issuer() : "") + "; upstream TLS trusts "
                + (auth.trust() == null ? "the JVM's default CAs" : auth.trust()) + ")");
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
                .mqttTls(c.getBoolean("mqtt.tls", false) ? requireTrust(c, "mqtt.tls") : null)
                .devices(devices)
                .buffer(Path.of(c.get("gateway.buffer.dir", "/var/lib/plantmesh/buffer")), 64L << 20)
                .healthInterval(c.getDuration("gateway.health.interval", Duration.ofSeconds(10)))
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
     * plants' policies and twins into Ditto. Idempotent; returns when done. With {@code ditto.auth=basic} it writes as
     * Ditto's basic-auth user (as {@code ./plantmesh up} does); with {@code oauth} with the tokens of its Keycloak
     * client {@code plantmesh-provisioning} (role {@code svc-provisioning}, which the policy templates let write the
     * policies and twins), so it works against a Ditto that accepts tokens only; then the policies have no
     * development-user entry (property {@code provision.policies.development-user}, default: true on basic auth,
     * false on tokens).
     */
    private static Running provision(final ServiceConfig c) {
        final List<String> tenants = requireTenants(c);
        final List<String> demo = c.getList("plant.demo.tenants");
        final Access a = Access.of(c, "provision", !demo.isEmpty());
        final ServiceAuth auth = a.auth();
        final RegistryProvisioner registry = new RegistryProvisioner(c.requireUri("registry.url"), auth.trust());
        final URI twinApi = URI.create(c.require("ditto.url").replaceAll("/+$", "") + "/api/2");
        final DemoProvisioner twins;
        if (a.tokens() != null) {
            final TokenClient tokens = a.tokens();
            twins = new DemoProvisioner(twinApi, () -> tokens.token().authorization(), auth.trust());
        } else {
            twins = new DemoProvisioner(twinApi, auth.dittoUser(), auth.dittoPassword(), auth.trust());
        }
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
            LOG.info("provisioned {} as {}: {}; {}", tenant, auth.identity(), devices.summary(), report.summary());
            done.add(devices.summary() + "; " + report.summary());
        }
        return new Running(() -> { }, Map::of, String.join(" | ", done));
    }

    /** The CAs of {@code tls.ca.file}, required by {@code what}. */
    private static ClientTrust requireTrust(final ServiceConfig c, final String what) {
        final ClientTrust trust = ServiceAuth.trust(c);
        if (trust == null) {
            throw new ServiceException(what + " is set but tls.ca.file is not: give the PEM file of the CA that issued"
                    + " the server's certificate (chart: tls.caSecret).");
        }
        return trust;
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
