package io.plantmesh.mes.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.TwinFormatException;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * What the MES API shows of a line: its schedule queue with each queued order's state, and the B2MML views of its
 * orders. Read from the twins on every request. Futures complete on the calling Vert.x context.
 */
final class LineViews {

    private static final Logger LOG = LoggerFactory.getLogger(LineViews.class);

    private final ApiTwins twins;
    private final MesApiConfig config;
    private final Vertx vertx;

    LineViews(final ApiTwins twins, final MesApiConfig config, final Vertx vertx) {
        this.twins = twins;
        this.config = config;
        this.vertx = vertx;
    }

    /** The line. @return fails with 404 {@code mes:line.notfound} if it does not exist */
    Future<LineTwin> line(final ThingId id) {
        return Future.fromCompletionStage(twins.retrieve(id), vertx.getOrCreateContext())
                .recover(e -> Future.failedFuture(ApiError.fromTwins(e, twins.endpoint())))
                .map(found -> LineTwin.fromThing(found.orElseThrow(() -> ApiError.lineNotFound(id))));
    }

    /**
     * {@code {"line", "name", "plant", "queue": [...], "maintenance": [...]}}: the line twin's schedule queue in
     * order, each entry with the queued order's status, reason code, priority, due date, material, quantity and
     * progress (read from the order; left out, with {@code "missing": true}, if the order twin is gone or not a valid
     * work order), and the maintenance windows of the line's machines that are not over, by start.
     */
    Future<JsonObject> schedule(final ThingId lineId) {
        return line(lineId).compose(line -> {
            final List<Future<Optional<Thing>>> reads = line.schedule().stream()
                    .map(entry -> Future.fromCompletionStage(twins.retrieve(entry.workOrder()),
                            vertx.getOrCreateContext()))
                    .toList();
            final List<Future<Optional<Thing>>> machines = line.machines().stream()
                    .map(id -> Future.fromCompletionStage(twins.retrieve(id), vertx.getOrCreateContext()))
                    .toList();
            final List<Future<Optional<Thing>>> all = new ArrayList<>(reads);
            all.addAll(machines);
            return Future.all(all)
                    .recover(e -> Future.failedFuture(ApiError.fromTwins(e, twins.endpoint())))
                    .map(done -> {
                        final List<JsonObject> queue = new ArrayList<>();
                        for (int i = 0; i < line.schedule().size(); i++) {
                            queue.add(entry(i + 1, line.schedule().get(i), reads.get(i).result()));
                        }
                        final List<Thing> machineThings = machines.stream().map(Future::result)
                                .flatMap(Optional::stream).toList();
                        return JsonOut.object()
                                .put("line", line.id())
                                .put("name", line.name())
                                .put("plant", line.plant())
                                .putArray("queue", queue)
                                .putArray("maintenance", MaintenanceWindows.open(machineThings,
                                        config.clock().instant()))
                                .build();
                    });
        });
    }

    private static JsonObject entry(final int position, final LineTwin.ScheduleEntry entry,
            final Optional<Thing> orderThing) {
        final JsonOut json = JsonOut.object()
                .put("position", position)
                .put("workOrder", entry.workOrder())
                .put("machine", entry.machine())
                .put("plannedStart", entry.plannedStart())
                .put("plannedEnd", entry.plannedEnd());
        final Optional<WorkOrderTwin> read = orderThing.flatMap(LineViews::readable);
        if (read.isEmpty()) {
            return json.put("missing", true).build();
        }
        final WorkOrderTwin order = read.get();
        return json
                .put("status", order.status().status())
                .put("reasonCode", order.status().reasonCode())
                .put("priority", order.priority())
                .put("dueDate", order.dueDate())
                .put("material", order.material())
                .put("quantity", order.quantity())
                .put("progress", WorkOrderJson.progress(order))
                .build();
    }

    /** {@code {"ProductionSchedule": ...}} of the line. */
    Future<JsonObject> productionSchedule(final ThingId lineId) {
        return line(lineId).compose(line -> orders(line.id(), B2mmlViews.SCHEDULED)
                .map(orders -> B2mmlViews.productionSchedule(line, orders, config.clock().instant())));
    }

    /** {@code {"ProductionPerformance": ...}} of the line; completed orders only from {@code since} if given. */
    Future<JsonObject> productionPerformance(final ThingId lineId, final Instant since) {
        return line(lineId).compose(line -> orders(line.id(), B2mmlViews.PERFORMED)
                .map(orders -> B2mmlViews.productionPerformance(line, orders, config.clock().instant(), since)));
    }

    /** The line's work orders in the statuses, found by search (off the event loop). */
    private Future<List<WorkOrderTwin>> orders(final ThingId line, final Set<WorkOrderStatus> statuses) {
        final String filter = "and(eq(definition,\"" + PlantDefinitions.WORK_ORDER + "\"),eq(attributes/line,\""
                + line + "\"),in(features/status/properties/status," + statuses.stream()
                .map(s -> "\"" + s.name() + "\"").collect(Collectors.joining(",")) + "))";
        return vertx.executeBlocking(() -> twins.search(List.of(), filter), false)
                .recover(e -> Future.failedFuture(ApiError.fromTwins(e, twins.endpoint())))
                .map(things -> things.stream().map(LineViews::readable).flatMap(Optional::stream).toList());
    }

    /** The thing as a work order, or empty (with a warning) if it is not a valid one. */
    private static Optional<WorkOrderTwin> readable(final Thing thing) {
        try {
            return Optional.of(WorkOrderTwin.fromThing(thing));
        } catch (final TwinFormatException e) {
            LOG.warn("The MES API left out {}: it is not a valid work order twin ({})",
                    thing.getEntityId().map(Object::toString).orElse("a thing"), e.getMessage());
            return Optional.empty();
        }
    }
}
