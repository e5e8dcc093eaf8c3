package io.plantmesh.devices.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.gateway.buffer.BufferConfig;
import io.plantmesh.devices.gateway.buffer.BufferCounters;
import io.plantmesh.devices.gateway.buffer.StoreAndForwardBuffer;
import io.plantmesh.devices.gateway.command.CommandDispatcher;
import io.plantmesh.devices.gateway.command.CommandOutcome;
import io.plantmesh.devices.gateway.edge.CounterContinuity;
import io.plantmesh.devices.gateway.edge.MachinePayloadBuilder;
import io.plantmesh.devices.gateway.edge.MachineSignalPipeline;
import io.plantmesh.devices.gateway.edge.OutboundMessage;
import io.plantmesh.devices.gateway.health.GatewayHealthReporter;
import io.plantmesh.devices.gateway.mapping.MachineMapping;
import io.plantmesh.devices.gateway.mqtt.CommandRequest;
import io.plantmesh.devices.gateway.mqtt.HonoMqttConnection;
import io.plantmesh.devices.gateway.mqtt.HonoTopics;
import io.plantmesh.devices.gateway.mqtt.MessageForwarder;
import io.plantmesh.devices.gateway.opcua.OpcUaEndpointConnection;
import io.vertx.core.Vertx;

/**
 * The OPC-UA to Hono edge gateway: monitors the machines of its device list on their OPC-UA line servers, processes
 * the values at the edge (units, alarms, windows, deadbands), publishes them to Hono's MQTT adapter as the gateway
 * ({@code telemetry//<device>}, {@code event//<device>}) through an on-disk store-and-forward buffer, and turns
 * Hono commands into OPC-UA method calls.
 * <pre>
 * EdgeGateway gateway = EdgeGateway.create(config);
 * gateway.start();
 * ...
 * gateway.close();
 * </pre>
 */
public final class EdgeGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeGateway.class);
    private static final long SYNC_INTERVAL_MILLIS = 100;
    /** The part counters' offsets after machine counter resets, kept next to the buffer's segments. */
    public static final String COUNTERS_FILE = "counters.json";

    private final GatewayConfig config;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Map<String, MachineSignalPipeline> pipelines = new LinkedHashMap<>();
    private final List<OpcUaEndpointConnection> endpoints = new ArrayList<>();
    private final Map<OpcUaEndpointConnection, List<String>> machinesByEndpoint = new LinkedHashMap<>();
    private GatewayHealthReporter health;
    private CounterContinuity counterContinuity;
    private ScheduledExecutorService pipelineThread;
    private final List<ScheduledExecutorService> opcUaWorkers = new ArrayList<>();
    private HonoMqttConnection mqtt;
    private MessageForwarder forwarder;
    private CommandDispatcher dispatcher;
    private boolean started;
    private boolean closed;

    private EdgeGateway(final GatewayConfig config, final Vertx vertx, final boolean ownsVertx) {
        this.config = config;
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
    }

    /**
     * Returns an unstarted gateway with a Vert.x instance of its own; its caller must close it, including after a
     * failed start.
     */
    public static EdgeGateway create(final GatewayConfig config) {
        return new EdgeGateway(config, Vertx.vertx(), true);
    }

    /** Like {@link #create(GatewayConfig)} on a given Vert.x instance (not closed by {@link #close()}). */
    public static EdgeGateway create(final Vertx vertx, final GatewayConfig config) {
        return new EdgeGateway(config, vertx, false);
    }

    /**
     * Opens the buffer (forwarding what a previous run left), then connects to MQTT and to every OPC-UA endpoint in
     * the background; unreachable peers are retried with backoff, so this returns without waiting for them.
     *
     * @throws IOException if the buffer directory cannot be used
     */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("edge gateway " + config.gatewayId() + " was already started");
        }
        started = true;
        final StoreAndForwardBuffer buffer = StoreAndForwardBuffer.open(BufferConfig.of(config.bufferDirectory(),
                config.bufferBoundBytes()));
        pipelineThread = Executors.newSingleThreadScheduledExecutor(daemon("edge-gateway-pipeline"));
        mqtt = new HonoMqttConnection(vertx, config, new HonoMqttConnection.Listener() {
            @Override
            public void onConnected() {
                forwarder.onConnected();
                execute(() -> reportHealth(true));
            }

            @Override
            public void onDisconnected() {
                forwarder.onDisconnected();
            }

            @Override
            public void onCommand(final CommandRequest request) {
                handleCommand(request);
            }
        });
        forwarder = new MessageForwarder(buffer, mqtt, config.telemetryQos(), config.publishWindow(),
                SYNC_INTERVAL_MILLIS);
        final Map<String, List<OpcUaEndpointConnection.MonitoredMachine>> byEndpoint = new LinkedHashMap<>();
        counterContinuity = CounterContinuity.open(config.bufferDirectory().resolve(COUNTERS_FILE));
        for (final MachineDevice device : config.devices()) {
            final MachineMapping mapping = config.mappings().get(device.machineType());
            pipelines.put(device.thingId(), new MachineSignalPipeline(device.thingId(), mapping,
                    MachinePayloadBuilder.HONO_PAYLOAD_LIMIT, counterContinuity));
            byEndpoint.computeIfAbsent(device.opcuaEndpoint(), e -> new ArrayList<>())
                    .add(new OpcUaEndpointConnection.MonitoredMachine(device, mapping));
        }
        final Map<String, CommandDispatcher.Target> targets = new LinkedHashMap<>();
        byEndpoint.forEach((url, machines) -> {
            // one thread per line server: its blocking connect attempts must not hold up the others
            final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
                    daemon("edge-gateway-opcua-" + (opcUaWorkers.size() + 1)));
            opcUaWorkers.add(worker);
            final OpcUaEndpointConnection endpoint = new OpcUaEndpointConnection(url, machines,
                    config.opcUaSecurity(), new ReconnectBackoff(config.reconnectInitial(), config.reconnectMax()),
                    this::onSamples, worker, config.commandTimeout().toMillis());
            endpoints.add(endpoint);
            machinesByEndpoint.put(endpoint, machines.stream().map(m -> m.device().thingId()).toList());
            machines.forEach(m -> targets.put(m.device().thingId(),
                    new CommandDispatcher.Target(m.device(), m.mapping(), endpoint)));
        });
        dispatcher = new CommandDispatcher(targets);
        final long flushMillis = Math.max(10, config.flushInterval().toMillis());
        pipelineThread.scheduleAtFixedRate(this::flushAll, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
        final long healthMillis = config.healthInterval().toMillis();
        if (healthMillis > 0) {
            health = new GatewayHealthReporter(config.gatewayId(), healthMillis);
            // look for changes every second (or the interval, if shorter); a report goes out when one is due
            final long checkMillis = Math.min(1000, healthMillis);
            pipelineThread.scheduleAtFixedRate(() -> reportHealth(false), 0, checkMillis, TimeUnit.MILLISECONDS);
        }
        mqtt.start();
        endpoints.forEach(OpcUaEndpointConnection::start);
        LOG.info("Edge gateway {} started: MQTT {} as {}, OPC-UA endpoints {} ({} machines), buffer {} (bound {} "
                + "MiB, {} messages pending), telemetry QoS {}, flush every {} ms, health report {}",
                config.gatewayId(), config.mqttUrl(), config.mqttUsername(), byEndpoint.keySet(),
                config.devices().size(), config.bufferDirectory(), config.bufferBoundBytes() >> 20,
                buffer.counters().buffered(), config.telemetryQos(), flushMillis,
                healthMillis > 0 ? "every " + healthMillis + " ms and on change" : "off");
    }

    /** Buffer counters: messages buffered now, drained and dropped since start. */
    public BufferCounters counters() {
        if (forwarder == null) {
            throw new IllegalStateException("edge gateway " + config.gatewayId() + " is not started");
        }
        return forwarder.counters();
    }

    public GatewayConfig config() {
        return config;
    }

    /**
     * Each machine's OPC-UA session as the health report shows it (in device list order): connected or not, its line
     * server's endpoint, the last error.
     */
    public List<GatewayHealthReporter.Session> opcUaSessions() {
        final List<GatewayHealthReporter.Session> sessions = new ArrayList<>();
        machinesByEndpoint.forEach((endpoint, machines) -> machines.forEach(machine -> sessions.add(
                new GatewayHealthReporter.Session(machine, endpoint.isConnected(), endpoint.endpointUrl(),
                        endpoint.lastFailure()))));
        return sessions;
    }

    /** Health reports produced since start (0 if they are switched off). */
    public long healthReports() {
        return health == null ? 0 : health.reports();
    }

    /** Whether the MQTT connection to Hono is up. */
    public boolean mqttConnected() {
        return mqtt != null && mqtt.isConnected();
    }

    /** Failed OPC-UA connection attempts and lost sessions over all endpoints since start (each is retried). */
    public long opcUaRetries() {
        return endpoints.stream().mapToLong(OpcUaEndpointConnection::retries).sum();
    }

    /** Whether every OPC-UA endpoint is connected. */
    public boolean opcUaConnected() {
        return !endpoints.isEmpty() && endpoints.stream().allMatch(OpcUaEndpointConnection::isConnected);
    }

    /**
     * Stops: disconnects OPC-UA, hands pending telemetry to the buffer, closes MQTT and the buffer (messages not yet
     * acknowledged stay on disk for the next start).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        endpoints.forEach(OpcUaEndpointConnection::close);
        opcUaWorkers.forEach(ScheduledExecutorService::shutdownNow);
        if (pipelineThread != null) {
            try {
                pipelineThread.submit(() -> flushAll(true)).get(5, TimeUnit.SECONDS);
            } catch (final Exception e) {
                LOG.warn("Final telemetry flush failed: {}", e.toString());
            }
            pipelineThread.shutdownNow();
        }
        if (forwarder != null) {
            try {
                forwarder.close();
            } catch (final IOException e) {
                LOG.error("Closing the store-and-forward buffer {} failed: {}", config.bufferDirectory(),
                        e.toString());
            }
        }
        if (mqtt != null) {
            try {
                mqtt.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (final Exception e) {
                LOG.debug("MQTT close: {}", e.toString());
            }
        }
        if (ownsVertx) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (final Exception e) {
                LOG.debug("Vert.x close: {}", e.toString());
            }
        }
        LOG.info("Edge gateway {} stopped", config.gatewayId());
    }

    private void onSamples(final MachineDevice device, final List<MachineSignalPipeline.Sample> samples) {
        final MachineSignalPipeline pipeline = pipelines.get(device.thingId());
        final Consumer<OutboundMessage> out = forwarder::submit;
        execute(() -> pipeline.accept(samples, System.currentTimeMillis(), out));
    }

    private void flushAll() {
        flushAll(false);
    }

    private void flushAll(final boolean closing) {
        final long now = System.currentTimeMillis();
        final Consumer<OutboundMessage> out = forwarder::submit;
        for (final MachineSignalPipeline pipeline : pipelines.values()) {
            try {
                pipeline.flush(now, out);
            } catch (final RuntimeException e) {
                LOG.error("Flushing telemetry of {} failed", pipeline.deviceId(), e);
            }
        }
        try {
            counterContinuity.save(now, closing);
        } catch (final RuntimeException e) {
            LOG.error("{}", e.getMessage());
        }
    }

    /** Part counter resets of the machines seen since start (the twins' counters continued upwards). */
    public long counterResets() {
        return counterContinuity == null ? 0 : counterContinuity.resets();
    }

    /** On the pipeline thread: sends the gateway's own health report if one is due. */
    private void reportHealth(final boolean force) {
        if (health == null) {
            return;
        }
        try {
            final List<OutboundMessage> reports = health.poll(System.currentTimeMillis(), forwarder.counters(),
                    opcUaSessions(), force);
            reports.forEach(forwarder::submit);
        } catch (final RuntimeException e) {
            LOG.error("Health report of gateway {} failed", config.gatewayId(), e);
        }
    }

    private void handleCommand(final CommandRequest request) {
        dispatcher.dispatch(request).thenAccept(outcome -> respond(request, outcome));
    }

    private void respond(final CommandRequest request, final CommandOutcome outcome) {
        if (request.oneWay()) {
            LOG.info("One-way command {} for {} done: {} {}", request.command(), request.deviceId(),
                    outcome.status(), outcome.body().encode());
            return;
        }
        final String topic = HonoTopics.commandResponse(request.deviceId(), request.requestId(), outcome.status());
        mqtt.publish(topic, outcome.body().encode().getBytes(StandardCharsets.UTF_8), 1).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("Response {} to command {} for {} could not be sent: {}", outcome.status(),
                        request.command(), request.deviceId(), ar.cause().getMessage());
            }
        });
    }

    private void execute(final Runnable task) {
        try {
            pipelineThread.execute(() -> {
                try {
                    task.run();
                } catch (final RuntimeException e) {
                    LOG.error("Edge processing failed", e);
                }
            });
        } catch (final java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Gateway stopping; samples dropped");
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(final String name) {
        return r -> {
            final Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
