package io.plantmesh.twin.model.line;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinFormatException;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.json.TwinJson;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.json.TwinJson.Node;

/**
 * Typed view of a line twin (definition {@code io.plantmesh:line:1.0.0}): its machines in flow order, the queue the
 * MES dispatched, its KPIs. Round-trips every value it models.
 *
 * @param plant plant code, e.g. the ERP plant
 */
public record LineTwin(ThingId id, String name, String plant, List<ThingId> machines, List<ScheduleEntry> schedule,
        Kpi kpi) {

    public static final String MACHINES = "machines";
    public static final String SCHEDULE = "schedule";
    public static final String KPI = "kpi";

    public LineTwin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(plant, "plant");
        machines = machines == null ? List.of() : List.copyOf(machines);
        schedule = schedule == null ? List.of() : List.copyOf(schedule);
        kpi = kpi == null ? Kpi.UNKNOWN : kpi;
    }

    /**
     * A freshly provisioned line with an empty queue and no KPIs yet.
     *
     * @throws io.plantmesh.twin.model.InvalidPlantThingIdException if {@code id} is not a line id or a machine id
     * does not name this line
     */
    public static LineTwin initial(final ThingId id, final String name, final String plant,
            final List<ThingId> machines) {
        PlantThingIds.parse(id, TwinKind.LINE);
        for (final ThingId machine : machines) {
            final boolean onThisLine = PlantThingIds.lineOfMachine(machine).equals(id);
            if (!onThisLine) {
                throw new IllegalArgumentException("machine " + machine + " is not on line " + id);
            }
        }
        return new LineTwin(id, name, plant, machines, List.of(), Kpi.UNKNOWN);
    }

    /** Reads a line twin. @throws TwinFormatException naming the offending path */
    public static LineTwin fromThing(final Thing thing) {
        final ThingId id = TwinJson.requireKind(thing, TwinKind.LINE);
        final Node attributes = TwinJson.attributes(thing);
        final Node machinesNode = TwinJson.properties(thing, MACHINES);
        final List<ThingId> machineIds = machinesNode.list("thingIds", (value, path) -> {
            try {
                return ThingId.of(value.asString());
            } catch (final RuntimeException e) {
                throw new TwinFormatException(path + ": " + value + " is not a thing id");
            }
        });
        final List<ScheduleEntry> queue = TwinJson.properties(thing, SCHEDULE).objects("queue").stream()
                .map(ScheduleEntry::fromJson)
                .toList();
        return new LineTwin(id, attributes.text("name"), attributes.text("plant"), machineIds, queue,
                Kpi.fromJson(TwinJson.properties(thing, KPI)));
    }

    public Thing toThing() {
        final JsonObject attributes = TwinJson.object().put("name", name).put("plant", plant).build();
        return TwinJson.thing(id, TwinKind.LINE, attributes, List.of(
                TwinJson.feature(MACHINES, TwinJson.object()
                        .putArray("thingIds", machines, machine -> JsonValue.of(machine.toString())).build(), null),
                TwinJson.feature(SCHEDULE, TwinJson.object()
                        .putArray("queue", schedule, ScheduleEntry::toJson).build(), null),
                TwinJson.feature(KPI, kpi.toJson(), null)));
    }

    public LineTwin withSchedule(final List<ScheduleEntry> newSchedule) {
        return new LineTwin(id, name, plant, machines, newSchedule, kpi);
    }

    public LineTwin withKpi(final Kpi newKpi) {
        return new LineTwin(id, name, plant, machines, schedule, newKpi);
    }

    /** One queued work order. @param machine null until assigned; planned times null if not planned */
    public record ScheduleEntry(ThingId workOrder, ThingId machine, Instant plannedStart, Instant plannedEnd) {

        public ScheduleEntry {
            Objects.requireNonNull(workOrder, "workOrder");
        }

        JsonObject toJson() {
            return TwinJson.object()
                    .put("workOrder", workOrder)
                    .put("machine", machine)
                    .put("plannedStart", plannedStart)
                    .put("plannedEnd", plannedEnd)
                    .build();
        }

        static ScheduleEntry fromJson(final Node node) {
            return new ScheduleEntry(node.thingId("workOrder"), node.optThingId("machine").orElse(null),
                    node.optInstant("plannedStart").orElse(null), node.optInstant("plannedEnd").orElse(null));
        }
    }

    /**
     * {@code features/kpi}: the line's OEE and its factors over the rolling {@code window} (fractions 0..1),
     * throughput (good parts per hour over the window), WIP (orders dispatched or running), when computed, and the
     * current shift's OEE; each null until computed.
     */
    public record Kpi(Double oee, Double availability, Double performance, Double quality, Double throughput,
            Long wip, String window, Instant computedAt, MachineTwin.ShiftOee shift) {

        public static final Kpi UNKNOWN = new Kpi(null, null, null, null, null, null, null, null, null);

        public JsonObject toJson() {
            return TwinJson.object()
                    .put("oee", oee)
                    .put("availability", availability)
                    .put("performance", performance)
                    .put("quality", quality)
                    .put("throughput", throughput)
                    .put("wip", wip)
                    .put("window", window)
                    .put("computedAt", computedAt)
                    .put("shift", shift == null ? null : shift.toJson())
                    .build();
        }

        static Kpi fromJson(final Node node) {
            return new Kpi(node.optNumber("oee").orElse(null), node.optNumber("availability").orElse(null),
                    node.optNumber("performance").orElse(null), node.optNumber("quality").orElse(null),
                    node.optNumber("throughput").orElse(null), node.optInteger("wip").orElse(null),
                    node.optText("window").orElse(null), node.optInstant("computedAt").orElse(null),
                    node.optObject("shift").map(MachineTwin.ShiftOee::fromJson).orElse(null));
        }
    }
}
