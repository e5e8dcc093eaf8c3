package io.plantmesh.devices.ingestion.twin;

import org.eclipse.ditto.client.DittoClient;
import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.ingestion.IngestionConfig;
import io.plantmesh.devices.ingestion.IngestionCounters;
import io.plantmesh.devices.ingestion.deadletter.DeadLetterPublisher;
import io.plantmesh.devices.ingestion.mapping.DownstreamMapper;
import io.plantmesh.devices.ingestion.mapping.MappingResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The record handler of the telemetry and event consumers: maps each downstream message, hands twin updates to the
 * device lanes and unmappable records to the dead-letter topic, and returns a future that completes when the record
 * is settled, which is when Hono's consumer may commit past it. The future never fails: a record that is not settled
 * (e.g. on shutdown) simply stays uncommitted and is read again after a restart.
 */
public final class DownstreamIngestor {

    private static final Logger LOG = LoggerFactory.getLogger(DownstreamIngestor.class);

    private final DownstreamMapper mapper = new DownstreamMapper();
    private final DeadLetterPublisher publisher;
    private final IngestionCounters counters;
    private final DeviceLanes lanes;
    private int unsettled;
    private boolean settlingStopped;
    private boolean accepting = true;
    private long leftForNextStart;

    public DownstreamIngestor(Context context, DittoClient ditto, DeadLetterPublisher publisher,
            IngestionCounters counters, IngestionConfig config) {
        this.publisher = publisher;
        this.counters = counters;
        TwinWriter writer = new TwinWriter(ditto, context, config.writeTimeout());
        this.lanes = new DeviceLanes(context, writer, this::deadLetter, counters, config.coalescingWindow(),
                config.maxBatchRecords(), config.maxInFlightWrites(), config.maxAlarms());
    }

    /** Must be called on the ingestion's context (Hono's consumers are started on it, so their handlers are). */
    public Future<Void> ingest(Channel channel, DownstreamMessage<KafkaMessageContext> message) {
        if (!accepting) {
            // shutting down: leave it uncommitted, the next start reads it again
            leftForNextStart++;
            return Promise.<Void>promise().future();
        }
        counters.received();
        Promise<Void> settled = Promise.promise();
        unsettled++;
        settled.future().onComplete(ar -> unsettled--);
        MappingResult result = mapper.map(message);
        if (result instanceof MappingResult.Mapped mapped) {
            lanes.submit(channel, new PendingRecord(message, mapped.thingId(), mapped.update(), settled));
        } else if (result instanceof MappingResult.Unmappable unmappable) {
            deadLetter(new PendingRecord(message, null, null, settled), unmappable.reasonCode(),
                    unmappable.message());
        }
        Promise<Void> committable = Promise.promise();
        settled.future().onComplete(ar -> {
            if (!settlingStopped) {
                committable.complete();
            }
        });
        return committable.future();
    }

    /**
     * From now on no record becomes committable, although writes go on: the state of a process that dies between
     * its twin writes and its offset commits. For crash tests only.
     */
    public void stopSettling() {
        settlingStopped = true;
    }

    /** Records received and not yet settled. */
    public int unsettled() {
        return unsettled;
    }

    /**
     * For shutdown: records arriving from now on are left uncommitted for the next start, and what was received is
     * written at once, without waiting for coalescing windows.
     */
    public void drain() {
        accepting = false;
        lanes.drain();
    }

    /** Records that arrived after {@link #drain()} and were left for the next start. */
    public long leftForNextStart() {
        return leftForNextStart;
    }

    private void deadLetter(PendingRecord record, String reasonCode, String reasonMessage) {
        publisher.publish(record.message.getTenantId(), record.message.getMessageContext().getRecord(), reasonCode,
                        reasonMessage)
                .onSuccess(v -> {
                    counters.deadLettered(reasonCode);
                    long sameReason = counters.snapshot().deadLetteredByReason().getOrDefault(reasonCode, 0L);
                    if (sameReason <= 10 || sameReason % 1000 == 0) {
                        LOG.warn("Dead-lettered {} of device {} to {} ({} so far for this reason): {}: {}",
                                record.describe(), record.message.getDeviceId(),
                                DeadLetterPublisher.topicFor(record.message.getTenantId()), sameReason, reasonCode,
                                reasonMessage);
                    }
                    record.settle();
                })
                .onFailure(e -> LOG.info("{} of device {} stays uncommitted: {}", record.describe(),
                        record.message.getDeviceId(), e.getMessage()));
    }
}
