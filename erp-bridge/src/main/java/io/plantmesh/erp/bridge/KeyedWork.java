package io.plantmesh.erp.bridge;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a reconciliation per twin, one at a time per twin and twins in parallel: a submission while the twin's
 * reconciliation runs makes it run once more afterwards (however many submissions came). The work answers with how
 * long to wait before trying again (null: nothing left to do); one retry per twin is pending at a time.
 */
final class KeyedWork {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedWork.class);

    private final String name;
    private final Function<ThingId, Duration> work;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final Duration errorBackoff;
    private final ConcurrentMap<ThingId, State> states = new ConcurrentHashMap<>();
    private volatile boolean closed;

    KeyedWork(final String name, final Function<ThingId, Duration> work, final ExecutorService workers,
            final ScheduledExecutorService timer, final Duration errorBackoff) {
        this.name = name;
        this.work = work;
        this.workers = workers;
        this.timer = timer;
        this.errorBackoff = errorBackoff;
    }

    void submit(final ThingId id) {
        if (closed) {
            return;
        }
        final State state = states.computeIfAbsent(id, k -> new State());
        synchronized (state) {
            if (state.running) {
                state.again = true;
                return;
            }
            state.running = true;
            state.again = false;
        }
        try {
            workers.execute(() -> run(id, state));
        } catch (final RejectedExecutionException e) {
            synchronized (state) {
                state.running = false;
            }
        }
    }

    private void run(final ThingId id, final State state) {
        while (!closed) {
            Duration retry;
            try {
                retry = work.apply(id);
            } catch (final RuntimeException e) {
                LOG.warn("{} of {} failed, trying again in {} ms: {}", name, id, errorBackoff.toMillis(),
                        e.getMessage());
                retry = errorBackoff;
            }
            if (retry != null) {
                retryAfter(id, state, retry);
            }
            synchronized (state) {
                if (!state.again) {
                    state.running = false;
                    return;
                }
                state.again = false;
            }
        }
        synchronized (state) {
            state.running = false;
        }
    }

    private void retryAfter(final ThingId id, final State state, final Duration delay) {
        synchronized (state) {
            final boolean pending = state.retry != null && !state.retry.isDone();
            if (pending || closed) {
                return;
            }
            try {
                state.retry = timer.schedule(() -> submit(id), Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
            } catch (final RejectedExecutionException e) {
                // closing
            }
        }
    }

    void close() {
        closed = true;
    }

    private static final class State {
        boolean running;
        boolean again;
        ScheduledFuture<?> retry;
    }
}
