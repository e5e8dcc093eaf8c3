package io.plantmesh.bench.connectivity;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;

/**
 * Offers messages at a fixed total rate across the devices, round-robin: a 1 ms timer works out how many messages the
 * schedule says are due and hands each device its share (published on the device's own context), so the rate holds
 * without a busy loop and without one timer per device.
 */
public final class OfferedLoad {

    private final Vertx vertx;
    private final List<SimulatedDevice> devices;
    private long next;

    public OfferedLoad(Vertx vertx, List<SimulatedDevice> devices) {
        this.vertx = vertx;
        this.devices = devices;
    }

    /**
     * Publishes {@code rate × duration} messages; {@code qosOf} chooses the QoS and recorder of the n-th message
     * of this run. Blocks the calling (non-Vert.x) thread until the last one was handed to its device; returns the
     * seconds it took.
     */
    public double run(double ratePerSecond, Duration duration, LongFunction<QosAndRecorder> qosOf) throws Exception {
        long total = Math.max(1, Math.round(ratePerSecond * duration.toMillis() / 1000.0));
        double periodNanos = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        long[] sent = {0};
        CompletableFuture<Void> done = new CompletableFuture<>();
        int n = devices.size();
        long timer = vertx.setPeriodic(1, id -> {
            long due = Math.min(total, (long) ((System.nanoTime() - start) / periodNanos) + 1);
            int[] counts = new int[n];
            QosAndRecorder[] kinds = new QosAndRecorder[n];
            while (sent[0] < due) {
                QosAndRecorder kind = qosOf.apply(sent[0]);
                int device = (int) (next++ % n);
                if (counts[device] > 0 && kinds[device] != kind) {
                    devices.get(device).publish(counts[device], kinds[device].qos(), kinds[device].recorder());
                    counts[device] = 0;
                }
                kinds[device] = kind;
                counts[device]++;
                sent[0]++;
            }
            for (int d = 0; d < n; d++) {
                if (counts[d] > 0) {
                    devices.get(d).publish(counts[d], kinds[d].qos(), kinds[d].recorder());
                }
            }
            if (sent[0] >= total) {
                done.complete(null);
            }
        });
        try {
            done.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        } finally {
            vertx.cancelTimer(timer);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The QoS of a message and where its numbers go. */
    public record QosAndRecorder(MqttQoS qos, LatencyRecorder recorder) {
    }
}
