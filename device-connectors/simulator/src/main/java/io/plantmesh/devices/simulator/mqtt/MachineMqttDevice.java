package io.plantmesh.devices.simulator.mqtt;

import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;

import io.plantmesh.devices.simulator.machine.MachineListener;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.devices.simulator.machine.StateChange;

/**
 * A machine reached over MQTT only (a retrofitted sensor kit), speaking Hono's MQTT device API directly: it logs in as
 * {@code <device id with ':' -> '_'>@<tenant>}, publishes telemetry with QoS 0 every telemetry interval and every state
 * change as an event with QoS 1, subscribes to {@value HonoTopics#COMMAND_SUBSCRIPTION} and answers job commands on
 * {@code command///res/<req-id>/<status>}. It reconnects with exponential backoff and never blocks its event loop
 * (the machine's methods only take a short lock).
 */
public final class MachineMqttDevice extends AbstractVerticle {

    private static final Logger LOG = LoggerFactory.getLogger(MachineMqttDevice.class);

    private final SimulatedMachine machine;
    private final MqttDeviceSettings settings;
    private final MachineListener stateListener = new MachineListener() {
        @Override
        public void stateChanged(final StateChange change) {
            // called on the simulation thread: hand over to this device's event loop
            final Context ctx = context;
            if (ctx != null) {
                ctx.runOnContext(v -> publishStateChange(change));
            }
        }
    };

    private MqttClient client;
    private long telemetryTimer = -1;
    private long reconnectTimer = -1;
    private int failedAttempts;
    private boolean everConnected;
    private boolean stopping;

    public MachineMqttDevice(final SimulatedMachine machine, final MqttDeviceSettings settings) {
        this.machine = machine;
        this.settings = settings;
    }

    public String deviceId() {
        return machine.machineId();
    }

    public String username() {
        return HonoTopics.username(machine.machineId(), settings.tenant());
    }

    @Override
    public void start(final Promise<Void> startPromise) {
        machine.addListener(stateListener);
        telemetryTimer = vertx.setPeriodic(settings.telemetryInterval().toMillis(), id -> publishTelemetry());
        connect();
        // a device is up even while the broker is not: it keeps trying in the background
        startPromise.complete();
    }

    @Override
    public void stop(final Promise<Void> stopPromise) {
        stopping = true;
        machine.removeListener(stateListener);
        vertx.cancelTimer(telemetryTimer);
        vertx.cancelTimer(reconnectTimer);
        final MqttClient current = client;
        if (current != null && current.isConnected()) {
            current.disconnect().onComplete(ar -> stopPromise.complete());
        } else {
            stopPromise.complete();
        }
    }

    private void connect() {
        final MqttClientOptions options = new MqttClientOptions()
                .setClientId(HonoTopics.authId(machine.machineId()))
                .setUsername(username())
                .setPassword(settings.passwordFor(machine.machineId()))
                .setCleanSession(true)
                .setAutoKeepAlive(true)
                .setKeepAliveInterval(30);
        options.setConnectTimeout(5_000);
        if (settings.trust() != null) {
            options.setSsl(true).setTrustOptions(settings.trust().vertxTrustOptions())
                    .setHostnameVerificationAlgorithm("HTTPS");
        }
        final MqttClient attempt = MqttClient.create(vertx, options);
        client = attempt;
        attempt.publishHandler(this::onCommand);
        attempt.closeHandler(v -> {
            if (!stopping && client == attempt) {
                LOG.warn("MQTT device {} lost its connection to {}:{}; reconnecting", deviceId(), settings.host(),
                        settings.port());
                scheduleReconnect(null);
            }
        });
        attempt.connect(settings.port(), settings.host())
                .onSuccess(ack -> {
                    failedAttempts = 0;
                    if (!everConnected) {
                        LOG.info("MQTT device {} connected to {}://{}:{} as {}", deviceId(), settings.scheme(),
                                settings.host(), settings.port(), username());
                    } else {
                        LOG.info("MQTT device {} reconnected", deviceId());
                    }
                    everConnected = true;
                    attempt.subscribe(HonoTopics.COMMAND_SUBSCRIPTION, MqttQoS.AT_LEAST_ONCE.value())
                            .onFailure(e -> LOG.warn("MQTT device {} could not subscribe to commands: {}",
                                    deviceId(), e.getMessage()));
                    // the adapter may have missed changes while we were away: report the current state
                    publishCurrentState();
                    publishTelemetry();
                })
                .onFailure(this::scheduleReconnect);
    }

    private void scheduleReconnect(final Throwable cause) {
        if (stopping) {
            return;
        }
        failedAttempts++;
        final long base = settings.reconnectMin().toMillis();
        final long max = settings.reconnectMax().toMillis();
        final long exponential = base << Math.min(failedAttempts - 1, 20);
        final long capped = Math.min(max, exponential);
        // +-20 % jitter so 15 devices do not hammer a restarting adapter in lockstep
        final long delay = Math.max(1, Math.round(capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
        if (cause != null) {
            final String message = "MQTT device " + deviceId() + " could not connect to mqtt://" + settings.host()
                    + ":" + settings.port() + " as " + username() + ": " + cause.getMessage()
                    + "; retrying in " + delay + " ms (is the MQTT adapter up, and is the device registered with "
                    + "this password?)";
            if (failedAttempts == 1) {
                LOG.warn(message);
            } else {
                LOG.debug(message);
            }
        }
        reconnectTimer = vertx.setTimer(delay, id -> connect());
    }

    private void publishTelemetry() {
        final MqttClient current = client;
        if (current == null || !current.isConnected()) {
            return;
        }
        final Buffer payload = MachinePayloads.telemetry(machine.snapshot());
        if (fits(payload, "telemetry")) {
            current.publish(HonoTopics.telemetry(HonoTopics.MACHINE_CONTENT_TYPE), payload, MqttQoS.AT_MOST_ONCE,
                    false, false);
        }
    }

    private void publishStateChange(final StateChange change) {
        final MqttClient current = client;
        if (current == null || !current.isConnected()) {
            return;
        }
        publishEvent(current, MachinePayloads.stateChanged(change, machine.snapshot()));
    }

    private void publishCurrentState() {
        final var snapshot = machine.snapshot();
        final StateChange current = new StateChange(machine.machineId(), snapshot.state(), snapshot.state(),
                snapshot.stateSince(), snapshot.stateReason());
        publishEvent(client, MachinePayloads.stateChanged(current, snapshot));
    }

    private void publishEvent(final MqttClient current, final Buffer payload) {
        if (fits(payload, "event")) {
            current.publish(HonoTopics.event(HonoTopics.MACHINE_CONTENT_TYPE), payload, MqttQoS.AT_LEAST_ONCE,
                    false, false)
                    .onFailure(e -> LOG.debug("MQTT device {} could not publish an event: {}", deviceId(),
                            e.getMessage()));
        }
    }

    private void onCommand(final MqttPublishMessage message) {
        final var request = HonoTopics.parseCommand(message.topicName());
        if (request.isEmpty()) {
            LOG.debug("MQTT device {} ignores a message on {}", deviceId(), message.topicName());
            return;
        }
        final JobCommands.Answer answer = JobCommands.run(machine, request.get().command(), message.payload());
        LOG.info("MQTT command {} on {}: {} ({})", request.get().command(), deviceId(),
                answer.outcome().accepted() ? "accepted" : "rejected", answer.outcome().message());
        if (!request.get().oneWay()) {
            client.publish(HonoTopics.response(request.get().requestId(), answer.status()), answer.payload(),
                    MqttQoS.AT_LEAST_ONCE, false, false)
                    .onFailure(e -> LOG.warn("MQTT device {} could not answer command {}: {}", deviceId(),
                            request.get().requestId(), e.getMessage()));
        }
    }

    private boolean fits(final Buffer payload, final String what) {
        final boolean small = payload.length() < HonoTopics.MAX_PAYLOAD_BYTES;
        if (!small) {
            LOG.warn("MQTT device {} drops a {} of {} bytes: Hono's limit is {} bytes", deviceId(), what,
                    payload.length(), HonoTopics.MAX_PAYLOAD_BYTES);
        }
        return small;
    }
}
