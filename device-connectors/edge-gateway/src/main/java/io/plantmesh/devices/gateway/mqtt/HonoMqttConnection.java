package io.plantmesh.devices.gateway.mqtt;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.plantmesh.devices.gateway.GatewayConfig;
import io.plantmesh.devices.gateway.ReconnectBackoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;

/**
 * The gateway's MQTT connection to Hono's MQTT adapter: connects as {@code <auth-id>@<tenant>}, reconnects with
 * exponential backoff, subscribes to {@code command//+/req/#} on every connect, and publishes with completion on
 * PUBACK (QoS 1) or on write (QoS 0). Everything runs on one Vert.x event-loop context; nothing here blocks.
 */
public final class HonoMqttConnection {

    /** Connection events and delivered commands; called on the event loop, must not block. */
    public interface Listener {
        void onConnected();

        void onDisconnected();

        void onCommand(CommandRequest request);
    }

    /** A publish failed because there is no connection. */
    public static final class NotConnectedException extends RuntimeException {
        NotConnectedException(final String message) {
            super(message, null, false, false);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(HonoMqttConnection.class);

    private final Vertx vertx;
    private final Context context;
    private final GatewayConfig config;
    private final Listener listener;
    private final ReconnectBackoff backoff;
    private final Map<Integer, Promise<Void>> awaitingAck = new HashMap<>();
    private final Set<Integer> earlyAcks = new HashSet<>();
    private MqttClient client;
    private volatile boolean connected;
    private boolean closed;
    private long reconnectTimer = -1;

    public HonoMqttConnection(final Vertx vertx, final GatewayConfig config, final Listener listener) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.config = config;
        this.listener = listener;
        this.backoff = new ReconnectBackoff(config.reconnectInitial(), config.reconnectMax());
    }

    /** Starts connecting; returns at once, the listener hears when the connection is up. */
    public void start() {
        context.runOnContext(v -> connect());
    }

    public boolean isConnected() {
        return connected;
    }

    /**
     * Publishes; the future completes on PUBACK (QoS 1) or once written (QoS 0) and fails if the connection is
     * down, breaks before the acknowledgement, or the acknowledgement does not come within the ack timeout.
     */
    public Future<Void> publish(final String topic, final byte[] payload, final int qos) {
        final Promise<Void> promise = Promise.promise();
        context.runOnContext(v -> doPublish(topic, payload, qos, promise));
        return promise.future();
    }

    public Future<Void> close() {
        final Promise<Void> promise = Promise.promise();
        context.runOnContext(v -> {
            closed = true;
            if (reconnectTimer >= 0) {
                vertx.cancelTimer(reconnectTimer);
            }
            final MqttClient current = client;
            if (current != null && current.isConnected()) {
                current.disconnect().onComplete(ar -> promise.complete());
            } else {
                promise.complete();
            }
        });
        return promise.future();
    }

    private void doPublish(final String topic, final byte[] payload, final int qos, final Promise<Void> promise) {
        if (!connected) {
            promise.fail(new NotConnectedException("not connected to " + config.mqttUrl()));
            return;
        }
        client.publish(topic, Buffer.buffer(payload), MqttQoS.valueOf(qos), false, false).onComplete(ar -> {
            if (ar.failed()) {
                promise.tryFail(ar.cause());
                return;
            }
            if (qos == 0) {
                promise.tryComplete();
                return;
            }
            final int packetId = ar.result();
            // a PUBACK may overtake the write completion
            if (earlyAcks.remove(packetId)) {
                promise.tryComplete();
            } else {
                awaitingAck.put(packetId, promise);
            }
        });
    }

    private void connect() {
        if (closed) {
            return;
        }
        reconnectTimer = -1;
        final MqttClientOptions options = new MqttClientOptions()
                .setClientId(config.gatewayId())
                .setUsername(config.mqttUsername())
                .setPassword(config.mqttPassword())
                .setCleanSession(true)
                .setAutoKeepAlive(true)
                .setKeepAliveInterval(30)
                .setMaxInflightQueue(Math.max(64, config.publishWindow() * 2))
                .setAckTimeout((int) Math.max(1, config.ackTimeout().toSeconds()));
        options.setConnectTimeout(5000);
        if (config.mqttTrust() != null) {
            options.setSsl(true).setTrustOptions(config.mqttTrust().vertxTrustOptions())
                    .setHostnameVerificationAlgorithm("HTTPS");
        }
        final MqttClient attempt = MqttClient.create(vertx, options);
        attempt.publishCompletionHandler(this::onPubAck);
        attempt.publishCompletionExpirationHandler(packetId -> {
            final Promise<Void> promise = awaitingAck.remove(packetId);
            if (promise != null) {
                promise.tryFail(new IllegalStateException("no PUBACK for packet " + packetId + " within "
                        + config.ackTimeout().toSeconds() + " s"));
            }
        });
        attempt.publishHandler(this::onMessage);
        attempt.closeHandler(v -> onClosed(attempt));
        attempt.exceptionHandler(e -> LOG.debug("MQTT connection {} reported: {}", config.mqttUrl(), e.toString()));
        client = attempt;
        attempt.connect(config.mqttPort(), config.mqttHost()).onComplete(ar -> {
            if (ar.failed() || ar.result().code().byteValue() != 0) {
                final String why = ar.failed() ? ar.cause().toString() : "CONNACK " + ar.result().code();
                scheduleReconnect(why);
                return;
            }
            if (closed) {
                attempt.disconnect();
                return;
            }
            connected = true;
            if (backoff.attempt() > 0) {
                LOG.info("MQTT connection to {} as {} is back after {} attempts", config.mqttUrl(),
                        config.mqttUsername(), backoff.attempt());
            } else {
                LOG.info("MQTT connected to {} as {}", config.mqttUrl(), config.mqttUsername());
            }
            backoff.reset();
            attempt.subscribe(HonoTopics.COMMAND_SUBSCRIPTION, 1).onFailure(e -> LOG.error(
                    "Subscribing to {} on {} failed: {}; commands will not arrive until the next reconnect",
                    HonoTopics.COMMAND_SUBSCRIPTION, config.mqttUrl(), e.toString()));
            listener.onConnected();
        });
    }

    private void onPubAck(final int packetId) {
        final Promise<Void> promise = awaitingAck.remove(packetId);
        if (promise != null) {
            promise.tryComplete();
        } else {
            earlyAcks.add(packetId);
        }
    }

    private void onMessage(final MqttPublishMessage message) {
        final byte[] payload = message.payload().getBytes();
        HonoTopics.parseCommand(message.topicName(), payload).ifPresentOrElse(listener::onCommand,
                () -> LOG.warn("Ignored MQTT message on unexpected topic {}", message.topicName()));
    }

    private void onClosed(final MqttClient which) {
        if (which != client) {
            return;
        }
        final boolean wasConnected = connected;
        connected = false;
        final NotConnectedException lost = new NotConnectedException("MQTT connection to " + config.mqttUrl()
                + " closed before the acknowledgement");
        awaitingAck.values().forEach(p -> p.tryFail(lost));
        awaitingAck.clear();
        earlyAcks.clear();
        if (wasConnected) {
            listener.onDisconnected();
        }
        scheduleReconnect("connection closed");
    }

    private void scheduleReconnect(final String why) {
        if (closed || reconnectTimer >= 0) {
            return;
        }
        final long delay = backoff.nextDelayMillis();
        LOG.warn("MQTT {} unreachable ({}); reconnect attempt {} in {} ms; messages are kept in the "
                + "store-and-forward buffer meanwhile", config.mqttUrl(), why, backoff.attempt(), delay);
        reconnectTimer = vertx.setTimer(delay, id -> connect());
    }
}
