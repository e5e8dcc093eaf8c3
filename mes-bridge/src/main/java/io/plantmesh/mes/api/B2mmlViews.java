package io.plantmesh.mes.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * ISA-95 / B2MML-aligned JSON views of a line's work orders: {@code ProductionSchedule} (what is to be made) and
 * {@code ProductionPerformance} (what was made), with B2MML's element names as JSON keys. Elements B2MML lets repeat
 * and that carry structure are arrays; identifiers, descriptions and times are single strings. The mapping is
 * documented in {@code docs/mes-api.md}. Pure functions of the twins.
 */
final class B2mmlViews {

    /** Orders that appear as a ProductionRequest. */
    static final Set<WorkOrderStatus> SCHEDULED = EnumSet.of(WorkOrderStatus.RELEASED, WorkOrderStatus.DISPATCHED,
            WorkOrderStatus.RUNNING);
    /** Orders that appear as a ProductionResponse. */
    static final Set<WorkOrderStatus> PERFORMED = EnumSet.of(WorkOrderStatus.RUNNING, WorkOrderStatus.COMPLETED);

    /** Unit of measure of produced quantities (pieces). */
    static final String PIECES = "PC";
    /** ID of the MaterialProducedActualProperty that carries the scrap quantity. */
    static final String SCRAP_PROPERTY = "ScrapQuantity";

    private static final String PRODUCTION_LINE = "ProductionLine";
    private static final String DECIMAL = "decimal";

    private B2mmlViews() {
    }

    /** {@code <line>/production-schedule}. */
    static String scheduleId(final ThingId line) {
        return line + "/production-schedule";
    }

    /** {@code <line>/production-performance}. */
    static String performanceId(final ThingId line) {
        return line + "/production-performance";
    }

    /** {@code <order>/response}. */
    static String responseId(final ThingId order) {
        return order + "/response";
    }

    /**
     * {@code {"ProductionSchedule": {...}}} with one ProductionRequest per RELEASED, DISPATCHED or RUNNING order of
     * the line, by planned start (unplanned last), then priority, due date and id.
     */
    static JsonObject productionSchedule(final LineTwin line, final List<WorkOrderTwin> orders,
            final Instant published) {
        final Map<ThingId, LineTwin.ScheduleEntry> queue = line.schedule().stream()
                .collect(Collectors.toMap(LineTwin.ScheduleEntry::workOrder, Function.identity(), (a, b) -> a));
        final List<Planned> planned = orders.stream()
                .filter(o -> o.line().equals(line.id()) && SCHEDULED.contains(o.status().status()))
                .map(o -> Planned.of(o, queue.get(o.id())))
                .sorted(Comparator.comparing(Planned::start, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(p -> p.order().priority())
                        .thenComparing(p -> p.order().dueDate())
                        .thenComparing(p -> p.order().id().toString()))
                .toList();
        final Instant start = planned.stream().map(Planned::start).filter(Objects::nonNull).min(Instant::compareTo)
                .orElse(null);
        final Instant end = planned.stream().map(Planned::end).filter(Objects::nonNull).max(Instant::compareTo)
                .orElse(null);
        final JsonObject schedule = JsonOut.object()
                .put("ID", scheduleId(line.id()))
                .put("Description", "Production schedule of " + line.name() + " (" + line.id() + "), plant "
                        + line.plant())
                .put("HierarchyScope", scope(line.id(), PRODUCTION_LINE))
                .put("PublishedDate", published)
                .put("StartTime", start)
                .put("EndTime", end)
                .putArray("ProductionRequest", planned.stream().map(p -> productionRequest(line, p)).toList())
                .build();
        return JsonOut.object().put("ProductionSchedule", schedule).build();
    }

    /**
     * {@code {"ProductionPerformance": {...}}} with one ProductionResponse per RUNNING or COMPLETED order of the
     * line (COMPLETED ones only if they completed at or after {@code since}, when given), by start time and id.
     */
    static JsonObject productionPerformance(final LineTwin line, final List<WorkOrderTwin> orders,
            final Instant published, final Instant since) {
        final List<WorkOrderTwin> performed = orders.stream()
                .filter(o -> o.line().equals(line.id()) && PERFORMED.contains(o.status().status()))
                .filter(o -> since == null || o.status().status() != WorkOrderStatus.COMPLETED
                        || completedAt(o) == null || !completedAt(o).isBefore(since))
                .sorted(Comparator.comparing(B2mmlViews::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(o -> o.id().toString()))
                .toList();
        final Instant start = performed.stream().map(B2mmlViews::startedAt).filter(Objects::nonNull)
                .min(Instant::compareTo).orElse(null);
        final boolean allCompleted = performed.stream()
                .allMatch(o -> o.status().status() == WorkOrderStatus.COMPLETED);
        final Instant end = allCompleted ? performed.stream().map(B2mmlViews::completedAt).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null) : null;
        final JsonObject performance = JsonOut.object()
                .put("ID", performanceId(line.id()))
                .put("Description", "Production performance of " + line.name() + " (" + line.id() + "), plant "
                        + line.plant())
                .put("HierarchyScope", scope(line.id(), PRODUCTION_LINE))
                .put("ProductionScheduleID", scheduleId(line.id()))
                .put("PublishedDate", published)
                .put("StartTime", start)
                .put("EndTime", end)
                .putArray("ProductionResponse", performed.stream().map(o -> productionResponse(line, o)).toList())
                .build();
        return JsonOut.object().put("ProductionPerformance", performance).build();
    }

    private static JsonObject productionRequest(final LineTwin line, final Planned planned) {
        final WorkOrderTwin order = planned.order();
        final JsonObject segment = JsonOut.object()
                .put("ID", order.operation())
                .put("ProcessSegmentID", order.operation())
                .put("EarliestStartTime", planned.start())
                .put("LatestEndTime", order.dueDate())
                .putArray("EquipmentRequirement", equipmentRequirement(order))
                .putArray("MaterialProducedRequirement", List.of(JsonOut.object()
                        .put("MaterialDefinitionID", order.material())
                        .putArray("Quantity", List.of(quantity(order.quantity(), PIECES)))
                        .build()))
                .putArray("MaterialConsumedRequirement", order.billOfMaterials().stream()
                        .map(item -> JsonOut.object()
                                .put("MaterialDefinitionID", item.material())
                                .putArray("Quantity", List.of(quantity(item.quantity(), item.unit())))
                                .build())
                        .toList())
                .put("SegmentState", requestState(order.status().status()))
                .build();
        return JsonOut.object()
                .put("ID", order.id())
                .put("Description", JsonOut.decimal(order.quantity()) + " " + PIECES + " of " + order.material()
                        + " on " + line.name() + ", due " + order.dueDate())
                .put("HierarchyScope", scope(line.id(), PRODUCTION_LINE))
                .put("StartTime", planned.start())
                .put("EndTime", planned.end())
                .put("Priority", order.priority())
                .putArray("SegmentRequirement", List.of(segment))
                .put("RequestState", requestState(order.status().status()))
                .build();
    }

    private static List<JsonObject> equipmentRequirement(final WorkOrderTwin order) {
        final ThingId machine = order.status().machine();
        final String capability = order.requiredCapability();
        if (machine == null && capability == null) {
            return List.of();
        }
        final String description = machine != null ? "assigned machine"
                : "any machine of the line with capability " + capability;
        return List.of(JsonOut.object()
                .put("EquipmentClassID", capability)
                .put("EquipmentID", machine)
                .put("Description", description)
                .build());
    }

    private static JsonObject productionResponse(final LineTwin line, final WorkOrderTwin order) {
        final String state = responseState(order.status().status());
        final Instant end = order.status().status() == WorkOrderStatus.COMPLETED ? completedAt(order) : null;
        final ThingId machine = order.status().machine();
        final JsonObject produced = JsonOut.object()
                .put("MaterialDefinitionID", order.material())
                .putArray("Quantity", List.of(quantity(order.progress().good(), PIECES)))
                .putArray("MaterialProducedActualProperty", List.of(JsonOut.object()
                        .put("ID", SCRAP_PROPERTY)
                        .put("Description", "pieces scrapped")
                        .putArray("Value", List.of(JsonOut.object()
                                .put("ValueString", JsonOut.decimal(order.progress().scrap()))
                                .put("DataType", DECIMAL)
                                .put("UnitOfMeasure", PIECES)
                                .build()))
                        .build()))
                .build();
        final JsonObject segment = JsonOut.object()
                .put("ID", order.operation())
                .put("ProcessSegmentID", order.operation())
                .put("ActualStartTime", startedAt(order))
                .put("ActualEndTime", end)
                .putArray("EquipmentActual", machine == null ? List.of() : List.of(JsonOut.object()
                        .put("EquipmentID", machine)
                        .build()))
                .putArray("MaterialProducedActual", List.of(produced))
                .put("SegmentState", state)
                .build();
        return JsonOut.object()
                .put("ID", responseId(order.id()))
                .put("ProductionRequestID", order.id())
                .put("HierarchyScope", scope(line.id(), PRODUCTION_LINE))
                .put("StartTime", startedAt(order))
                .put("EndTime", end)
                .putArray("SegmentResponse", List.of(segment))
                .put("ResponseState", state)
                .build();
    }

    /** B2MML RequestState of an order in the schedule. */
    static String requestState(final WorkOrderStatus status) {
        return switch (status) {
            case RELEASED -> "Released";
            case DISPATCHED -> "Ready";
            case RUNNING -> "Running";
            case HELD -> "Held";
            case COMPLETED -> "Completed";
            case CANCELLED -> "Cancelled";
        };
    }

    /** B2MML ResponseState of an order in the performance. */
    static String responseState(final WorkOrderStatus status) {
        return switch (status) {
            case RUNNING -> "Running";
            case COMPLETED -> "Completed";
            case HELD -> "Holding";
            case CANCELLED -> "Aborted";
            case RELEASED, DISPATCHED -> "Ready";
        };
    }

    private static JsonObject scope(final ThingId equipment, final String level) {
        return JsonOut.object().put("EquipmentID", equipment).put("EquipmentElementLevel", level).build();
    }

    private static JsonObject quantity(final double value, final String unit) {
        return JsonOut.object()
                .put("QuantityString", JsonOut.decimal(value))
                .put("DataType", DECIMAL)
                .put("UnitOfMeasure", unit)
                .build();
    }

    private static Instant startedAt(final WorkOrderTwin order) {
        return order.status().times().get(WorkOrderStatus.RUNNING);
    }

    private static Instant completedAt(final WorkOrderTwin order) {
        return order.status().times().get(WorkOrderStatus.COMPLETED);
    }

    /**
     * An order with its planned times: its status's plan, else the line queue's; a running order without a planned
     * start starts when it started running.
     */
    private record Planned(WorkOrderTwin order, Instant start, Instant end) {

        static Planned of(final WorkOrderTwin order, final LineTwin.ScheduleEntry entry) {
            Instant start = order.status().plannedStart() != null ? order.status().plannedStart()
                    : entry == null ? null : entry.plannedStart();
            if (start == null && order.status().status() == WorkOrderStatus.RUNNING) {
                start = startedAt(order);
            }
            final Instant end = order.status().plannedEnd() != null ? order.status().plannedEnd()
                    : entry == null ? null : entry.plannedEnd();
            return new Planned(order, start, end);
        }
    }
}
