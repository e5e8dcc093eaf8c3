package io.plantmesh.bench.erp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.ditto.things.model.Thing;

import io.plantmesh.bench.ErpBridgeBenchmark;
import io.plantmesh.bench.MachineDescription;
import io.plantmesh.bench.mes.Latencies;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * The bridge's part of the benchmark, on a running bridge: a burst of orders created RUNNING (postings/s through the
 * bridge), and completions at a fixed rate (latency from the completion written on the twin to its goods receipt
 * posted and recorded on the twin).
 */
final class CompletionRun {

    /** A burst: {@code orders} orders created together, until every one's receipt was recorded. */
    record Burst(int orders, int recorded, double seconds, long postings, double cpuPercent) {

        double postingsPerSecond() {
            return postings / seconds;
        }
    }

    /**
     * One rate: completions sent open-loop at {@code rate} per second.
     *
     * @param latencies completion PATCH sent -> receipt recorded event arrived, ms
     * @param writeLatencies completion PATCH sent -> its response, ms
     * @param missed completions without a recorded receipt within the timeout
     * @param lateStarts completions sent more than 50 ms after their scheduled time (the driver fell behind)
     */
    record RateResult(double rate, int completions, Latencies latencies, Latencies writeLatencies, int missed,
            int lateStarts, double seconds, double cpuPercent, double[] loadBefore, double[] loadAfter) {
    }

    private final ErpBenchPlant plant;
    private final ErpEventWatcher watcher;
    private final int machines;
    private final AtomicLong nextOrder = new AtomicLong(1);

    CompletionRun(ErpBenchPlant plant, ErpEventWatcher watcher, int machines) {
        this.plant = plant;
        this.watcher = watcher;
        this.machines = machines;
    }

    /** Creates {@code count} RUNNING orders (not waiting for the bridge). */
    List<WorkOrderTwin> createRunning(int count) throws Exception {
        Instant now = Instant.now();
        List<WorkOrderTwin> orders = new ArrayList<>();
        List<Thing> things = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WorkOrderTwin order = plant.runningOrder(nextOrder.getAndIncrement(), machines, now);
            orders.add(order);
            things.add(order.toThing());
        }
        plant.put(things);
        return orders;
    }

    /** Waits (bounded) until every order's good pieces so far are recorded as received; returns how many are. */
    int awaitReceivedWhileRunning(List<WorkOrderTwin> orders, long maxMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMs);
        while (true) {
            int done = 0;
            for (WorkOrderTwin order : orders) {
                if (watcher.receivedWhileRunning(order.id().toString()) != null) {
                    done++;
                }
            }
            if (done == orders.size() || System.nanoTime() > deadline) {
                return done;
            }
            Thread.sleep(5);
        }
    }

    /** Creates {@code orders} RUNNING orders at once and measures until every one's postings are recorded. */
    Burst burst(int orders, long maxMs) throws Exception {
        long cpuBefore = ErpBridgeBenchmark.processCpuNanos();
        long start = System.nanoTime();
        List<WorkOrderTwin> created = createRunning(orders);
        int recorded = awaitReceivedWhileRunning(created, maxMs);
        long last = start;
        for (WorkOrderTwin order : created) {
            Long at = watcher.receivedWhileRunning(order.id().toString());
            if (at != null) {
                last = Math.max(last, at);
            }
        }
        double seconds = (last - start) / 1e9;
        double cpu = 100.0 * (ErpBridgeBenchmark.processCpuNanos() - cpuBefore) / Math.max(1, last - start);
        return new Burst(orders, recorded, seconds, (long) recorded * ErpBenchPlant.POSTINGS_PER_STEP, cpu);
    }

    /**
     * Completes {@code orders} (RUNNING, their postings so far recorded) at {@code rate} per second, open loop, and
     * waits (bounded by {@code timeoutMs} after the last completion) for every receipt to be recorded.
     */
    RateResult completeAtRate(List<WorkOrderTwin> orders, double rate, long timeoutMs) throws Exception {
        int n = orders.size();
        double[] loadBefore = MachineDescription.loadAverage();
        long[] sent = new long[n];
        Latencies writes = new Latencies();
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        long intervalNanos = (long) (1e9 / rate);
        long cpuBefore = ErpBridgeBenchmark.processCpuNanos();
        long start = System.nanoTime() + 1_000_000;
        int late = 0;
        for (int i = 0; i < n; i++) {
            long due = start + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 1_000_000));
            }
            long now = System.nanoTime();
            if (now - due > 50_000_000) {
                late++;
            }
            sent[i] = now;
            WorkOrderTwin order = orders.get(i);
            CompletableFuture<Void> answer = new CompletableFuture<>();
            answers.add(answer);
            plant.complete(order, Instant.now()).onComplete(r -> {
                if (r.succeeded()) {
                    synchronized (writes) {
                        writes.add((System.nanoTime() - now) / 1e6);
                    }
                    try {
                        ErpBenchPlant.requireSuccess("completing " + order.id(), r.result());
                        answer.complete(null);
                    } catch (IllegalStateException e) {
                        answer.completeExceptionally(e);
                    }
                } else {
                    answer.completeExceptionally(r.cause());
                }
            });
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long lastSent = System.nanoTime();
        long deadline = lastSent + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            int done = 0;
            for (WorkOrderTwin order : orders) {
                if (watcher.receivedAfterCompletion(order.id().toString()) != null) {
                    done++;
                }
            }
            if (done == n) {
                break;
            }
            Thread.sleep(5);
        }
        long end = System.nanoTime();
        Latencies latencies = new Latencies();
        int missed = 0;
        long last = start;
        for (int i = 0; i < n; i++) {
            Long at = watcher.receivedAfterCompletion(orders.get(i).id().toString());
            if (at == null) {
                missed++;
            } else {
                latencies.add((at - sent[i]) / 1e6);
                last = Math.max(last, at);
            }
        }
        double cpu = 100.0 * (ErpBridgeBenchmark.processCpuNanos() - cpuBefore) / Math.max(1, end - start);
        return new RateResult(rate, n, latencies, writes, missed, late, (last - start) / 1e9, cpu, loadBefore,
                MachineDescription.loadAverage());
    }
}
