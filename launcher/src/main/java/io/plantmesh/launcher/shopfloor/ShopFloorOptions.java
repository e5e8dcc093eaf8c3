package io.plantmesh.launcher.shopfloor;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.plantmesh.devices.simulator.machine.MachineProfile;

/**
 * How {@code plantmesh up} runs the shop floor: the Kafka broker, the Hono-compatible ingress, the simulated machines,
 * the edge gateways and twin ingestion.
 *
 * @param enabled false runs the twins only (--no-devices)
 * @param kafkaPort embedded Kafka client port on 127.0.0.1 (0 = a free one)
 * @param mqttPort Hono MQTT adapter port (0 = a free one); binds the launcher's host
 * @param registryPort Hono device registry HTTP API port (0 = a free one); binds the launcher's host
 * @param opcUaBasePort line n's simulated OPC-UA server listens on base + n (0 = free ports)
 * @param devicePassword password of every demo device (machines and gateways) in the registry and on the devices
 * @param machineFilter which demo machines are simulated and provisioned (thing id); all by default
 * @param mqttTelemetryInterval how often the simulated MQTT machines publish telemetry
 * @param profileTuning adjusts every simulated machine's profile (e.g. a shorter MTBF for a lively demo)
 * @param dispatchJobs run the MES bridge (one instance per line), which dispatches the demo plant's released work
 *     orders to the machines and starts them (live messages)
 * @param bcryptCost BCrypt cost of new device passwords (Hono's default 10; tests use less)
 * @param timeScale plant seconds per real second of the simulated machines (1 = real time)
 * @param mesPort port of the MES API (0 = a free one); binds the launcher's host
 * @param erpPort port of the embedded ERP's OData API (0 = a free one, -1 = no ERP and no ERP bridge); binds the
 *     launcher's host
 * @param mesResyncInterval how often each MES bridge re-reads all twins of its line (between re-reads, change events
 *     keep it current)
 * @param maintenance run the predictive maintenance service (it asks the MES for maintenance windows when the MES
 *     runs)
 * @param degradation simulate degradation modes (bearing and tool wear, hydraulic leaks) instead of the classic
 *     faults, with the ground truth in {@code <data-dir>/simulator/ground-truth.jsonl}
 */
public record ShopFloorOptions(boolean enabled, int kafkaPort, int mqttPort, int registryPort, int opcUaBasePort,
        String devicePassword, Predicate<String> machineFilter, Duration mqttTelemetryInterval,
        UnaryOperator<MachineProfile> profileTuning, boolean dispatchJobs, int bcryptCost, double timeScale,
        int mesPort, int erpPort, Duration mesResyncInterval,
        boolean maintenance, boolean degradation) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_MQTT_PORT = 1883;
    public static final int DEFAULT_REGISTRY_PORT = 28080;
    public static final int DEFAULT_OPCUA_BASE_PORT = 4840;
    public static final String DEFAULT_DEVICE_PASSWORD = "plantmesh-device-secret";
    public static final Duration DEFAULT_TELEMETRY_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_MES_PORT = 28200;
    public static final int DEFAULT_ERP_PORT = 28300;
    /** The MES bridge's own default. */
    public static final Duration DEFAULT_MES_RESYNC = Duration.ofSeconds(60);

    /** No shop floor: the twins only. */
    public static final ShopFloorOptions DISABLED = new ShopFloorOptions(false, 0, 0, 0, 0, DEFAULT_DEVICE_PASSWORD,
            id -> true, DEFAULT_TELEMETRY_INTERVAL, UnaryOperator.identity(), false, 10, 1.0, 0, -1,
            DEFAULT_MES_RESYNC, false, false);

    public ShopFloorOptions {
        Objects.requireNonNull(devicePassword, "devicePassword");
        Objects.requireNonNull(machineFilter, "machineFilter");
        Objects.requireNonNull(mqttTelemetryInterval, "mqttTelemetryInterval");
        Objects.requireNonNull(profileTuning, "profileTuning");
        mesResyncInterval = mesResyncInterval == null ? DEFAULT_MES_RESYNC : mesResyncInterval;
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("the time scale must be positive, was " + timeScale);
        }
        if (devicePassword.isBlank()) {
            throw new IllegalArgumentException("the device password must not be blank");
        }
    }

    /** The whole demo floor on the default ports (Kafka 9092, MQTT 1883, registry 28080, OPC-UA 4841..4845). */
    public static ShopFloorOptions defaults() {
        return new ShopFloorOptions(true, DEFAULT_KAFKA_PORT, DEFAULT_MQTT_PORT, DEFAULT_REGISTRY_PORT,
                DEFAULT_OPCUA_BASE_PORT, DEFAULT_DEVICE_PASSWORD, id -> true, DEFAULT_TELEMETRY_INTERVAL,
                UnaryOperator.identity(), true, 10, 1.0, DEFAULT_MES_PORT,
                DEFAULT_ERP_PORT, DEFAULT_MES_RESYNC, true, false);
    }

    /** The whole demo floor on free ports, no job dispatch, cheap password hashes: for tests. */
    public static ShopFloorOptions forTests() {
        return new ShopFloorOptions(true, 0, 0, 0, 0, DEFAULT_DEVICE_PASSWORD, id -> true, DEFAULT_TELEMETRY_INTERVAL,
                UnaryOperator.identity(), false, 4, 1.0, 0, -1, DEFAULT_MES_RESYNC, false, false);
    }

    public ShopFloorOptions withPorts(int kafka, int mqtt, int registry, int opcUaBase) {
        return new ShopFloorOptions(enabled, kafka, mqtt, registry, opcUaBase, devicePassword, machineFilter,
                mqttTelemetryInterval, profileTuning, dispatchJobs, bcryptCost, timeScale,
                mesPort, erpPort, mesResyncInterval, maintenance, degradation);
    }

    public ShopFloorOptions withDevicePassword(String password) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, password,
                machineFilter, mqttTelemetryInterval, profileTuning, dispatchJobs, bcryptCost, timeScale,
                mesPort, erpPort, mesResyncInterval, maintenance, degradation);
    }

    /** Only these machines (by thing id) are simulated, provisioned and served by gateways. */
    public ShopFloorOptions withMachines(Predicate<String> filter) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, devicePassword,
                filter, mqttTelemetryInterval, profileTuning, dispatchJobs, bcryptCost, timeScale,
                mesPort, erpPort, mesResyncInterval, maintenance, degradation);
    }

    public ShopFloorOptions withProfileTuning(UnaryOperator<MachineProfile> tuning) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, devicePassword,
                machineFilter, mqttTelemetryInterval, tuning, dispatchJobs, bcryptCost, timeScale,
                mesPort, erpPort, mesResyncInterval, maintenance, degradation);
    }

    public ShopFloorOptions withDispatchJobs(boolean dispatch) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, devicePassword,
                machineFilter, mqttTelemetryInterval, profileTuning, dispatch, bcryptCost, timeScale,
                mesPort, erpPort, mesResyncInterval, maintenance, degradation);
    }

    /** Plant seconds per real second: 60 runs an hour of production in a minute. */
    public ShopFloorOptions withTimeScale(double scale) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, devicePassword,
                machineFilter, mqttTelemetryInterval, profileTuning, dispatchJobs, bcryptCost, scale,
                mesPort, erpPort, mesResyncInterval, maintenance, degradation);
    }

    public ShopFloorOptions withMesPort(int port) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, devicePassword,
                machineFilter, mqttTelemetryInterval, profileTuning, dispatchJobs, bcryptCost, timeScale, port,
                erpPort, mesResyncInterval, maintenance, degradation);
    }

    /** Port of the embedded ERP (0 = a free one, -1 = no ERP and no ERP bridge). */
    public ShopFloorOptions withErpPort(int port) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, devicePassword,
                machineFilter, mqttTelemetryInterval, profileTuning, dispatchJobs, bcryptCost, timeScale, mesPort,
                port, mesResyncInterval, maintenance, degradation);
    }

    /** How often each MES bridge re-reads all twins of its line (tests: long, so that only events keep it current). */
    public ShopFloorOptions withMesResyncInterval(Duration interval) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, devicePassword,
                machineFilter, mqttTelemetryInterval, profileTuning, dispatchJobs, bcryptCost, timeScale, mesPort,
                erpPort, interval, maintenance, degradation);
    }

    /** Runs (or not) the predictive maintenance service. */
    public ShopFloorOptions withMaintenance(boolean run) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, devicePassword,
                machineFilter, mqttTelemetryInterval, profileTuning, dispatchJobs, bcryptCost, timeScale, mesPort,
                erpPort, mesResyncInterval, run, degradation);
    }

    /** Simulates degradation modes instead of the classic faults. */
    public ShopFloorOptions withDegradation(boolean on) {
        return new ShopFloorOptions(enabled, kafkaPort, mqttPort, registryPort, opcUaBasePort, devicePassword,
                machineFilter, mqttTelemetryInterval, profileTuning, dispatchJobs, bcryptCost, timeScale, mesPort,
                erpPort, mesResyncInterval, maintenance, on);
    }
}
