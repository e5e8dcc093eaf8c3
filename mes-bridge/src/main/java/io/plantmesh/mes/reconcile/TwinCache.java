package io.plantmesh.mes.reconcile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingDefinition;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.mes.plan.LineView;
import io.plantmesh.mes.plan.Versioned;
import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * The bridge's copy of the twins it works on, each at the revision it was read: filled by search, kept current by
 * change events (each carrying the whole thing) and by the bridge's own successful conditional writes. A copy is
 * only ever replaced by one at the same or a higher revision, so late or repeated events cannot take it back.
 * Twins that do not read as PlantMesh twins are left out (and logged once). Confined to the bridge's context.
 */
final class TwinCache {

    private static final Logger LOG = LoggerFactory.getLogger(TwinCache.class);

    private final Map<ThingId, Versioned<MachineTwin>> machines = new HashMap<>();
    private final Map<ThingId, Versioned<WorkOrderTwin>> orders = new HashMap<>();
    private final Map<ThingId, Versioned<LineTwin>> lines = new HashMap<>();
    private final Map<String, Versioned<MaterialTwin>> materials = new HashMap<>();
    private final Map<ThingId, String> materialNumbers = new HashMap<>();
    private final Map<ThingId, Long> unreadable = new HashMap<>();

    /** What kind of twin changed, for the caller to decide what to reconcile. */
    enum Kind { MACHINE, WORK_ORDER, LINE, MATERIAL, OTHER }

    /**
     * Takes a thing read at {@code revision} unless a newer copy is held; returns its kind, or OTHER if it was not
     * taken.
     */
    Kind offer(final Thing thing, final long revision) {
        final ThingId id = thing.getEntityId().orElse(null);
        if (id == null) {
            return Kind.OTHER;
        }
        final String definition = thing.getDefinition().map(ThingDefinition::toString).orElse("");
        try {
            if (definition.equals(PlantDefinitions.MACHINE.toString())) {
                final MachineTwin machine = MachineTwin.fromThing(thing);
                final Versioned<MachineTwin> old = machines.get(id);
                if (!put(machines, id, machine, revision)) {
                    return Kind.OTHER;
                }
                // telemetry, health and OEE do not change any decision (maintenance windows do)
                return old == null || !planningView(old.twin()).equals(planningView(machine)) ? Kind.MACHINE
                        : Kind.OTHER;
            }
            if (definition.equals(PlantDefinitions.WORK_ORDER.toString())) {
                final WorkOrderTwin order = WorkOrderTwin.fromThing(thing);
                if (order.status().status().isTerminal()) {
                    // finished orders are no longer planned: forget them (their final state is in the twin)
                    final Versioned<WorkOrderTwin> old = orders.get(id);
                    if (old == null || old.revision() <= revision) {
                        orders.remove(id);
                        return Kind.WORK_ORDER;
                    }
                    return Kind.OTHER;
                }
                return put(orders, id, order, revision) ? Kind.WORK_ORDER : Kind.OTHER;
            }
            if (definition.equals(PlantDefinitions.LINE.toString())) {
                final LineTwin line = LineTwin.fromThing(thing);
                final Versioned<LineTwin> old = lines.get(id);
                if (!put(lines, id, line, revision)) {
                    return Kind.OTHER;
                }
                // KPI writes do not change any decision; a schedule written by someone else is rewritten
                return old == null || !old.twin().machines().equals(line.machines())
                        || !old.twin().schedule().equals(line.schedule()) ? Kind.LINE : Kind.OTHER;
            }
            if (definition.equals(PlantDefinitions.MATERIAL.toString())) {
                final MaterialTwin material = MaterialTwin.fromThing(thing);
                final Versioned<MaterialTwin> old = materials.get(material.materialNumber());
                if (old != null && old.revision() > revision && old.twin().id().equals(id)) {
                    return Kind.OTHER;
                }
                materials.put(material.materialNumber(), new Versioned<>(material, revision));
                materialNumbers.put(id, material.materialNumber());
                return Kind.MATERIAL;
            }
        } catch (final RuntimeException e) {
            if (unreadable.put(id, revision) == null) {
                LOG.warn("The MES bridge leaves out twin {} (revision {}): it does not read as a PlantMesh twin "
                        + "({}). Fix the twin so it matches its Thing Model ({}).", id, revision, e.getMessage(),
                        definition);
            }
        }
        return Kind.OTHER;
    }

    /** What of a machine the planner and the OEE tracker look at. */
    private static java.util.List<Object> planningView(final MachineTwin m) {
        return java.util.Arrays.asList(m.line(), m.capabilities(), m.idealCycleTimeMs(), m.state(),
                m.counters().good(), m.counters().scrap(), m.job(), m.maintenance());
    }

    private static <T> boolean put(final Map<ThingId, Versioned<T>> map, final ThingId id, final T twin,
            final long revision) {
        final Versioned<T> old = map.get(id);
        if (old != null && old.revision() > revision) {
            return false;
        }
        map.put(id, new Versioned<>(twin, revision));
        return true;
    }

    /** Replaces a cached order with what the bridge itself wrote successfully at {@code revision}. */
    void wrote(final WorkOrderTwin order, final long revision) {
        if (order.status().status().isTerminal()) {
            orders.remove(order.id());
        } else {
            put(orders, order.id(), order, revision);
        }
    }

    /** Updates a cached machine's desired job after the bridge set it (the revision stays that of the copy). */
    void wroteDesiredJob(final ThingId machine, final MachineTwin.Assignment desired) {
        final Versioned<MachineTwin> m = machines.get(machine);
        if (m != null) {
            machines.put(machine, new Versioned<>(m.twin().withJob(new MachineTwin.Job(desired,
                    m.twin().job().reported())), m.revision()));
        }
    }

    /** Updates a cached line's schedule after the bridge set it. */
    void wroteSchedule(final ThingId line, final List<LineTwin.ScheduleEntry> queue) {
        final Versioned<LineTwin> l = lines.get(line);
        if (l != null) {
            lines.put(line, new Versioned<>(l.twin().withSchedule(queue), l.revision()));
        }
    }

    /** Forgets a deleted thing. */
    void remove(final ThingId id) {
        machines.remove(id);
        orders.remove(id);
        lines.remove(id);
        final String number = materialNumbers.remove(id);
        if (number != null) {
            materials.remove(number);
        }
    }

    /** The line of a cached machine or order, or the line itself; null if unknown. */
    ThingId lineOf(final ThingId id) {
        final Versioned<MachineTwin> m = machines.get(id);
        if (m != null) {
            return m.twin().line();
        }
        final Versioned<WorkOrderTwin> o = orders.get(id);
        if (o != null) {
            return o.twin().line();
        }
        return lines.containsKey(id) ? id : null;
    }

    /** The view of one line: its twin, its machines and open orders, and all materials. */
    LineView view(final ThingId line) {
        return new LineView(line, lines.get(line), filter(machines, m -> m.line(), line),
                filter(orders, o -> o.line(), line), materials);
    }

    Versioned<MachineTwin> machine(final ThingId id) {
        return machines.get(id);
    }

    Versioned<WorkOrderTwin> order(final ThingId id) {
        return orders.get(id);
    }

    /** Machines of a line. */
    List<Versioned<MachineTwin>> machinesOf(final ThingId line) {
        return machines.values().stream().filter(m -> line.equals(m.twin().line())).toList();
    }

    Set<ThingId> orderIds() {
        return Set.copyOf(orders.keySet());
    }

    int size() {
        return machines.size() + orders.size() + lines.size() + materials.size();
    }

    private static <T> Map<ThingId, Versioned<T>> filter(final Map<ThingId, Versioned<T>> map,
            final Function<T, ThingId> lineOf, final ThingId line) {
        final Map<ThingId, Versioned<T>> result = new HashMap<>();
        map.forEach((id, v) -> {
            if (line.equals(lineOf.apply(v.twin()))) {
                result.put(id, v);
            }
        });
        return result;
    }
}
