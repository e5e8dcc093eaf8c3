package io.plantmesh.devices.ingestion.twin;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.ingestion.IngestionCounters;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.AlarmUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.ProtocolCommand;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Turns settled-or-not records into twin writes: one lane per (channel, device), at most one write in flight per
 * lane (so a device's updates reach its twin in Kafka order, and a retried write is never overtaken), and at most
 * {@code maxInFlight} writes outstanding overall.
 *
 * <p>Coalescing is adaptive. A record that finds its lane idle (no write in flight) is written as soon as the
 * current event-loop task ends, so records handed over together (one delivery of Kafka records) share that write,
 * but nothing waits for more to come; with a non-zero {@code window} it waits that long for more first. Records
 * that arrive while the lane's write is in flight queue behind it and go out together, in Kafka order and at most
 * {@code maxBatch} per write, as soon as it completes. Lanes that find no free slot wait for one while their records
 * keep coalescing. So a lightly loaded lane writes every record at once, and a busy one batches as much as its
 * write latency lets accumulate, without a fixed delay. Confined to one Vert.x context: every method must be called
 * on it, and every callback comes back to it.
 */
final class DeviceLanes {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceLanes.class);
    private static final long MAX_BACKOFF_MS = 10_000;

    private final Vertx vertx;
    private final Context context;
    private final TwinWrites writer;
    private final DeadLetters deadLetters;
    private final IngestionCounters counters;
    private final long windowMs;
    private final int maxBatch;
    private final int maxInFlight;
    private final int maxAlarms;

    private final Map<String, Lane> lanes = new HashMap<>();
    private final Deque<Lane> waitingForSlot = new ArrayDeque<>();
    private int inFlight;
    private boolean draining;

    DeviceLanes(Context context, TwinWrites writer, DeadLetters deadLetters, IngestionCounters counters,
            Duration window, int maxBatch, int maxInFlight, int maxAlarms) {
        this.vertx = context.owner();
        this.context = context;
        this.writer = writer;
        this.deadLetters = deadLetters;
        this.counters = counters;
        this.windowMs = window.toMillis();
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.maxAlarms = maxAlarms;
    }

    /** Queues a mapped record; its {@code settled} promise completes once it is applied, a duplicate or dead-lettered. */
    void submit(Channel channel, PendingRecord record) {
        Lane lane = lanes.computeIfAbsent(channel + "/" + record.thingId, k -> new Lane(channel, record.thingId));
        lane.queue.add(record);
        schedule(lane);
    }

    /** Writes whatever waits for its write to start now, and from now on without waiting (used on shutdown). */
    void drain() {
        draining = true;
        new ArrayList<>(lanes.values()).forEach(lane -> {
            if (lane.timerId >= 0) {
                vertx.cancelTimer(lane.timerId);
                lane.timerId = -1;
            }
            requestSlot(lane);
        });
    }

    int inFlight() {
        return inFlight;
    }

    private void schedule(Lane lane) {
        if (lane.busy || lane.waiting) {
            return; // it is written when the current write (or the wait for a slot) ends
        }
        boolean full = lane.queue.size() >= maxBatch;
        if (full || draining) {
            if (lane.timerId >= 0) {
                vertx.cancelTimer(lane.timerId);
                lane.timerId = -1;
            }
            requestSlot(lane);
        } else if (lane.startQueued || lane.timerId >= 0) {
            return; // its write starts at the end of this task or of the window; this record goes with it
        } else if (windowMs == 0) {
            // idle lane: write once the records handed over in this task are queued, without waiting for more
            lane.startQueued = true;
            context.runOnContext(v -> {
                lane.startQueued = false;
                if (lane.queue.isEmpty()) {
                    forgetIfIdle(lane); // a full batch was written meanwhile
                } else {
                    requestSlot(lane);
                }
            });
        } else {
            lane.timerId = vertx.setTimer(windowMs, id -> {
                lane.timerId = -1;
                requestSlot(lane);
            });
        }
    }

    private void requestSlot(Lane lane) {
        if (lane.busy || lane.waiting || lane.queue.isEmpty()) {
            return;
        }
        if (inFlight < maxInFlight) {
            inFlight++;
            lane.busy = true;
            write(lane);
        } else {
            lane.waiting = true;
            waitingForSlot.add(lane);
        }
    }

    private void releaseSlot() {
        inFlight--;
        while (inFlight < maxInFlight && !waitingForSlot.isEmpty()) {
            Lane next = waitingForSlot.poll();
            next.waiting = false;
            requestSlot(next);
        }
    }

    private List<PendingRecord> takeBatch(Lane lane) {
        List<PendingRecord> batch = new ArrayList<>();
        PendingRecord first = lane.queue.poll();
        batch.add(first);
        if (first.isProtocolCommand() || first.solo) {
            return batch;
        }
        int partition = first.position().partition();
        while (batch.size() < maxBatch && !lane.queue.isEmpty()) {
            PendingRecord next = lane.queue.peek();
            // one write covers consecutive records of one partition (it changes only if the partition count does)
            if (next.isProtocolCommand() || next.solo || next.position().partition() != partition) {
                break;
            }
            batch.add(lane.queue.poll());
        }
        return batch;
    }

    private void write(Lane lane) {
        List<PendingRecord> batch = takeBatch(lane);
        LOG.trace("{} {}: writing {} record(s), {} queued, {} in flight", lane.channel, lane.thingId, batch.size(),
                lane.queue.size(), inFlight);
        if (batch.get(0).update instanceof ProtocolCommand command) {
            writer.sendProtocolCommand(command.adaptable()).onComplete(ar -> {
                WriteOutcome outcome = ar.succeeded() ? ar.result() : TwinWriter.classify(ar.cause());
                if (outcome instanceof WriteOutcome.ConditionFailed) {
                    // the device's own condition did not hold: its command does not apply
                    outcome = new WriteOutcome.Refused(412, "things:condition.failed",
                            "The condition of the device's command did not hold.");
                }
                onOutcome(lane, batch, outcome);
            });
            return;
        }
        boolean hasAlarms = batch.stream().anyMatch(r -> r.update instanceof AlarmUpdate);
        if (!hasAlarms) {
            merge(lane, batch, null);
            return;
        }
        // the bounded alarm list is appended to, so read it first (only the ingestion writes it; this lane is the
        // only writer of this device's events, so no append is lost among the ingestion's own writes)
        writer.readIngestionFields(lane.thingId).onComplete(ar -> {
            if (ar.failed()) {
                onOutcome(lane, batch, TwinWriter.classify(ar.cause()));
                return;
            }
            JsonObject fields = ar.result();
            List<PendingRecord> fresh = dropDuplicates(lane, batch, watermark(fields, lane.channel));
            if (fresh.isEmpty()) {
                finish(lane);
                return;
            }
            JsonValue alarms = fields.getValue(JsonPointer.of("features/health/properties/alarms")).orElse(null);
            merge(lane, fresh, alarms != null && alarms.isArray() ? alarms.asArray() : null);
        });
    }

    private void merge(Lane lane, List<PendingRecord> batch, JsonArray existingAlarms) {
        List<TwinUpdate> updates = batch.stream().map(r -> r.update).toList();
        CoalescedPatch patch = CoalescedPatch.of(lane.channel, batch.get(0).position(),
                batch.get(batch.size() - 1).position(), updates, existingAlarms, maxAlarms);
        writer.mergeFeatures(lane.thingId, patch.features(), patch.condition())
                .onComplete(ar -> onOutcome(lane, batch,
                        ar.succeeded() ? ar.result() : TwinWriter.classify(ar.cause())));
    }

    private void onOutcome(Lane lane, List<PendingRecord> batch, WriteOutcome outcome) {
        LOG.trace("{} {}: {} record(s) -> {}", lane.channel, lane.thingId, batch.size(), outcome);
        if (outcome instanceof WriteOutcome.Applied) {
            lane.failures = 0;
            counters.applied(batch.size());
            finish(lane);
            batch.forEach(PendingRecord::settle);
        } else if (outcome instanceof WriteOutcome.ConditionFailed) {
            resolveStale(lane, batch);
        } else if (outcome instanceof WriteOutcome.Refused refused) {
            lane.failures = 0;
            if (refused.concernsWholeThing() || batch.size() == 1) {
                batch.forEach(r -> deadLetters.deadLetter(r, refused.errorCode(), refused.message()));
            } else {
                // one record of the batch breaks it (e.g. a model violation): write them one by one
                LOG.debug("coalesced write of {} records to {} refused ({}); writing them one by one",
                        batch.size(), lane.thingId, refused.errorCode());
                batch.forEach(r -> r.solo = true);
                requeueFront(lane, batch);
            }
            finish(lane);
        } else if (outcome instanceof WriteOutcome.Transient failure) {
            retryLater(lane, batch, failure.description());
        }
    }

    /** The condition failed: find out which records the twin already has, settle them, write the rest. */
    private void resolveStale(Lane lane, List<PendingRecord> batch) {
        writer.readIngestionFields(lane.thingId).onComplete(ar -> {
            if (ar.failed()) {
                onOutcome(lane, batch, TwinWriter.classify(ar.cause()));
                return;
            }
            Optional<KafkaPosition> watermark = watermark(ar.result(), lane.channel);
            List<PendingRecord> fresh = dropDuplicates(lane, batch, watermark);
            if (fresh.size() == batch.size()) {
                // nothing was older than the twin, yet the condition failed: the watermark is not readable
                batch.forEach(r -> deadLetters.deadLetter(r, "things:condition.failed", "The twin's "
                        + lane.channel.watermarkPath() + " (" + watermark.map(KafkaPosition::toString)
                        .orElse("not readable") + ") does not explain the failed condition for records from "
                        + batch.get(0).position() + "; grant the ingestion's subject READ on it."));
            } else {
                requeueFront(lane, fresh);
            }
            finish(lane);
        });
    }

    private List<PendingRecord> dropDuplicates(Lane lane, List<PendingRecord> batch,
            Optional<KafkaPosition> watermark) {
        if (watermark.isEmpty()) {
            return batch;
        }
        List<PendingRecord> fresh = new ArrayList<>();
        int duplicates = 0;
        for (PendingRecord r : batch) {
            if (r.position().isCoveredBy(watermark.get())) {
                duplicates++;
                r.settle();
            } else {
                fresh.add(r);
            }
        }
        if (duplicates > 0) {
            counters.duplicates(duplicates);
            LOG.debug("{} record(s) for {} on {} already in the twin (position <= {}); not written again", duplicates,
                    lane.thingId, lane.channel, watermark.get());
        }
        return fresh;
    }

    private static Optional<KafkaPosition> watermark(JsonObject fields, Channel channel) {
        return KafkaPosition.fromJson(fields.getValue(JsonPointer.of(channel.watermarkPath())).orElse(null));
    }

    private void retryLater(Lane lane, List<PendingRecord> batch, String why) {
        counters.retried();
        lane.failures++;
        long delay = Math.min(MAX_BACKOFF_MS, 100L << Math.min(lane.failures, 7));
        if (lane.failures == 1 || lane.failures % 10 == 0) {
            LOG.warn("Twin write for {} failed ({}), attempt {}; retrying in {} ms. Later records of this device wait; "
                    + "check that Ditto is reachable.", lane.thingId, why, lane.failures, delay);
        }
        requeueFront(lane, batch);
        // the lane stays busy so that nothing overtakes the batch; the slot is free for other devices meanwhile
        releaseSlot();
        vertx.setTimer(delay, id -> {
            lane.busy = false;
            requestSlot(lane);
        });
    }

    private static void requeueFront(Lane lane, List<PendingRecord> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            lane.queue.addFirst(batch.get(i));
        }
    }

    private void finish(Lane lane) {
        lane.busy = false;
        releaseSlot();
        if (!lane.queue.isEmpty()) {
            // these records already waited while the write was in flight: write them now
            requestSlot(lane);
        } else {
            forgetIfIdle(lane);
        }
    }

    private void forgetIfIdle(Lane lane) {
        boolean idle = lane.queue.isEmpty() && !lane.busy && !lane.waiting && !lane.startQueued && lane.timerId < 0;
        if (idle) {
            lanes.remove(lane.channel + "/" + lane.thingId, lane);
        }
    }

    /** Where records that cannot be applied go. */
    interface DeadLetters {
        void deadLetter(PendingRecord record, String reasonCode, String reasonMessage);
    }

    private static final class Lane {
        final Channel channel;
        final ThingId thingId;
        final Deque<PendingRecord> queue = new ArrayDeque<>();
        boolean busy;
        boolean waiting;
        /** A task that starts the lane's write is queued on the context (zero window). */
        boolean startQueued;
        long timerId = -1;
        int failures;

        Lane(Channel channel, ThingId thingId) {
            this.channel = channel;
            this.thingId = thingId;
        }
    }
}
