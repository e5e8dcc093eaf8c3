package io.plantmesh.devices.simulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.simulator.degradation.GroundTruthFile;
import io.plantmesh.devices.simulator.machine.FaultRecord;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.devices.simulator.mqtt.MachineMqttDevice;
import io.plantmesh.devices.simulator.opcua.LineOpcUaServer;

/**
 * The simulated shop floor: every machine of the layout, one OPC-UA server per line for the OPC-UA machines, one MQTT
 * device per MQTT machine, and a clock thread that advances all machines every tick.
 *
 * <p>{@link #create} builds the machines and returns an unstarted floor; its caller must {@link #close()} it, also
 * after a failed {@link #start()}. The machines can be stepped by hand ({@link #tick()}) without starting anything.
 */
public final class ShopFloorSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ShopFloorSimulator.class);

    private final SimulatorConfig config;
    private final List<MachineSpec> layout;
    private final Map<String, SimulatedMachine> machines = new LinkedHashMap<>();
    private final Map<Integer, LineOpcUaServer> servers = new TreeMap<>();
    private final Instant createdAt;
    private final GroundTruthFile groundTruth;
    /** The latest plant time of a restored machine; null if nothing was restored. */
    private final Instant restoredPlantTime;
    private final int restoredMachines;

    private volatile PlantClock clock;
    private ScheduledExecutorService clockThread;
    private Vertx vertx;
    private boolean started;
    private boolean closed;

    private ShopFloorSimulator(final SimulatorConfig config) {
        this.config = config;
        this.layout = config.layout();
        this.createdAt = config.startTime() != null ? config.startTime()
                : Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (final MachineSpec spec : layout) {
            final SimulatedMachine machine = SimulatedMachine.create(spec.machineId(), spec.key(), spec.type(),
                    config.profileTuning().apply(spec.type().profile()), config.seed(), createdAt,
                    config.degradation());
            final SimulatedMachine previous = machines.put(spec.machineId(), machine);
            if (previous != null) {
                throw new IllegalArgumentException("machine " + spec.machineId() + " appears twice in the layout");
            }
        }
        Instant resumeAt = null;
        int restored = 0;
        if (config.stateDirectory() != null) {
            final Optional<JsonObject> saved = SimulatorState.load(config.stateDirectory());
            if (saved.isPresent()) {
                final JsonObject byMachine = saved.get().getJsonObject("machines");
                for (final SimulatedMachine machine : machines.values()) {
                    final JsonObject state = byMachine.getJsonObject(machine.machineId());
                    if (state == null) {
                        LOG.info("No saved state for {}: it starts from zero", machine.machineId());
                        continue;
                    }
                    try {
                        machine.restoreState(state);
                        restored++;
                        resumeAt = resumeAt == null || machine.now().isAfter(resumeAt) ? machine.now() : resumeAt;
                    } catch (final IllegalArgumentException e) {
                        LOG.warn("Saved state of {} not used, it starts from zero (its counters restart at 0): {}",
                                machine.machineId(), e.getMessage());
                    }
                }
                LOG.info("Simulator state restored from {}: {} of {} machines continue at plant time {}",
                        config.stateDirectory().resolve(SimulatorState.FILE_NAME), restored, machines.size(),
                        resumeAt);
            }
        }
        restoredPlantTime = resumeAt;
        restoredMachines = restored;
        final boolean writeTruth = config.degradation().enabled() && config.groundTruthFile() != null;
        groundTruth = writeTruth ? GroundTruthFile.append(config.groundTruthFile()) : null;
        if (groundTruth != null) {
            machines.values().forEach(m -> m.addListener(groundTruth));
        }
    }

    /** An unstarted floor with all machines IDLE at the configured start time. */
    public static ShopFloorSimulator create(final SimulatorConfig config) {
        return new ShopFloorSimulator(config);
    }

    /**
     * Starts the OPC-UA servers (blocking until they listen), deploys the MQTT devices (they connect in the background
     * and keep retrying) and the clock.
     *
     * @throws IllegalStateException if a server cannot start; what was started is stopped again
     */
    public synchronized ShopFloorSimulator start() {
        if (closed) {
            throw new IllegalStateException("this simulator was closed; create a new one");
        }
        if (started) {
            return this;
        }
        final long began = System.nanoTime();
        try {
            if (config.opcUaEnabled()) {
                startOpcUaServers();
            }
            if (config.mqttEnabled()) {
                startMqttDevices();
            }
        } catch (final RuntimeException e) {
            close();
            throw e;
        }
        Instant plantStart = config.startTime() != null ? createdAt
                : latest(createdAt, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        if (restoredPlantTime != null) {
            // plant time never runs backwards across a restart (it may have run ahead with a time scale above 1)
            plantStart = latest(plantStart, restoredPlantTime);
        }
        clock = new PlantClock(plantStart, config.timeScale());
        clockThread = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "plantmesh-shopfloor-clock");
            t.setDaemon(true);
            return t;
        });
        final long tickMillis = config.tickInterval().toMillis();
        clockThread.scheduleAtFixedRate(this::tickSafely, 0, tickMillis, TimeUnit.MILLISECONDS);
        if (config.stateDirectory() != null) {
            final long saveMillis = config.stateSaveInterval().toMillis();
            clockThread.scheduleWithFixedDelay(this::saveStateSafely, saveMillis, saveMillis, TimeUnit.MILLISECONDS);
        }
        started = true;
        LOG.info("Shop floor simulator started in {} ms: {} machines on {} lines ({} OPC-UA servers, {} MQTT "
                + "devices), seed {}, time scale {}x, tick {} ms, {}", (System.nanoTime() - began) / 1_000_000,
                machines.size(), lineNumbers().size(), servers.size(), mqttSpecs().size(), config.seed(),
                config.timeScale(), tickMillis, config.degradation().enabled()
                        ? "degradation modes on (ground truth " + (groundTruth == null ? "in memory only"
                        : "in " + groundTruth.file().toAbsolutePath().normalize()) + ")"
                        : "classic faults");
        if (config.stateDirectory() != null) {
            LOG.info("Simulator state in {} ({} machines restored), saved every {} s and on stop",
                    config.stateDirectory().resolve(SimulatorState.FILE_NAME).toAbsolutePath().normalize(),
                    restoredMachines, config.stateSaveInterval().toSeconds());
        }
        return this;
    }

    /** Machines whose saved state was restored at create. */
    public int restoredMachines() {
        return restoredMachines;
    }

    /**
     * Saves every machine's state to the state directory now (atomically); the clock thread does this every
     * {@link SimulatorConfig#stateSaveInterval()} and {@link #close()} once more.
     *
     * @throws IllegalStateException if no state directory is configured
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public void saveState() {
        if (config.stateDirectory() == null) {
            throw new IllegalStateException("no state directory configured; set SimulatorConfig.stateDirectory");
        }
        final JsonObject byMachine = new JsonObject();
        for (final SimulatedMachine machine : machines.values()) {
            byMachine.put(machine.machineId(), machine.saveState());
        }
        SimulatorState.save(config.stateDirectory(), new JsonObject()
                .put("format", SimulatorState.FORMAT)
                .put("seed", config.seed())
                .put("plantTime", plantTime().toString())
                .put("savedAt", Instant.now().toString())
                .put("machines", byMachine));
    }

    private void saveStateSafely() {
        try {
            saveState();
        } catch (final RuntimeException e) {
            LOG.error("Saving the simulator state failed (the machines keep running; it is tried again): {}",
                    e.getMessage());
        }
    }

    /**
     * Advances every machine to the plant clock's now (the machines' own time before {@link #start()}) and updates
     * the OPC-UA variables. The clock thread calls this every tick.
     */
    public void tick() {
        final Instant now = clock == null ? createdAt : clock.now();
        for (final SimulatedMachine machine : machines.values()) {
            machine.step(now);
        }
        final List<LineOpcUaServer> running;
        synchronized (this) {
            running = new ArrayList<>(servers.values());
        }
        running.forEach(LineOpcUaServer::publish);
    }

    /** Plant time now. */
    public Instant plantTime() {
        final PlantClock current = clock;
        return current == null ? createdAt : current.now();
    }

    public SimulatorConfig config() {
        return config;
    }

    public List<MachineSpec> layout() {
        return layout;
    }

    /** All machines in layout order. */
    public List<SimulatedMachine> machines() {
        return List.copyOf(machines.values());
    }

    /** The machine with this thing id ({@code plant1:machine-1-03}). */
    public Optional<SimulatedMachine> machine(final String machineId) {
        return Optional.ofNullable(machines.get(machineId));
    }

    /** The endpoint URL of a line's OPC-UA server; empty if the line has none or the floor is not started. */
    public synchronized Optional<String> opcUaEndpoint(final int line) {
        return Optional.ofNullable(servers.get(line)).map(LineOpcUaServer::endpointUrl);
    }

    /** Line number to OPC-UA endpoint URL of every running server. */
    public synchronized Map<Integer, String> opcUaEndpoints() {
        final Map<Integer, String> endpoints = new TreeMap<>();
        servers.forEach((line, server) -> endpoints.put(line, server.endpointUrl()));
        return endpoints;
    }

    /** Ground truth of every failure on the floor so far, by time; never written to a twin. */
    public List<FaultRecord> faultLog() {
        final List<FaultRecord> all = new ArrayList<>();
        machines.values().forEach(m -> all.addAll(m.faultLog()));
        all.sort(Comparator.comparing(FaultRecord::failedAt).thenComparing(FaultRecord::machineId));
        return all;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (clockThread != null) {
            clockThread.shutdownNow();
            awaitQuietly(clockThread);
        }
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (final Exception e) {
                LOG.warn("Stopping the MQTT devices did not finish cleanly: {}", e.getMessage());
            }
            vertx = null;
        }
        servers.values().forEach(LineOpcUaServer::close);
        servers.clear();
        if (config.stateDirectory() != null && started) {
            // after the clock stopped: the state saved is the state the machines end in
            saveStateSafely();
        }
        if (groundTruth != null) {
            groundTruth.close();
        }
        if (started) {
            LOG.info("Shop floor simulator stopped");
        }
    }

    private void startOpcUaServers() {
        for (final int line : lineNumbers()) {
            final List<SimulatedMachine> onLine = layout.stream()
                    .filter(s -> s.line() == line && s.protocol() == DeviceProtocol.OPC_UA)
                    .map(s -> machines.get(s.machineId()))
                    .toList();
            if (onLine.isEmpty()) {
                continue;
            }
            final LineOpcUaServer server = LineOpcUaServer.create(line, onLine, config.opcUaFor(line));
            servers.put(line, server);
            server.start();
        }
    }

    private void startMqttDevices() {
        final List<MachineSpec> mqtt = mqttSpecs();
        if (mqtt.isEmpty()) {
            return;
        }
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1));
        final List<Future<String>> deployments = new ArrayList<>();
        for (final MachineSpec spec : mqtt) {
            deployments.add(vertx.deployVerticle(new MachineMqttDevice(machines.get(spec.machineId()),
                    config.mqtt())));
        }
        try {
            Future.all(deployments).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new IllegalStateException("Could not deploy the " + mqtt.size() + " MQTT devices: "
                    + e.getMessage(), e);
        }
        LOG.info("{} MQTT devices connecting to {}://{}:{} as <device>@{}", mqtt.size(), config.mqtt().scheme(),
                config.mqtt().host(), config.mqtt().port(), config.mqtt().tenant());
    }

    private void tickSafely() {
        try {
            tick();
        } catch (final RuntimeException e) {
            // never let one bad tick stop the plant's clock
            LOG.error("Simulation tick failed; the floor keeps running", e);
        }
    }

    private List<Integer> lineNumbers() {
        return layout.stream().map(MachineSpec::line).distinct().sorted().toList();
    }

    private List<MachineSpec> mqttSpecs() {
        return layout.stream().filter(s -> s.protocol() == DeviceProtocol.MQTT).toList();
    }

    private static Instant latest(final Instant a, final Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static void awaitQuietly(final ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
