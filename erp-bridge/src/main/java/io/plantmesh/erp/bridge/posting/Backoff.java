package io.plantmesh.erp.bridge.posting;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.eclipse.ditto.things.model.ThingId;

/** Exponential backoff per twin while the ERP is unavailable: min, 2 x min, ... up to max; reset on success. */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private final ConcurrentMap<ThingId, Duration> current = new ConcurrentHashMap<>();

    public Backoff(final Duration min, final Duration max) {
        this.min = min;
        this.max = max;
    }

    /** The wait before the next attempt for {@code id}; the one after is twice as long. */
    public Duration next(final ThingId id) {
        final Duration wait = current.getOrDefault(id, min);
        final Duration doubled = wait.multipliedBy(2);
        current.put(id, doubled.compareTo(max) > 0 ? max : doubled);
        return wait;
    }

    public void reset(final ThingId id) {
        current.remove(id);
    }
}
