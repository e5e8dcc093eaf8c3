package io.plantmesh.devices.gateway;

import java.time.Duration;

/**
 * Exponential reconnect delays: {@code initial}, doubled after every failed attempt, capped at {@code max}; back to
 * {@code initial} after a success. Not thread-safe.
 */
public final class ReconnectBackoff {

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;
    private int attempt;

    public ReconnectBackoff(final Duration initial, final Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt; doubles the one after it. */
    public long nextDelayMillis() {
        final long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        attempt++;
        return delay;
    }

    /** Attempts since the last success. */
    public int attempt() {
        return attempt;
    }

    public void reset() {
        nextMillis = initialMillis;
        attempt = 0;
    }
}
