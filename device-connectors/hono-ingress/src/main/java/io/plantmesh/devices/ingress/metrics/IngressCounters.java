package io.plantmesh.devices.ingress.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of the ingress; {@link #snapshot()} gives an immutable {@link IngressMetrics}. */
public final class IngressCounters {

    private final LongAdder connectionsAccepted = new LongAdder();
    private final Map<String, LongAdder> connectionsRefused = new ConcurrentHashMap<>();
    private final LongAdder connectionsThrottled = new LongAdder();
    private final LongAdder telemetryAccepted = new LongAdder();
    private final LongAdder eventsAccepted = new LongAdder();
    private final LongAdder commandResponsesAccepted = new LongAdder();
    private final Map<RejectReason, LongAdder> rejected = new ConcurrentHashMap<>();
    private final LongAdder commandsReceived = new LongAdder();
    private final LongAdder commandsDelivered = new LongAdder();
    private final LongAdder commandsUndeliverable = new LongAdder();

    public void connectionAccepted() {
        connectionsAccepted.increment();
    }

    public void connectionRefused(String returnCode) {
        connectionsRefused.computeIfAbsent(returnCode, k -> new LongAdder()).increment();
    }

    /** A CONNECT refused without a password check because its auth-id is locked out after failures. */
    public void connectionThrottled() {
        connectionsThrottled.increment();
    }

    public void telemetryAccepted() {
        telemetryAccepted.increment();
    }

    public void eventAccepted() {
        eventsAccepted.increment();
    }

    public void commandResponseAccepted() {
        commandResponsesAccepted.increment();
    }

    public void rejected(RejectReason reason) {
        rejected.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    public void commandReceived() {
        commandsReceived.increment();
    }

    public void commandDelivered() {
        commandsDelivered.increment();
    }

    public void commandUndeliverable() {
        commandsUndeliverable.increment();
    }

    public IngressMetrics snapshot() {
        Map<String, Long> refused = new TreeMap<>();
        connectionsRefused.forEach((k, v) -> refused.put(k, v.sum()));
        Map<RejectReason, Long> rejectedNow = new EnumMap<>(RejectReason.class);
        rejected.forEach((k, v) -> rejectedNow.put(k, v.sum()));
        return new IngressMetrics(connectionsAccepted.sum(), refused, connectionsThrottled.sum(),
                telemetryAccepted.sum(), eventsAccepted.sum(), commandResponsesAccepted.sum(), rejectedNow,
                commandsReceived.sum(), commandsDelivered.sum(), commandsUndeliverable.sum());
    }
}
