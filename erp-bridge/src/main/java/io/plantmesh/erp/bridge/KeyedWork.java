package io.plantmesh.erp.bridge;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * Runs a reconciliation per twin on one Vert.x context, one at a time per twin and at most {@code parallel} twins at
 * a time: a submission while the twin's reconciliation runs makes it run once more afterwards (however many
 * submissions came); a submission beyond the limit waits in line (once per twin). The work answers with how long to
 * wait before trying again (null: nothing left to do); one retry timer per twin is pending at a time. Confined to the
 * context: every method must be called on it.
 */
final class KeyedWork {

    private static final Logger LOG = LoggerFactory.getLogger(KeyedWork.class);

    private final String name;
    private final Function<ThingId, Future<Duration>> work;
    private final Context context;
    private final int parallel;
    private final Duration errorBackoff;
    private final Map<ThingId, State> states = new HashMap<>();
    private final ArrayDeque<ThingId> waiting = new ArrayDeque<>();
    private int running;
    private boolean closed;

    KeyedWork(final String name, final Function<ThingId, Future<Duration>> work, final Context context,
            final int parallel, final Duration errorBackoff) {
        this.name = name;
        this.work = work;
        this.context = context;
        this.parallel = parallel;
        this.errorBackoff = errorBackoff;
    }

    /** Reconciles {@code id} now, as soon as a slot is free, or once more after the one that runs. */
    void submit(final ThingId id) {
        if (closed) {
            return;
        }
        final State state = states.computeIfAbsent(id, k -> new State());
        if (state.running) {
            state.again = true;
            return;
        }
        if (state.waiting) {
            return;
        }
        if (running >= parallel) {
            state.waiting = true;
            waiting.add(id);
            return;
        }
        start(id, state);
    }

    /** Twins being reconciled or waiting for a slot. */
    int busy() {
        return running + waiting.size();
    }

    private void start(final ThingId id, final State state) {
        state.running = true;
        state.again = false;
        running++;
        Future<Duration> result;
        try {
            result = work.apply(id);
        } catch (final RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(done -> {
            Duration retry;
            if (done.succeeded()) {
                retry = done.result();
            } else {
                LOG.warn("{} of {} failed, trying again in {} ms: {}", name, id, errorBackoff.toMillis(),
                        done.cause().getMessage());
                retry = errorBackoff;
            }
            running--;
            state.running = false;
            if (retry != null) {
                retryAfter(id, state, retry);
            }
            if (state.again) {
                submit(id);
            } else if (state.timer < 0) {
                states.remove(id);
            }
            next();
        });
    }

    private void next() {
        while (running < parallel && !waiting.isEmpty() && !closed) {
            final ThingId id = waiting.poll();
            final State state = states.get(id);
            if (state == null || !state.waiting) {
                continue;
            }
            state.waiting = false;
            start(id, state);
        }
    }

    private void retryAfter(final ThingId id, final State state, final Duration delay) {
        if (state.timer >= 0 || closed) {
            return;
        }
        state.timer = context.owner().setTimer(Math.max(1, delay.toMillis()), t -> {
            state.timer = -1;
            states.putIfAbsent(id, state);
            submit(id);
        });
    }

    /** Stops taking work and cancels pending retries; reconciliations under way finish on their own. */
    void close() {
        closed = true;
        for (final State state : states.values()) {
            if (state.timer >= 0) {
                context.owner().cancelTimer(state.timer);
            }
        }
        waiting.clear();
    }

    private static final class State {
        boolean running;
        boolean again;
        boolean waiting;
        long timer = -1;
    }
}
