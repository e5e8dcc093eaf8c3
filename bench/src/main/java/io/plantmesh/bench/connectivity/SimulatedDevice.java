package io.plantmesh.bench.connectivity;

import java.util.Arrays;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.VertxInternal;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

/**
 * One machine speaking Hono's MQTT device API as itself ({@code <auth-id>@plant1}): publishes PlantMesh machine
 * payloads on {@code telemetry} with a per-device sequence number in {@code features/telemetry/properties/seq}, and
 * remembers when each sequence number was published so that a twin event carrying {@code seq >= n} can be matched
 * to message {@code n}. All MQTT work runs on the device's own Vert.x context.
 */
public final class SimulatedDevice {

    static final String TOPIC = "telemetry/?content-type=application%2Fvnd.plantmesh.machine%2Bjson";

    private final String deviceId;
    private final String authId;
    private final Context context;
    private MqttClient client;
    private final java.util.Map<Integer, AwaitingAck> awaitingAck = new java.util.HashMap<>();   // device context only

    // guarded by this: written on the device's context, read by the event watcher
    private long[] sentAt = new long[256];
    private LatencyRecorder[] recorderOf = new LatencyRecorder[256];
    private long lastSeq;
    private long coveredSeq;
    private long lastTs;

    SimulatedDevice(Vertx vertx, String deviceId) {
        this.deviceId = deviceId;
        this.authId = deviceId.replace(':', '_');
        // a context of its own (event loops round-robin): getOrCreateContext() from one thread would give every
        // device the same one
        this.context = ((VertxInternal) vertx).createEventLoopContext();
    }

    public String deviceId() {
        return deviceId;
    }

    public String authId() {
        return authId;
    }

    /** Connects as {@code <auth-id>@<tenant>}; completes with an error that says what the ingress answered. */
    Future<Void> connect(String host, int port, String tenant, String password) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            client = MqttClient.create(context.owner(), new MqttClientOptions()
                    .setClientId(authId)
                    .setUsername(authId + "@" + tenant)
                    .setPassword(password)
                    .setCleanSession(true)
                    .setMaxInflightQueue(20_000)
                    .setKeepAliveInterval(60)
                    .setAutoKeepAlive(true));
            client.publishCompletionHandler(this::pubAck);
            client.connect(port, host).onComplete(ar -> {
                if (ar.failed()) {
                    done.fail(new IllegalStateException("device " + deviceId + " could not connect to mqtt://" + host
                            + ":" + port + ": " + ar.cause().getMessage(), ar.cause()));
                } else {
                    done.complete();
                }
            });
        });
        return done.future();
    }

    /** Publishes {@code count} messages with the given QoS from the device's context. */
    void publish(int count, MqttQoS qos, LatencyRecorder recorder) {
        context.runOnContext(v -> {
            for (int i = 0; i < count; i++) {
                publishOne(qos, recorder);
            }
        });
    }

    private void publishOne(MqttQoS qos, LatencyRecorder recorder) {
        long seq;
        long ts;
        synchronized (this) {
            seq = ++lastSeq;
            // ts is informational (ingestion deduplicates by Kafka position): the ingestion treats a write whose ts is not above the twin's watermark
            // as a duplicate
            ts = Math.max(System.currentTimeMillis(), lastTs + 1);
            lastTs = ts;
            if (seq >= sentAt.length) {
                sentAt = Arrays.copyOf(sentAt, sentAt.length * 2);
                recorderOf = Arrays.copyOf(recorderOf, recorderOf.length * 2);
            }
            recorderOf[(int) seq] = recorder;
            sentAt[(int) seq] = System.nanoTime();
        }
        double temperature = 40.0 + (seq % 200) / 10.0;
        String payload = "{\"ts\":" + ts + ",\"features\":{\"telemetry\":{\"seq\":" + seq + ",\"temperature\":"
                + temperature + "}}}";
        recorder.countPublished();
        long publishedAt = System.nanoTime();
        try {
            client.publish(TOPIC, Buffer.buffer(payload), qos, false, false).onComplete(ar -> {
                if (ar.failed()) {
                    recorder.publishFailed();
                } else if (qos == MqttQoS.AT_LEAST_ONCE) {
                    // the future completes when the PUBLISH is written; the PUBACK (which the ingress sends after
                    // Kafka acknowledged) comes to the publish completion handler with the packet id
                    awaitingAck.put(ar.result(), new AwaitingAck(publishedAt, recorder));
                }
            });
        } catch (RuntimeException e) {
            recorder.publishFailed();
        }
    }

    private void pubAck(int packetId) {
        AwaitingAck waiting = awaitingAck.remove(packetId);
        if (waiting != null) {
            waiting.recorder().acknowledged(System.nanoTime() - waiting.publishedAt());
        }
    }

    private record AwaitingAck(long publishedAt, LatencyRecorder recorder) {
    }

    /** A twin event reached the subscriber with {@code seq}: every message up to it is delivered now. */
    synchronized int cover(long seq, long nowNanos) {
        long upTo = Math.min(seq, lastSeq);
        int newly = 0;
        for (long n = coveredSeq + 1; n <= upTo; n++) {
            recorderOf[(int) n].delivered(nowNanos - sentAt[(int) n]);
            recorderOf[(int) n] = null;
            newly++;
        }
        coveredSeq = Math.max(coveredSeq, upTo);
        return newly;
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    public synchronized long coveredSeq() {
        return coveredSeq;
    }

    Future<Void> disconnect() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            if (client == null || !client.isConnected()) {
                done.complete();
            } else {
                client.disconnect().onComplete(ar -> done.complete());
            }
        });
        return done.future();
    }
}
