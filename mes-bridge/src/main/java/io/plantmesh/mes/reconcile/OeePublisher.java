package io.plantmesh.mes.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.mes.oee.OeeHistoryStore;
import io.plantmesh.mes.oee.OeeTracker;
import io.plantmesh.mes.plan.LineView;
import io.plantmesh.mes.plan.Versioned;
import io.plantmesh.twin.client.TwinAccess;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Feeds the OEE tracker from the bridge's copy of the machines and, periodically, writes each owned line's machine
 * OEE ({@code features/oee}) and line KPIs ({@code features/kpi}) to the twins and saves the history to MongoDB.
 * Confined to the bridge's context, except the MongoDB calls, which run on a worker.
 */
public final class OeePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(OeePublisher.class);

    private final Context context;
    private final ReconcileEngine engine;
    private final OeeTracker tracker;
    private final OeeHistoryStore store;
    private final TwinAccess twins;
    private final Clock clock;
    private final Predicate<ThingId> owns;
    private final MesCounters counters;
    private final List<ThingId> lines;
    private boolean ready;

    public OeePublisher(final Context context, final ReconcileEngine engine, final OeeTracker tracker,
            final OeeHistoryStore store, final TwinAccess twins, final Clock clock, final Predicate<ThingId> owns,
            final MesCounters counters, final List<ThingId> lines) {
        this.context = context;
        this.engine = engine;
        this.tracker = tracker;
        this.store = store;
        this.twins = twins;
        this.clock = clock;
        this.owns = owns;
        this.counters = counters;
        this.lines = List.copyOf(lines);
    }

    /** Loads the saved history of the given machines (blocking; before the first observation), then observes. */
    public void loadHistory(final List<ThingId> machines) {
        final int loaded = store.load(machines);
        LOG.debug("OEE history of {} machines loaded", loaded);
    }

    /** From now on machine changes are observed (call on the context after {@link #loadHistory}). */
    public void ready() {
        ready = true;
        lines.forEach(line -> engine.machinesOf(line).forEach(m -> observe(m.twin())));
    }

    /** A machine's cached copy changed. */
    public void machineChanged(final ThingId machine) {
        if (!ready) {
            return;
        }
        for (final ThingId line : lines) {
            for (final Versioned<MachineTwin> m : engine.machinesOf(line)) {
                if (m.twin().id().equals(machine)) {
                    observe(m.twin());
                    return;
                }
            }
        }
    }

    private void observe(final MachineTwin m) {
        tracker.observe(m.id(), m.line(), m.state().state(), m.state().since(), m.counters().good(),
                m.counters().scrap(), m.idealCycleTimeMs(), clock.instant());
    }

    /** Computes and writes OEE and KPIs of every owned line, then saves the history. */
    public Future<Void> publish() {
        if (!ready) {
            return Future.succeededFuture();
        }
        final Instant now = clock.instant();
        final List<Future<Void>> writes = new ArrayList<>();
        final List<ThingId> machines = new ArrayList<>();
        for (final ThingId line : lines) {
            if (!owns.test(line)) {
                continue;
            }
            for (final Versioned<MachineTwin> m : engine.machinesOf(line)) {
                machines.add(m.twin().id());
                final MachineTwin.Oee oee = tracker.machineOee(m.twin().id(), now);
                writes.add(write(m.twin().id(), MachineTwin.OEE, oee.toJson()));
            }
            final LineView view = engine.view(line);
            final long wip = view.orders().values().stream()
                    .map(o -> o.twin().status().status())
                    .filter(s -> s == WorkOrderStatus.DISPATCHED || s == WorkOrderStatus.RUNNING)
                    .count();
            if (view.line() != null) {
                final LineTwin.Kpi kpi = tracker.lineKpi(line, now, wip);
                writes.add(write(line, LineTwin.KPI, kpi.toJson()));
            }
        }
        return Future.all(writes).<Void>mapEmpty().eventually(() -> save(machines, now));
    }

    private Future<Void> save(final List<ThingId> machines, final Instant now) {
        return context.owner().executeBlocking(() -> {
            tracker.prune(now);
            machines.forEach(store::save);
            return null;
        }, false).recover(e -> {
            LOG.warn("Could not save the OEE history to MongoDB: {}; it is saved again next time", e.toString());
            return Future.succeededFuture();
        }).mapEmpty();
    }

    /** Figures that became unknown are deleted (merge with null) rather than left at their old value. */
    private static final List<String> FIGURES = List.of("availability", "performance", "quality", "oee",
            "throughput", "shift");

    private Future<Void> write(final ThingId thing, final String feature, final JsonObject figures) {
        final org.eclipse.ditto.json.JsonObjectBuilder props = figures.toBuilder();
        FIGURES.forEach(k -> {
            if (!figures.contains(k)) {
                props.set(k, org.eclipse.ditto.json.JsonValue.nullLiteral());
            }
        });
        final JsonObject properties = props.build();
        final JsonObject patch = JsonObject.newBuilder().set("features", JsonObject.newBuilder()
                .set(feature, JsonObject.newBuilder().set("properties", properties).build()).build()).build();
        final Promise<Void> done = Promise.promise();
        twins.merge(thing, patch).whenComplete((v, e) -> context.runOnContext(x -> {
            if (e == null) {
                counters.increment("oee.writes");
            } else {
                counters.increment("writes.failed");
                LOG.warn("Could not write {} of {}: {}", feature, thing, TwinAccess.describe(e));
            }
            done.complete();
        }));
        return done.future();
    }
}
