package io.plantmesh.devices.gateway.support;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.core.json.JsonObject;

/**
 * A test stand-in for Hono's MQTT adapter: a Vert.x MQTT server on 127.0.0.1 that checks the gateway's credentials,
 * records every PUBLISH in arrival order, acknowledges QoS 1, records subscriptions, and can send commands. It can be
 * stopped and started again on the same port.
 */
public final class TestHonoBroker implements AutoCloseable {

    /** A message the gateway published. */
    public record Received(String topic, int qos, String payload) {
        public JsonObject json() {
            return new JsonObject(payload);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TestHonoBroker.class);

    private final Vertx vertx;
    private final String username;
    private final String password;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> subscriptions = new CopyOnWriteArrayList<>();
    private final List<MqttEndpoint> endpoints = new CopyOnWriteArrayList<>();
    private MqttServer server;
    private int port;

    public TestHonoBroker(final Vertx vertx, final String username, final String password) {
        this.vertx = vertx;
        this.username = username;
        this.password = password;
    }

    /** Listens on the given port (0 for a free one) and returns the port. */
    public int start(final int requestedPort) throws Exception {
        server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(requestedPort));
        server.endpointHandler(this::accept);
        port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        return port;
    }

    public int port() {
        return port;
    }

    /** Closes every connection and stops listening. */
    public void stop() throws Exception {
        endpoints.forEach(e -> {
            if (e.isConnected()) {
                e.close();
            }
        });
        endpoints.clear();
        subscriptions.clear();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> receivedOn(final String topicPrefix) {
        return received.stream().filter(r -> r.topic().startsWith(topicPrefix)).collect(Collectors.toList());
    }

    public boolean subscribed(final String filter) {
        return subscriptions.contains(filter);
    }

    /** Delivers a command to every connected client (the gateway), QoS 1. */
    public void sendCommand(final String topic, final String payload) {
        endpoints.forEach(e -> vertx.runOnContext(v -> e.publish(topic, Buffer.buffer(payload,
                StandardCharsets.UTF_8.name()), MqttQoS.AT_LEAST_ONCE, false, false)));
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            stop();
        }
    }

    private void accept(final MqttEndpoint endpoint) {
        final boolean authenticated = endpoint.auth() != null && username.equals(endpoint.auth().getUsername())
                && password.equals(endpoint.auth().getPassword());
        if (!authenticated) {
            endpoint.reject(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
            return;
        }
        endpoint.publishAutoAck(false);
        endpoint.subscribeHandler(subscribe -> {
            subscribe.topicSubscriptions().stream().map(MqttTopicSubscription::topicName).forEach(subscriptions::add);
            endpoint.subscribeAcknowledge(subscribe.messageId(), subscribe.topicSubscriptions().stream()
                    .map(MqttTopicSubscription::qualityOfService).collect(Collectors.toList()));
        });
        endpoint.publishHandler(message -> {
            received.add(new Received(message.topicName(), message.qosLevel().value(),
                    message.payload().toString(StandardCharsets.UTF_8)));
            if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                endpoint.publishAcknowledge(message.messageId());
            }
        });
        endpoint.publishAcknowledgeHandler(id -> { });
        endpoint.exceptionHandler(e -> LOG.warn("Test broker: connection {} failed: {}", endpoint.clientIdentifier(),
                e.toString()));
        endpoints.add(endpoint);
        endpoint.closeHandler(v -> {
            LOG.info("Test broker: connection {} closed", endpoint.clientIdentifier());
            endpoints.remove(endpoint);
        });
        endpoint.accept(false);
    }

    public static Set<String> topics(final List<Received> messages) {
        return messages.stream().map(Received::topic).collect(Collectors.toSet());
    }
}
