package io.plantmesh.mes.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.mes.plan.Action;
import io.plantmesh.mes.plan.LinePlanner;
import io.plantmesh.mes.plan.LineView;
import io.plantmesh.mes.plan.PlannerMemory;
import io.plantmesh.mes.plan.Versioned;
import io.plantmesh.twin.client.TwinAccess;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Runs the planner for each owned line whenever something of the line changed, and carries the plan out: order
 * decisions as merges conditional on the revision they were computed from (a 412 means the twin moved on: it is
 * re-read and the line decided again), then the projections (machine jobs, line schedule), commands and events.
 * One reconciliation per line at a time; changes that arrive meanwhile are folded into one more. Confined to one
 * Vert.x context: every method is called on it.
 */
public final class ReconcileEngine {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileEngine.class);
    /** After a failed write the line is decided again after this pause (doubling up to the maximum). */
    private static final long RETRY_MIN_MS = 200;
    private static final long RETRY_MAX_MS = 10_000;
    /**
     * A line with a maintenance window ahead is decided again at the window's start and end, at most this long
     * (real time) apart: the plant clock may run faster than the timers.
     */
    private static final long WINDOW_CHECK_MAX_MS = 5_000;

    private final Context context;
    private final TwinAccess twins;
    private final LinePlanner planner;
    private final Clock clock;
    private final Predicate<ThingId> owns;
    private final MesCounters counters;
    private final Duration commandTimeout;
    private final TwinCache cache = new TwinCache();
    private final Map<ThingId, LineState> lines = new HashMap<>();
    private Consumer<ThingId> onMachineChange = id -> { };

    /** Per line: whether a reconciliation runs or is due, the planner's memory. */
    private static final class LineState {
        final PlannerMemory memory = new PlannerMemory();
        boolean running;
        boolean again;
        long retryMs;
        long timer = -1;
        long windowTimer = -1;
    }

    /**
     * @param owns whether this instance currently holds the line (asked before every reconciliation)
     */
    public ReconcileEngine(final Context context, final TwinAccess twins, final LinePlanner planner,
            final Clock clock, final Predicate<ThingId> owns, final MesCounters counters,
            final Duration commandTimeout, final List<ThingId> lineIds) {
        this.context = context;
        this.twins = twins;
        this.planner = planner;
        this.clock = clock;
        this.owns = owns;
        this.counters = counters;
        this.commandTimeout = commandTimeout;
        lineIds.forEach(id -> lines.put(id, new LineState()));
    }

    /** Called with a machine's id whenever its cached copy changed (the OEE tracker listens). */
    public void onMachineChange(final Consumer<ThingId> listener) {
        this.onMachineChange = Objects.requireNonNull(listener);
    }

    /** Takes a change from the twin server's change stream and reconciles the line it concerns. */
    public void changed(final TwinAccess.TwinChange change) {
        if (change.deleted()) {
            final ThingId line = cache.lineOf(change.thingId());
            cache.remove(change.thingId());
            if (line != null) {
                trigger(line);
            }
            return;
        }
        if (change.after() == null) {
            return;
        }
        final TwinCache.Kind kind = cache.offer(change.after(), change.revision());
        after(kind, change.thingId());
    }

    /** Takes things read by search or retrieve (with their {@code _revision}) and reconciles what they concern. */
    public void loaded(final List<Thing> things) {
        final Set<ThingId> touched = new LinkedHashSet<>();
        boolean materials = false;
        for (final Thing thing : things) {
            final long revision = thing.getRevision().map(r -> r.toLong()).orElse(0L);
            final ThingId id = thing.getEntityId().orElse(null);
            final TwinCache.Kind kind = cache.offer(thing, revision);
            if (kind == TwinCache.Kind.MATERIAL) {
                materials = true;
            } else if (kind != TwinCache.Kind.OTHER && id != null) {
                final ThingId line = cache.lineOf(id);
                if (line != null) {
                    touched.add(line);
                }
                if (kind == TwinCache.Kind.MACHINE) {
                    onMachineChange.accept(id);
                }
            }
        }
        if (materials) {
            touched.addAll(lines.keySet());
        }
        touched.forEach(this::trigger);
    }

    private void after(final TwinCache.Kind kind, final ThingId id) {
        switch (kind) {
            case MATERIAL -> lines.keySet().forEach(this::trigger);
            case MACHINE, WORK_ORDER, LINE -> {
                if (kind == TwinCache.Kind.MACHINE) {
                    onMachineChange.accept(id);
                }
                final ThingId line = cache.lineOf(id);
                if (line != null) {
                    trigger(line);
                }
            }
            default -> { }
        }
    }

    /** Reconciles every line now (or as soon as its running reconciliation ends). */
    public void triggerAll() {
        lines.keySet().forEach(this::trigger);
    }

    /** Reconciles a line now, or once more after the one that is running. */
    public void trigger(final ThingId line) {
        final LineState state = lines.get(line);
        if (state == null) {
            return; // not a line of this instance
        }
        if (state.running) {
            state.again = true;
            return;
        }
        if (state.timer >= 0) {
            return; // a retry is scheduled; it will pick this change up
        }
        reconcile(line, state);
    }

    /** The cached view of a line (for the API and tests). */
    public LineView view(final ThingId line) {
        return cache.view(line);
    }

    /** The cached machines of a line. */
    public List<Versioned<MachineTwin>> machinesOf(final ThingId line) {
        return cache.machinesOf(line);
    }

    public int cachedTwins() {
        return cache.size();
    }

    private void reconcile(final ThingId line, final LineState state) {
        if (!owns.test(line)) {
            return;
        }
        state.running = true;
        state.again = false;
        final Instant now = clock.instant();
        List<Action> plan;
        try {
            plan = planner.plan(cache.view(line), now, state.memory);
        } catch (final RuntimeException e) {
            LOG.error("Planning {} failed; the line is tried again: {}", line, e.toString(), e);
            counters.increment("plan.failed");
            finish(line, state, false);
            return;
        }
        counters.increment("reconciliations");
        execute(line, state, plan, now).onComplete(done -> finish(line, state, done.succeeded() && done.result()));
    }

    private void finish(final ThingId line, final LineState state, final boolean clean) {
        state.running = false;
        if (clean) {
            state.retryMs = 0;
            if (state.again) {
                reconcile(line, state);
            } else {
                armWindowTimer(line, state);
            }
            return;
        }
        // something failed: decide again after a pause, with fresh twins where a write conflicted
        state.retryMs = state.retryMs == 0 ? RETRY_MIN_MS : Math.min(RETRY_MAX_MS, state.retryMs * 2);
        state.timer = context.owner().setTimer(state.retryMs, id -> {
            state.timer = -1;
            reconcile(line, state);
        });
    }

    /** Decides the line again when its next maintenance window starts or ends, if one is ahead. */
    private void armWindowTimer(final ThingId line, final LineState state) {
        if (state.windowTimer >= 0) {
            return;
        }
        final Instant now = clock.instant();
        LinePlanner.nextWindowBoundary(cache.view(line), now).ifPresent(next -> {
            final long delay = Math.max(1, Math.min(WINDOW_CHECK_MAX_MS, Duration.between(now, next).toMillis()));
            state.windowTimer = context.owner().setTimer(delay, id -> {
                state.windowTimer = -1;
                trigger(line);
            });
        });
    }

    /** Completes with true if every order write went through (false: conflicts or failures; decide again). */
    private Future<Boolean> execute(final ThingId line, final LineState state, final List<Action> plan,
            final Instant now) {
        final List<Future<Boolean>> orderWrites = new ArrayList<>();
        for (final Action action : plan) {
            if (action instanceof Action.UpdateOrder update) {
                orderWrites.add(writeOrder(update));
            }
        }
        return Future.all(orderWrites).compose(all -> {
            boolean clean = true;
            for (final Future<Boolean> f : orderWrites) {
                clean &= f.result();
            }
            if (!clean) {
                // projections computed from decisions that did not all land would be wrong: decide again first
                return Future.succeededFuture(false);
            }
            final List<Future<Boolean>> rest = new ArrayList<>();
            for (final Action action : plan) {
                if (action instanceof Action.SetMachineJob job) {
                    rest.add(setJob(job));
                } else if (action instanceof Action.SetLineSchedule schedule) {
                    rest.add(setSchedule(schedule));
                } else if (action instanceof Action.CommandMachine command) {
                    state.memory.sent(command.machine(), command.command(), command.workOrder(), now);
                    command(command);
                } else if (action instanceof Action.RaiseEvent event) {
                    twins.raiseEvent(event.order(), event.topic(), event.payload());
                    counters.increment("events.raised");
                    LOG.info("Raised {} for {}: {}", event.topic(), event.order(),
                            event.payload().getValue("reason").map(JsonValue::formatAsString).orElse(""));
                }
            }
            return Future.all(rest).map(r -> rest.stream().allMatch(Future::result));
        });
    }

    private Future<Boolean> writeOrder(final Action.UpdateOrder update) {
        final Versioned<WorkOrderTwin> before = update.before();
        final WorkOrderTwin after = update.after();
        final JsonObject patch = JsonObject.newBuilder()
                .set("features", JsonObject.newBuilder()
                        .set(WorkOrderTwin.STATUS, properties(before.twin().status().toJson(),
                                after.status().toJson()))
                        .set(WorkOrderTwin.PROGRESS, properties(before.twin().progress().toJson(),
                                after.progress().toJson()))
                        .build())
                .build();
        return onContext(twins.mergeIfRevision(after.id(), patch, before.revision())).map(v -> {
            cache.wrote(after, before.revision() + 1);
            count(before.twin(), after);
            if (before.twin().status().status() == after.status().status()
                    && Objects.equals(before.twin().status().machine(), after.status().machine())) {
                LOG.debug("{} {}: {}", after.id(), after.status().status(), update.why());
            } else {
                LOG.info("{} {}: {}", after.id(), after.status().status(), update.why());
            }
            return true;
        }).recover(error -> {
            final int status = TwinAccess.status(error);
            if (status == 412) {
                counters.increment("writes.conflicts");
                LOG.debug("{} moved on since revision {}; re-reading it", after.id(), before.revision());
                return refresh(after.id()).map(false);
            }
            counters.increment("writes.failed");
            LOG.warn("Could not write {} ({}): {}; the line is decided again shortly", after.id(), update.why(),
                    TwinAccess.describe(error));
            return Future.succeededFuture(false);
        });
    }

    /** Re-reads one twin into the cache. */
    Future<Void> refresh(final ThingId id) {
        return onContext(twins.retrieve(id)).map(thing -> {
            if (thing.isPresent()) {
                cache.offer(thing.get(), thing.get().getRevision().map(r -> r.toLong()).orElse(0L));
            } else {
                cache.remove(id);
            }
            return (Void) null;
        }).recover(e -> {
            LOG.warn("Could not re-read {}: {}", id, TwinAccess.describe(e));
            return Future.succeededFuture();
        });
    }

    private void count(final WorkOrderTwin before, final WorkOrderTwin after) {
        final WorkOrderStatus from = before.status().status();
        final WorkOrderStatus to = after.status().status();
        final String name;
        if (to == WorkOrderStatus.DISPATCHED && from == WorkOrderStatus.RELEASED) {
            name = "orders.dispatched";
        } else if (to == WorkOrderStatus.DISPATCHED) {
            name = "orders.redispatched";
        } else if (from == to) {
            name = "orders.progress";
        } else {
            name = "orders." + to.name().toLowerCase(java.util.Locale.ROOT);
        }
        counters.increment(name);
    }

    private Future<Boolean> setJob(final Action.SetMachineJob job) {
        final JsonObjectBuilder desired = JsonObject.newBuilder();
        desired.set("workOrder", job.desired().workOrder() == null ? JsonValue.nullLiteral()
                : JsonValue.of(job.desired().workOrder()));
        desired.set("operation", job.desired().operation() == null ? JsonValue.nullLiteral()
                : JsonValue.of(job.desired().operation()));
        final JsonObject patch = JsonObject.newBuilder().set("features", JsonObject.newBuilder()
                .set(MachineTwin.JOB, JsonObject.newBuilder().set("desiredProperties", desired.build()).build())
                .build()).build();
        return onContext(twins.merge(job.machine(), patch)).map(v -> {
            cache.wroteDesiredJob(job.machine(), job.desired());
            return true;
        }).recover(e -> {
            counters.increment("writes.failed");
            LOG.warn("Could not set the desired job of {}: {}", job.machine(), TwinAccess.describe(e));
            return Future.succeededFuture(false);
        });
    }

    private Future<Boolean> setSchedule(final Action.SetLineSchedule schedule) {
        final JsonObject queue = JsonObject.newBuilder()
                .set("queue", JsonFactory.newArrayBuilder(schedule.queue().stream()
                        .map(ReconcileEngine::entryJson).toList()).build())
                .build();
        final JsonObject patch = JsonObject.newBuilder().set("features", JsonObject.newBuilder()
                .set(LineTwin.SCHEDULE, JsonObject.newBuilder().set("properties", queue).build())
                .build()).build();
        return onContext(twins.merge(schedule.line(), patch)).map(v -> {
            cache.wroteSchedule(schedule.line(), schedule.queue());
            return true;
        }).recover(e -> {
            counters.increment("writes.failed");
            LOG.warn("Could not write the schedule of {}: {}", schedule.line(), TwinAccess.describe(e));
            return Future.succeededFuture(false);
        });
    }

    private static JsonValue entryJson(final LineTwin.ScheduleEntry e) {
        final JsonObjectBuilder b = JsonObject.newBuilder().set("workOrder", e.workOrder().toString());
        if (e.machine() != null) {
            b.set("machine", e.machine().toString());
        }
        if (e.plannedStart() != null) {
            b.set("plannedStart", e.plannedStart().toString());
        }
        if (e.plannedEnd() != null) {
            b.set("plannedEnd", e.plannedEnd().toString());
        }
        return b.build();
    }

    private void command(final Action.CommandMachine command) {
        counters.increment("commands.sent");
        LOG.info("{} -> {}: {}", command.command(), command.machine(), command.why());
        onContext(twins.sendMessage(command.machine(), command.command(), command.payload(), commandTimeout))
                .onSuccess(answer -> {
                    if (answer.status() >= 300) {
                        counters.increment("commands.refused");
                        LOG.info("{} refused {} ({}): {}", command.machine(), command.command(), answer.status(),
                                answer.payload());
                    }
                })
                .onFailure(e -> {
                    counters.increment("commands.failed");
                    LOG.info("{} did not take {}: {} (sent again after the retry interval if still needed)",
                            command.machine(), command.command(), TwinAccess.describe(e));
                });
    }

    /**
     * The new properties as a merge patch over the old ones: every top-level key the old ones had and the new ones
     * do not is set to null (deleted).
     */
    static JsonObject properties(final JsonObject before, final JsonObject after) {
        final JsonObjectBuilder props = after.toBuilder();
        before.getKeys().forEach(key -> {
            if (!after.contains(key)) {
                props.set(key, JsonValue.nullLiteral());
            }
        });
        return JsonObject.newBuilder().set("properties", props.build()).build();
    }

    private <T> Future<T> onContext(final CompletionStage<T> stage) {
        final Promise<T> promise = Promise.promise();
        try {
            stage.whenComplete((result, error) -> context.runOnContext(v -> {
                if (error == null) {
                    promise.complete(result);
                } else {
                    promise.fail(error);
                }
            }));
        } catch (final RuntimeException e) {
            promise.fail(e);
        }
        return promise.future();
    }
}
