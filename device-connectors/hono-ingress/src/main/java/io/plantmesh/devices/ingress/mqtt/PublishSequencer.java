package io.plantmesh.devices.ingress.mqtt;

import java.util.ArrayDeque;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Keeps one connection's telemetry and events in the order they arrived on their way to Kafka. Each message takes a
 * slot when it arrives; its checks (authorization lookups in the registry) run concurrently with the other messages',
 * but its send to Kafka starts only after every earlier message of the connection has started its own send or has
 * been refused. Kafka keeps the order of the sends per partition (the device id is the key), so what a device, or a
 * gateway on behalf of its devices, published in order reaches consumers in that order — also when the registry
 * answers the first lookups of a cold cache out of order. Sends do not wait for each other's Kafka acknowledgement.
 */
final class PublishSequencer {

    private final ArrayDeque<Slot> slots = new ArrayDeque<>();

    /** Takes the next slot; the message must end it with {@link Slot#send} or {@link Slot#skip}. */
    synchronized Slot reserve() {
        Slot slot = new Slot();
        slots.add(slot);
        return slot;
    }

    /** Messages that arrived and have not yet started their send or been refused. */
    synchronized int waiting() {
        return slots.size();
    }

    private void drain() {
        while (true) {
            Slot ready;
            synchronized (this) {
                Slot head = slots.peek();
                if (head == null || (!head.skipped && head.send == null)) {
                    return;
                }
                slots.poll();
                if (head.skipped) {
                    continue;
                }
                ready = head;
            }
            // outside the lock: a send may complete synchronously and run callbacks that reserve or end slots
            Future<Void> sent;
            try {
                sent = ready.send.get();
            } catch (RuntimeException e) {
                sent = Future.failedFuture(e);
            }
            sent.onComplete(ready.result);
        }
    }

    /** One message's place in the connection's order. */
    final class Slot {
        private final Promise<Void> result = Promise.promise();
        private Supplier<Future<Void>> send;
        private boolean skipped;

        /** Runs {@code action} (the send to Kafka) once every earlier slot is sent or skipped; its outcome. */
        Future<Void> send(Supplier<Future<Void>> action) {
            synchronized (PublishSequencer.this) {
                if (send != null || skipped) {
                    throw new IllegalStateException("a slot is sent or skipped once");
                }
                send = action;
            }
            drain();
            return result.future();
        }

        /** The message was refused before its send: later messages need not wait for it. No-op once sent. */
        void skip() {
            synchronized (PublishSequencer.this) {
                if (send != null || skipped) {
                    return;
                }
                skipped = true;
            }
            drain();
        }
    }
}
