package io.plantmesh.devices.ingestion;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the ingestion did since it started: thread-safe counters, read with {@link #snapshot()}.
 * A record is counted exactly once as applied, duplicate or dead-lettered; {@code coalesced} counts the applied
 * records that rode along in another record's write ({@code applied - coalesced} = records that caused a write).
 */
public final class IngestionCounters {

    private final LongAdder received = new LongAdder();
    private final LongAdder applied = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder expired = new LongAdder();
    private final LongAdder commands = new LongAdder();
    private final Map<String, AtomicLong> deadLettered = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> commandOutcomes = new ConcurrentHashMap<>();

    public void received() {
        received.increment();
    }

    /** One twin write that settled {@code records} records. */
    public void applied(int records) {
        applied.add(records);
        writes.increment();
        coalesced.add(records - 1L);
    }

    public void duplicates(int records) {
        duplicates.add(records);
    }

    public void retried() {
        retried.increment();
    }

    public void expired() {
        expired.increment();
    }

    public void deadLettered(String reasonCode) {
        deadLettered.computeIfAbsent(reasonCode, k -> new AtomicLong()).incrementAndGet();
    }

    public void command(int status) {
        commands.increment();
        commandOutcomes.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
    }

    public Snapshot snapshot() {
        Map<String, Long> dl = new TreeMap<>();
        deadLettered.forEach((k, v) -> dl.put(k, v.get()));
        Map<Integer, Long> cmd = new TreeMap<>();
        commandOutcomes.forEach((k, v) -> cmd.put(k, v.get()));
        return new Snapshot(received.sum(), applied.sum(), writes.sum(), coalesced.sum(), duplicates.sum(),
                retried.sum(), expired.sum(), Map.copyOf(dl), commands.sum(), Map.copyOf(cmd));
    }

    /** Counter values at one moment. */
    public record Snapshot(long received, long applied, long writes, long coalesced, long duplicates, long retried,
                           long expired, Map<String, Long> deadLetteredByReason, long commands,
                           Map<Integer, Long> commandsByStatus) {

        public long deadLettered() {
            return deadLetteredByReason.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public String toString() {
            return "received=" + received + " applied=" + applied + " writes=" + writes + " coalesced=" + coalesced
                    + " duplicates=" + duplicates + " retried=" + retried + " expired=" + expired
                    + " deadLettered=" + new TreeMap<>(deadLetteredByReason) + " commands=" + commands
                    + " commandsByStatus=" + new TreeMap<>(commandsByStatus);
        }
    }
}
