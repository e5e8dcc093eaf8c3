package io.plantmesh.devices.ingestion.twin;

import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.LoggerFactory;
import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;

import io.plantmesh.devices.ingestion.mapping.TwinUpdate;
import io.vertx.core.Promise;

/**
 * A received record waiting to be settled. Its {@code settled} promise completes once its update is in the twin, was
 * found to be a duplicate, or its dead letter is stored; only then may Hono's consumer commit past its offset.
 */
final class PendingRecord {

    final DownstreamMessage<KafkaMessageContext> message;
    final ThingId thingId;
    final TwinUpdate update;
    final Promise<Void> settled;
    /** Write this record alone: set after a coalesced write was refused, to find the record that breaks it. */
    boolean solo;

    PendingRecord(DownstreamMessage<KafkaMessageContext> message, ThingId thingId, TwinUpdate update,
            Promise<Void> settled) {
        this.message = message;
        this.thingId = thingId;
        this.update = update;
        this.settled = settled;
    }

    /**
     * Marks the record settled. Listeners (Hono's offset bookkeeping) run synchronously; an exception in one of them
     * must not break the caller's state, so it is logged here instead.
     */
    void settle() {
        try {
            settled.tryComplete();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(PendingRecord.class).warn("settling {} failed in a listener: {}", describe(),
                    e.toString());
        }
    }

    /** Where the record sits in its topic: the key of deduplication. */
    KafkaPosition position() {
        var record = message.getMessageContext().getRecord();
        return new KafkaPosition(record.partition(), record.offset());
    }

    boolean isProtocolCommand() {
        return update instanceof TwinUpdate.ProtocolCommand;
    }

    String describe() {
        var record = message.getMessageContext().getRecord();
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
