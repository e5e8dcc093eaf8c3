package io.plantmesh.devices.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

import io.plantmesh.devices.simulator.degradation.DegradationSettings;
import io.plantmesh.devices.simulator.machine.MachineProfile;
import io.plantmesh.devices.simulator.mqtt.MqttDeviceSettings;
import io.plantmesh.devices.simulator.opcua.OpcUaServerSettings;

/**
 * Everything the {@link ShopFloorSimulator} needs. {@link #defaults(Path)} is the seed paper's floor, matching the
 * launcher's demo plant: 50 machines on 5 lines (7 OPC-UA + 3 MQTT per line), seed 42, OPC-UA servers at
 * {@code opc.tcp://127.0.0.1:484<line>/plantmesh}, MQTT devices to 127.0.0.1:1883 as {@code <auth-id>@plant1}, real
 * time, one tick per second.
 */
public final class SimulatorConfig {

    /** OPC-UA user of the default configuration (username identity). */
    public static final String DEFAULT_OPCUA_USER = "operator";
    public static final String DEFAULT_OPCUA_PASSWORD = "plantmesh-operator";

    private final String plant;
    private final long seed;
    private final int lines;
    private final int machinesPerLine;
    private final int mqttMachinesPerLine;
    private final List<MachineSpec> machines;
    private final Duration tickInterval;
    private final double timeScale;
    private final Instant startTime;
    private final boolean opcUaEnabled;
    private final int opcUaBasePort;
    private final OpcUaServerSettings opcUa;
    private final boolean mqttEnabled;
    private final MqttDeviceSettings mqtt;
    private final UnaryOperator<MachineProfile> profileTuning;
    private final DegradationSettings degradation;
    private final Path groundTruthFile;
    private final Path stateDirectory;
    private final Duration stateSaveInterval;

    private SimulatorConfig(final Builder b) {
        this.plant = Objects.requireNonNull(b.plant, "plant");
        this.seed = b.seed;
        this.lines = b.lines;
        this.machinesPerLine = b.machinesPerLine;
        this.mqttMachinesPerLine = b.mqttMachinesPerLine;
        this.machines = List.copyOf(b.machines);
        this.tickInterval = Objects.requireNonNull(b.tickInterval, "tickInterval");
        this.timeScale = b.timeScale;
        this.startTime = b.startTime;
        this.opcUaEnabled = b.opcUaEnabled;
        this.opcUaBasePort = b.opcUaBasePort;
        this.opcUa = Objects.requireNonNull(b.opcUa, "opcUa");
        this.mqttEnabled = b.mqttEnabled;
        this.mqtt = Objects.requireNonNull(b.mqtt, "mqtt");
        this.profileTuning = Objects.requireNonNull(b.profileTuning, "profileTuning");
        this.degradation = Objects.requireNonNull(b.degradation, "degradation");
        this.groundTruthFile = b.groundTruthFile;
        this.stateDirectory = b.stateDirectory;
        this.stateSaveInterval = Objects.requireNonNull(b.stateSaveInterval, "stateSaveInterval");
        if (stateSaveInterval.toMillis() < 1) {
            throw new IllegalArgumentException("the state save interval must be at least 1 ms, was "
                    + stateSaveInterval);
        }
        final boolean validTiming = tickInterval.toMillis() >= 1 && timeScale > 0;
        if (!validTiming) {
            throw new IllegalArgumentException("tick interval must be at least 1 ms and time scale positive: tick="
                    + tickInterval + ", timeScale=" + timeScale);
        }
        final boolean validBasePort = opcUaBasePort == 0 || opcUaBasePort + Math.max(lines, maxLine()) <= 65535;
        if (!validBasePort) {
            throw new IllegalArgumentException("OPC-UA base port " + opcUaBasePort + " leaves no room for "
                    + lines + " lines below 65536; use a lower base port or 0 for free ports");
        }
    }

    /** The default floor with certificates in {@code certDirectory} (created if missing). */
    public static SimulatorConfig defaults(final Path certDirectory) {
        return builder(certDirectory).build();
    }

    public static Builder builder(final Path certDirectory) {
        return new Builder(certDirectory);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The machines to simulate: the explicit list if one was given, else the demo layout from seed and counts. */
    public List<MachineSpec> layout() {
        if (!machines.isEmpty()) {
            return machines;
        }
        return FloorLayout.demo(plant, seed, lines, machinesPerLine, mqttMachinesPerLine);
    }

    /** OPC-UA settings of one line: its port is base port + line, or 0 (free) when the base port is 0. */
    public OpcUaServerSettings opcUaFor(final int line) {
        return opcUa.withPort(opcUaBasePort == 0 ? 0 : opcUaBasePort + line);
    }

    private int maxLine() {
        return machines.stream().mapToInt(MachineSpec::line).max().orElse(0);
    }

    public String plant() {
        return plant;
    }

    public long seed() {
        return seed;
    }

    public int lines() {
        return lines;
    }

    public int machinesPerLine() {
        return machinesPerLine;
    }

    public int mqttMachinesPerLine() {
        return mqttMachinesPerLine;
    }

    public Duration tickInterval() {
        return tickInterval;
    }

    public double timeScale() {
        return timeScale;
    }

    /** Plant time at start; null = the wall clock at {@link ShopFloorSimulator#start()}. */
    public Instant startTime() {
        return startTime;
    }

    public boolean opcUaEnabled() {
        return opcUaEnabled;
    }

    public int opcUaBasePort() {
        return opcUaBasePort;
    }

    public OpcUaServerSettings opcUa() {
        return opcUa;
    }

    public boolean mqttEnabled() {
        return mqttEnabled;
    }

    public MqttDeviceSettings mqtt() {
        return mqtt;
    }

    public UnaryOperator<MachineProfile> profileTuning() {
        return profileTuning;
    }

    /** Degradation modes and realistic signals; {@link DegradationSettings#OFF} (the classic faults) by default. */
    public DegradationSettings degradation() {
        return degradation;
    }

    /** Where the ground truth of degradation is appended as JSON lines; null for nowhere. */
    public Path groundTruthFile() {
        return groundTruthFile;
    }

    /**
     * Where the machines' state is kept across restarts ({@code machines.json}, see {@link SimulatorState}); null: the
     * floor starts from zero every time.
     */
    public Path stateDirectory() {
        return stateDirectory;
    }

    /** How often (real time) the state is saved while running; it is saved on close as well. */
    public Duration stateSaveInterval() {
        return stateSaveInterval;
    }

    /** Builder; one value per call. */
    public static final class Builder {

        private String plant = "plant1";
        private long seed = 42;
        private int lines = 5;
        private int machinesPerLine = 10;
        private int mqttMachinesPerLine = 3;
        private List<MachineSpec> machines = List.of();
        private Duration tickInterval = Duration.ofSeconds(1);
        private double timeScale = 1.0;
        private Instant startTime;
        private boolean opcUaEnabled = true;
        private int opcUaBasePort = 4840;
        private OpcUaServerSettings opcUa;
        private boolean mqttEnabled = true;
        private MqttDeviceSettings mqtt = MqttDeviceSettings.defaults();
        private UnaryOperator<MachineProfile> profileTuning = UnaryOperator.identity();
        private DegradationSettings degradation = DegradationSettings.OFF;
        private Path groundTruthFile;
        private Path stateDirectory;
        private Duration stateSaveInterval = Duration.ofSeconds(5);

        private Builder(final Path certDirectory) {
            Objects.requireNonNull(certDirectory, "certDirectory");
            this.opcUa = new OpcUaServerSettings("127.0.0.1", 0, OpcUaServerSettings.DEFAULT_PATH, certDirectory,
                    Map.of(DEFAULT_OPCUA_USER, DEFAULT_OPCUA_PASSWORD), true);
        }

        private Builder(final SimulatorConfig c) {
            plant = c.plant;
            seed = c.seed;
            lines = c.lines;
            machinesPerLine = c.machinesPerLine;
            mqttMachinesPerLine = c.mqttMachinesPerLine;
            machines = c.machines;
            tickInterval = c.tickInterval;
            timeScale = c.timeScale;
            startTime = c.startTime;
            opcUaEnabled = c.opcUaEnabled;
            opcUaBasePort = c.opcUaBasePort;
            opcUa = c.opcUa;
            mqttEnabled = c.mqttEnabled;
            mqtt = c.mqtt;
            profileTuning = c.profileTuning;
            degradation = c.degradation;
            groundTruthFile = c.groundTruthFile;
            stateDirectory = c.stateDirectory;
            stateSaveInterval = c.stateSaveInterval;
        }

        /** Ditto namespace of the machine ids, e.g. plant1. */
        public Builder plant(final String value) {
            plant = value;
            return this;
        }

        /** Drives the layout and every machine's behaviour. */
        public Builder seed(final long value) {
            seed = value;
            return this;
        }

        public Builder lines(final int value) {
            lines = value;
            return this;
        }

        public Builder machinesPerLine(final int value) {
            machinesPerLine = value;
            return this;
        }

        public Builder mqttMachinesPerLine(final int value) {
            mqttMachinesPerLine = value;
            return this;
        }

        /** An explicit floor (e.g. from the launcher's demo plant) instead of the generated one. */
        public Builder machines(final List<MachineSpec> value) {
            machines = value == null ? List.of() : value;
            return this;
        }

        /** How often (real time) all machines are advanced and the OPC-UA variables updated. */
        public Builder tickInterval(final Duration value) {
            tickInterval = value;
            return this;
        }

        /** Plant seconds per real second. */
        public Builder timeScale(final double value) {
            timeScale = value;
            return this;
        }

        public Builder startTime(final Instant value) {
            startTime = value;
            return this;
        }

        public Builder opcUaEnabled(final boolean value) {
            opcUaEnabled = value;
            return this;
        }

        /** Line n listens on base + n (4840 gives 4841..4845); 0 picks free ports. */
        public Builder opcUaBasePort(final int value) {
            opcUaBasePort = value;
            return this;
        }

        public Builder opcUaBindAddress(final String value) {
            opcUa = new OpcUaServerSettings(value, opcUa.port(), opcUa.path(), opcUa.certDirectory(), opcUa.users(),
                    opcUa.trustAllClientCertificates());
            return this;
        }

        public Builder opcUaUsers(final Map<String, String> value) {
            opcUa = new OpcUaServerSettings(opcUa.bindAddress(), opcUa.port(), opcUa.path(), opcUa.certDirectory(),
                    value, opcUa.trustAllClientCertificates());
            return this;
        }

        public Builder trustAllClientCertificates(final boolean value) {
            opcUa = new OpcUaServerSettings(opcUa.bindAddress(), opcUa.port(), opcUa.path(), opcUa.certDirectory(),
                    opcUa.users(), value);
            return this;
        }

        public Builder mqttEnabled(final boolean value) {
            mqttEnabled = value;
            return this;
        }

        public Builder mqtt(final MqttDeviceSettings value) {
            mqtt = value;
            return this;
        }

        /** Adjusts every machine's profile, e.g. {@code p -> p.withMtbf(Duration.ofHours(4))} for a lively demo. */
        public Builder profileTuning(final UnaryOperator<MachineProfile> value) {
            profileTuning = value;
            return this;
        }

        /** Degradation modes instead of the classic faults, e.g. {@code DegradationSettings.defaults()}. */
        public Builder degradation(final DegradationSettings value) {
            degradation = value;
            return this;
        }

        /** Appends the ground truth (episodes, sudden faults, maintenance) to this file; null: nowhere. */
        public Builder groundTruthFile(final Path value) {
            groundTruthFile = value;
            return this;
        }

        /**
         * Keeps the machines' state (counters, jobs, failures and wear under way) in this directory: restored on
         * create, saved every {@link #stateSaveInterval} (5 s) and on close; null (the default): not kept.
         */
        public Builder stateDirectory(final Path value) {
            stateDirectory = value;
            return this;
        }

        /** How often (real time) the state is saved while running (default 5 s). */
        public Builder stateSaveInterval(final Duration value) {
            stateSaveInterval = value;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(this);
        }
    }
}
