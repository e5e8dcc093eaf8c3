package io.plantmesh.mes.reconcile;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bridge did since it started, by name: {@code reconciliations}, {@code orders.dispatched},
 * {@code orders.redispatched}, {@code orders.held}, {@code orders.released}, {@code orders.running},
 * {@code orders.completed}, {@code orders.progress}, {@code writes.conflicts} (412: the twin moved on; re-read and
 * decided again), {@code writes.failed}, {@code commands.sent}, {@code commands.failed}, {@code events.raised},
 * {@code oee.writes}. Thread-safe.
 */
public final class MesCounters {

    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    public void increment(final String name) {
        add(name, 1);
    }

    public void add(final String name, final long delta) {
        counters.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(delta);
    }

    public long get(final String name) {
        final AtomicLong c = counters.get(name);
        return c == null ? 0 : c.get();
    }

    /** All counters, sorted by name. */
    public Map<String, Long> snapshot() {
        final Map<String, Long> result = new TreeMap<>();
        counters.forEach((k, v) -> result.put(k, v.get()));
        return result;
    }
}
