package io.plantmesh.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.twin.server.audit.AuditSettings;
import io.plantmesh.webui.WebUiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code plantmesh up}: runs the embedded footprint in the foreground until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        versionProvider = PlantMeshCommand.Version.class,
        description = {
                "Runs PlantMesh on this machine: the embedded MongoDB-compatible store, the Eclipse Ditto compatible"
                        + " twin server, the demo plant (namespace plant1: 5 lines, 50 machines, 40 work orders,"
                        + " 20 materials) and its shop floor: Kafka, the Hono-compatible MQTT adapter and device"
                        + " registry, simulated machines (OPC-UA line servers, MQTT devices), one edge gateway per"
                        + " line and twin ingestion, Keycloak with the plantmesh realm and its demo users, and the"
                        + " web UI. Ctrl-C stops it; data survives restarts.",
                "Every option can also be set by the environment variable named in its description."})
final class UpCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(UpCommand.class);
    /** Where {@code --tls} keeps the development CA and server certificate, under the data directory. */
    static final String TLS_DIRECTORY = "tls";

    @Spec
    CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_HTTP_PORT:-8080}",
            description = "Port of the twin API and WebSocket (default 8080, 0 = a free one; env PLANTMESH_HTTP_PORT).")
    int httpPort;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${env:PLANTMESH_HOST:-127.0.0.1}",
            description = "Address the twin server binds (default 127.0.0.1; 0.0.0.0 for every interface;"
                    + " env PLANTMESH_HOST).")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:PLANTMESH_DATA_DIR:-./.plantmesh/data}",
            description = "Data directory (default ./.plantmesh/data under the working directory; the embedded store"
                    + " keeps its files in DIR/store; env PLANTMESH_DATA_DIR).")
    Path dataDir;

    @Option(names = "--store-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_STORE_PORT:-0}",
            description = "Port of the embedded store's MongoDB wire protocol on 127.0.0.1 (default 0 = a free one;"
                    + " env PLANTMESH_STORE_PORT).")
    int storePort;

    @Option(names = "--mongo-uri", paramLabel = "URI", defaultValue = "${env:PLANTMESH_MONGO_URI}",
            description = "Use this MongoDB instead of the embedded store, e.g. mongodb://user:pw@host:27017/"
                    + "?authSource=admin (env PLANTMESH_MONGO_URI).")
    String mongoUri;

    @Option(names = "--users-file", paramLabel = "FILE", defaultValue = "${env:PLANTMESH_USERS_FILE}",
            description = "Additional basic-auth users, one 'name:password' or 'name:sha256:<hex>' per line; user"
                    + " NAME gets subject nginx:NAME. The dev user ditto/ditto is always there"
                    + " (env PLANTMESH_USERS_FILE).")
    Path usersFile;

    @Option(names = "--no-demo", description = "Do not provision the demo plant.")
    boolean noDemo;

    @Option(names = "--demo-seed", paramLabel = "SEED", defaultValue = "42",
            description = "Seed of the demo plant's random choices (default 42). Only used when the plant is"
                    + " provisioned the first time on a data directory.")
    long demoSeed;

    @Option(names = "--no-devices", description = "Run without the shop floor (no Kafka, MQTT, simulated machines,"
            + " gateways or twin ingestion): a lighter start with the twins only.")
    boolean noDevices;

    @Option(names = "--mqtt-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_MQTT_PORT:-1883}",
            description = "Port of the Hono MQTT device API on --host (default 1883, 0 = a free one;"
                    + " env PLANTMESH_MQTT_PORT).")
    int mqttPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_REGISTRY_PORT:-28080}",
            description = "Port of the Hono device registry HTTP API (/v1/tenants, /v1/devices, /v1/credentials) on"
                    + " --host (default 28080, 0 = a free one; env PLANTMESH_REGISTRY_PORT).")
    int registryPort;

    @Option(names = "--kafka-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_KAFKA_PORT:-9092}",
            description = "Port of the embedded Kafka broker on 127.0.0.1 (default 9092, 0 = a free one;"
                    + " env PLANTMESH_KAFKA_PORT).")
    int kafkaPort;

    @Option(names = "--opcua-base-port", paramLabel = "PORT",
            defaultValue = "${env:PLANTMESH_OPCUA_BASE_PORT:-4840}",
            description = "Simulated OPC-UA line servers listen on 127.0.0.1 at this port + line number (default 4840:"
                    + " opc.tcp://127.0.0.1:4841/plantmesh .. 4845; 0 = free ports; env PLANTMESH_OPCUA_BASE_PORT).")
    int opcUaBasePort;

    @Option(names = "--device-password", paramLabel = "PASSWORD",
            defaultValue = "${env:PLANTMESH_DEVICE_PASSWORD:-plantmesh-device-secret}",
            description = "Password of every demo device (machines and edge gateways) in the device registry"
                    + " (default plantmesh-device-secret; env PLANTMESH_DEVICE_PASSWORD).")
    String devicePassword;

    @Option(names = "--machine-mtbf", paramLabel = "DURATION", defaultValue = "${env:PLANTMESH_MACHINE_MTBF}",
            description = "Mean time between failures of every simulated machine, e.g. 30m or 2h, for a demo with"
                    + " faults (default: each machine type's own, 50..120 h; env PLANTMESH_MACHINE_MTBF).")
    String machineMtbf;

    @Option(names = "--time-scale", paramLabel = "FACTOR", defaultValue = "${env:PLANTMESH_TIME_SCALE:-1}",
            description = "Plant seconds per real second of the simulated machines, e.g. 60 to see an hour of"
                    + " production (set-ups, parts, faults) in a minute (default 1 = real time;"
                    + " env PLANTMESH_TIME_SCALE).")
    double timeScale;

    @Option(names = {"--no-mes", "--no-jobs"}, description = "Do not run the MES bridge: the demo's work orders stay"
            + " RELEASED and the machines IDLE until someone dispatches and starts them.")
    boolean noJobs;

    @Option(names = "--no-erp", description = "Do not run the embedded ERP and the ERP bridge.")
    boolean noErp;

    @Option(names = "--no-maintenance", description = "Do not run the predictive maintenance service (machine"
            + " health, alerts, maintenance windows requested from the MES).")
    boolean noMaintenance;

    @Option(names = "--degradation", description = "Simulate degradation modes (bearing wear, tool wear, hydraulic"
            + " leaks) with programs, sensor noise, warm-up and glitches instead of the classic faults; the ground"
            + " truth goes to DATA_DIR/simulator/ground-truth.jsonl, never to the twins.")
    boolean degradation;

    @Option(names = "--erp-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_ERP_PORT:-28300}",
            description = "Port of the embedded ERP's OData API (SAP S/4HANA shapes) on --host (default 28300, 0 = a"
                    + " free one; env PLANTMESH_ERP_PORT).")
    int erpPort;

    @Option(names = "--mes-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_MES_PORT:-28200}",
            description = "Port of the MES API on --host (default 28200, 0 = a free one; env PLANTMESH_MES_PORT).")
    int mesPort;

    @Option(names = "--tls", description = "Serve TLS on every listener (https, wss, mqtts) with a development"
            + " certificate from a development CA kept in <data dir>/tls (made on first use, as by 'plantmesh certs');"
            + " PlantMesh's own clients trust that CA. MQTT then listens on --mqtts-port.")
    boolean tls;

    @Option(names = "--tls-cert", paramLabel = "FILE", defaultValue = "${env:PLANTMESH_TLS_CERT}",
            description = "PEM certificate chain (server certificate first) every listener serves TLS with; needs"
                    + " --tls-key (env PLANTMESH_TLS_CERT; per listener: docs/configuration.md).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", defaultValue = "${env:PLANTMESH_TLS_KEY}",
            description = "Its private key, PEM, unencrypted PKCS#8 (env PLANTMESH_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--tls-ca", paramLabel = "FILE", defaultValue = "${env:PLANTMESH_TLS_CA}",
            description = "PEM file of the CA(s) PlantMesh's own clients (devices, gateways, ingestion, bridges)"
                    + " verify the listeners with (default with --tls: the development CA; otherwise the JVM's"
                    + " trust store; env PLANTMESH_TLS_CA).")
    Path tlsCa;

    @Option(names = "--mqtts-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_MQTTS_PORT:-8883}",
            description = "Port of the Hono MQTT device API over TLS, used instead of --mqtt-port when MQTT serves"
                    + " TLS (default 8883, Hono's secure port; 0 = a free one; env PLANTMESH_MQTTS_PORT).")
    int mqttsPort;

    @Option(names = "--keycloak-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_KEYCLOAK_PORT:-28180}",
            description = "Port of the embedded Keycloak on 127.0.0.1 (default 28180, 0 = a free one; issuer"
                    + " http://127.0.0.1:PORT/realms/plantmesh; env PLANTMESH_KEYCLOAK_PORT).")
    int keycloakPort;

    @Option(names = "--keycloak-dist", paramLabel = "PATH", defaultValue = "${env:PLANTMESH_KEYCLOAK_DIST}",
            description = "Keycloak server distribution to run: keycloak-quarkus-dist-*.tar.gz or an unpacked one"
                    + " (default: the one Maven fetched into the local repository; env PLANTMESH_KEYCLOAK_DIST).")
    Path keycloakDist;

    @Option(names = "--no-keycloak", description = "DEVELOPMENT ONLY: do not run Keycloak. No OpenID Connect tokens"
            + " can be issued: the services use the development user ditto/ditto, the MES API is open, the ERP takes"
            + " its Basic user.")
    boolean noKeycloak;

    @Option(names = "--no-audit", description = "Do not keep the audit log of twin writes and denied requests"
            + " (development only; on by default, see 'plantmesh audit verify').")
    boolean noAudit;

    @Option(names = "--audit-retention", paramLabel = "RECORDS",
            defaultValue = "${env:PLANTMESH_AUDIT_RETENTION:-1000000}",
            description = "How many of the newest audit records to keep (default 1000000, about 0.5 GB; 0 keeps all;"
                    + " env PLANTMESH_AUDIT_RETENTION). The embedded store holds its data in memory.")
    long auditRetention;

    @Option(names = "--ui-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_UI_PORT:-28100}",
            description = "Port of the web UI on --host (default 28100, 0 = a free one; env PLANTMESH_UI_PORT).")
    int uiPort;

    @Option(names = "--no-ui", description = "Do not serve the web UI.")
    boolean noUi;

    @Override
    public Integer call() throws InterruptedException {
        checkPort("--http-port", httpPort);
        checkPort("--mqtts-port", mqttsPort);
        checkPort("--store-port", storePort);
        checkPort("--mqtt-port", mqttPort);
        checkPort("--registry-port", registryPort);
        checkPort("--kafka-port", kafkaPort);
        checkPort("--opcua-base-port", opcUaBasePort);
        checkPort("--mes-port", mesPort);
        checkPort("--erp-port", erpPort);
        checkPort("--keycloak-port", keycloakPort);
        checkPort("--ui-port", uiPort);
        if (opcUaBasePort > 65535 - DemoPlant.LINES) {
            throw new ParameterException(spec.commandLine(), "--opcua-base-port must leave room for "
                    + DemoPlant.LINES + " lines below 65536, was " + opcUaBasePort);
        }
        if (!(timeScale > 0 && timeScale <= 3600)) {
            throw new ParameterException(spec.commandLine(), "--time-scale must be above 0 and at most 3600, was "
                    + timeScale);
        }
        if (auditRetention < 0) {
            throw new ParameterException(spec.commandLine(), "--audit-retention must be 0 (keep all) or a number of"
                    + " records, was " + auditRetention);
        }
        if (devicePassword == null || devicePassword.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--device-password must not be empty");
        }
        LaunchTls launchTls;
        try {
            launchTls = launchTls();
        } catch (io.plantmesh.tls.TlsConfigurationException | java.io.UncheckedIOException e) {
            System.err.println("plantmesh: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--host " + host + " cannot be named in a development"
                    + " certificate: " + e.getMessage());
        }
        boolean mqttOverTls = launchTls.listener(io.plantmesh.tls.TlsSettings.MQTT) != null;
        ShopFloorOptions floor = noDevices ? ShopFloorOptions.DISABLED : ShopFloorOptions.defaults()
                .withPorts(kafkaPort, mqttOverTls ? mqttsPort : mqttPort, registryPort, opcUaBasePort)
                .withDevicePassword(devicePassword)
                .withDispatchJobs(!noJobs)
                .withMesPort(mesPort)
                .withErpPort(noErp ? -1 : erpPort)
                .withMaintenance(!noMaintenance)
                .withDegradation(degradation)
                .withTimeScale(timeScale);
        Duration mtbf = parseMtbf();
        if (mtbf != null && !noDevices) {
            floor = floor.withProfileTuning(p -> p.withMtbf(mtbf));
        }
        KeycloakOptions keycloak = noKeycloak ? KeycloakOptions.DISABLED
                : new KeycloakOptions(true, keycloakPort, keycloakDist, null);
        LaunchOptions options = new LaunchOptions(host, httpPort, dataDir, storePort, blankToNull(mongoUri),
                usersFile, !noDemo, demoSeed, floor, launchTls, keycloak,
                noAudit ? AuditSettings.disabled() : LaunchOptions.DEFAULT_AUDIT.withRetention(auditRetention));
        if (noKeycloak) {
            System.err.println("plantmesh: WARNING: --no-keycloak is for development only: no Keycloak runs, so no"
                    + " OpenID Connect tokens can be issued: the services use the development user ditto/ditto, the"
                    + " MES API is OPEN to anyone who can reach it and the ERP takes its Basic user. Leave the option"
                    + " out to run Keycloak.");
        }
        PrintStream out = System.out;
        ConsoleListener console = new ConsoleListener(out);
        RunningPlantMesh running;
        try {
            running = PlantMeshLauncher.start(options, console);
        } catch (LaunchException e) {
            console.endProgress();
            LOG.debug("start failed", e);
            System.err.println("plantmesh: " + e.getMessage());
            return 1;
        }
        console.endProgress();
        WebUiServer ui = null;
        if (!noUi) {
            try {
                ui = WebUiLauncher.start(running, host, uiPort, launchTls);
            } catch (LaunchException e) {
                LOG.debug("web UI start failed", e);
                running.close();
                System.err.println("plantmesh: " + e.getMessage() + " --no-ui runs PlantMesh without it.");
                return 1;
            }
            console.serviceUp("web UI", ui.uri().toString(), "plant overview, twins, production, inventory, alerts;"
                    + (running.identity().isPresent() ? " sign in with Keycloak, e.g. as a demo user"
                    : " signs in as the dev user"));
        }
        if (options.demo()) {
            out.println(running.provisioning().summary());
        }
        out.println();
        out.println("PlantMesh is up. Ctrl-C stops it.");
        console.printServices();
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        WebUiServer page = ui;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (page != null) {
                page.close();
            }
            running.close();
            stopped.countDown();
        }, "plantmesh-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * TLS from --tls (development certificates under the data directory), or --tls-cert/--tls-key, and the
     * per-listener PLANTMESH_*_TLS_* variables.
     */
    private LaunchTls launchTls() {
        io.plantmesh.tls.TlsSettings settings = io.plantmesh.tls.TlsSettings.from(System.getenv());
        boolean files = tlsCert != null || tlsKey != null;
        if (tls && files) {
            throw new ParameterException(spec.commandLine(), "--tls uses development certificates; leave it out"
                    + " when you give --tls-cert and --tls-key");
        }
        if (files && (tlsCert == null || tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together: the "
                    + (tlsCert == null ? "certificate (--tls-cert)" : "key (--tls-key)") + " is missing");
        }
        Path caFile = tlsCa;
        if (tls) {
            Path dir = dataDir.resolve(TLS_DIRECTORY);
            java.util.List<String> hosts = new java.util.ArrayList<>(
                    io.plantmesh.tls.DevelopmentCertificates.DEFAULT_HOSTS);
            boolean specificHost = !java.util.Set.of("0.0.0.0", "::", "", "127.0.0.1", "localhost").contains(host);
            if (specificHost) {
                hosts.add(host);
            }
            io.plantmesh.tls.DevelopmentCertificates.Outcome certs = io.plantmesh.tls.DevelopmentCertificates
                    .ensure(dir, hosts, io.plantmesh.tls.DevelopmentCertificates.DEFAULT_DAYS, false);
            System.out.println("TLS: development certificates in " + dir.toAbsolutePath().normalize()
                    + (certs.written().isEmpty() ? "" : " (created)") + "; clients trust "
                    + certs.caCertificateFile().toAbsolutePath().normalize());
            settings = settings.withCommon(certs.serverCertificateFile(), certs.serverKeyFile(), null);
            caFile = caFile == null ? certs.caCertificateFile() : caFile;
        } else if (files) {
            settings = settings.withCommon(tlsCert, tlsKey, null);
        }
        io.plantmesh.tls.ClientTrust trust = caFile == null ? null : io.plantmesh.tls.ClientTrust.fromPemFile(caFile);
        return new LaunchTls(settings, trust);
    }

    private void checkPort(String option, int port) {
        boolean valid = port >= 0 && port <= 65535;
        if (!valid) {
            throw new ParameterException(spec.commandLine(), option + " must be a port number 0..65535, was " + port);
        }
    }

    /** "30m", "2h", "90s" or an ISO-8601 duration; null when not given. */
    private Duration parseMtbf() {
        String text = blankToNull(machineMtbf);
        if (text == null) {
            return null;
        }
        try {
            Duration d = Duration.parse(text.toUpperCase(java.util.Locale.ROOT).startsWith("P") ? text
                    : "PT" + text.trim());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return d;
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--machine-mtbf must be a duration such as 30m, 2h or"
                    + " 90s, was '" + text + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
