package io.plantmesh.twin.server.ws;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded, non-blocking queue between the threads that publish signals (the store writer, other sessions) and
 * one WebSocket session's event loop. {@link #offer} never blocks; it refuses once {@code capacity} items wait.
 */
final class OutboundQueue<T> {

    private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    OutboundQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds the item; false if the queue is full (the consumer does not keep up). */
    boolean offer(T item) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        items.add(item);
        return true;
    }

    T poll() {
        T item = items.poll();
        if (item != null) {
            size.decrementAndGet();
        }
        return item;
    }

    int size() {
        return size.get();
    }

    int capacity() {
        return capacity;
    }

    void clear() {
        while (poll() != null) {
            // drop
        }
    }
}
