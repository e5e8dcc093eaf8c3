package io.plantmesh.devices.ingress.support;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import io.vertx.mqtt.messages.MqttPublishMessage;

/** An MQTT 3.1.1 test device (Vert.x MQTT client) that records PUBACKs, SUBACKs and what it receives. */
public final class TestDevice implements AutoCloseable {

    private final MqttClient client;
    private final Set<Integer> acked = ConcurrentHashMap.newKeySet();
    private final List<MqttPublishMessage> received = new CopyOnWriteArrayList<>();
    private final List<List<Integer>> subAcks = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile Consumer<MqttPublishMessage> onMessage = m -> { };

    private TestDevice(MqttClient client) {
        this.client = client;
        client.publishCompletionHandler(acked::add);
        client.subscribeCompletionHandler(s -> subAcks.add(s.grantedQoSLevels()));
        client.publishHandler(m -> {
            received.add(m);
            onMessage.accept(m);
        });
        client.closeHandler(v -> closed = true);
    }

    /** Connects; throws with the broker's CONNACK refusal as cause if refused. */
    public static TestDevice connect(Vertx vertx, int port, String username, String password) throws Exception {
        return connect(vertx, "127.0.0.1", port, username, password, options -> { });
    }

    /**
     * Connects to {@code host} with the options adjusted by {@code tls} (e.g. TLS and a CA); throws with the
     * broker's CONNACK refusal as cause if refused.
     */
    public static TestDevice connect(Vertx vertx, String host, int port, String username, String password,
            Consumer<MqttClientOptions> tls) throws Exception {
        MqttClientOptions options = new MqttClientOptions().setClientId("test-" + System.nanoTime())
                .setMaxMessageSize(64 * 1024).setAutoKeepAlive(true);
        if (username != null) {
            options.setUsername(username).setPassword(password);
        }
        tls.accept(options);
        MqttClient client = MqttClient.create(vertx, options);
        TestDevice device = new TestDevice(client);
        try {
            client.connect(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof MqttConnectionException refused) {
                throw new Refused(refused.code());
            }
            throw e;
        }
        return device;
    }

    /** The adapter refused the CONNECT with this CONNACK return code. */
    public static final class Refused extends Exception {

        private static final long serialVersionUID = 1L;
        private final transient MqttConnectReturnCode code;

        Refused(MqttConnectReturnCode code) {
            super("CONNACK " + code);
            this.code = code;
        }

        public MqttConnectReturnCode code() {
            return code;
        }
    }

    /** Publishes; returns the packet id (0 for QoS 0). */
    public int publish(String topic, Buffer payload, MqttQoS qos) throws Exception {
        return publish(topic, payload, qos, false);
    }

    public int publish(String topic, Buffer payload, MqttQoS qos, boolean retain) throws Exception {
        return await(client.publish(topic, payload, qos, false, retain));
    }

    /** Subscribes and waits for the SUBACK; returns the granted QoS (128 = failure). */
    public int subscribe(String filter, int qos) throws Exception {
        int before = subAcks.size();
        await(client.subscribe(filter, qos));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (subAcks.size() <= before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return subAcks.get(before).get(0);
    }

    /** Publishes without waiting (for use inside message handlers). */
    public void publish(String topic, Buffer payload, MqttQoS qos, boolean retain,
            io.vertx.core.Handler<io.vertx.core.AsyncResult<Integer>> done) {
        client.publish(topic, payload, qos, false, retain, done);
    }

    public void unsubscribe(String filter) throws Exception {
        await(client.unsubscribe(filter));
    }

    public void onMessage(Consumer<MqttPublishMessage> handler) {
        this.onMessage = handler;
    }

    public boolean isAcked(int packetId) {
        return acked.contains(packetId);
    }

    public List<MqttPublishMessage> received() {
        return received;
    }

    public boolean isClosed() {
        return closed || !client.isConnected();
    }

    @Override
    public void close() {
        if (client.isConnected()) {
            try {
                await(client.disconnect());
            } catch (Exception e) {
                // already gone
            }
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
