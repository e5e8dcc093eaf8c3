package io.plantmesh.mes.api;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.model.TwinFormatException;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.machine.MaintenanceWindow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Maintenance windows of machines for the MES API. Like the rest of the API it keeps no state and never dispatches: a
 * window is a key of the machine twin's {@code features/maintenance/properties/windows}, written by an unconditional
 * merge of that key alone (no other writer's change can be lost); the MES reconcilers then plan around it. Windows
 * that ended more than {@link #KEEP_ENDED} ago are removed with the next new window. Futures complete on the calling
 * Vert.x context.
 */
final class MaintenanceWindows {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceWindows.class);

    /** Ended windows are kept this long as history. */
    static final Duration KEEP_ENDED = Duration.ofDays(7);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm")
            .withZone(ZoneOffset.UTC);

    private final ApiTwins twins;
    private final MesApiConfig config;
    private final Vertx vertx;

    MaintenanceWindows(final ApiTwins twins, final MesApiConfig config, final Vertx vertx) {
        this.twins = twins;
        this.config = config;
        this.vertx = vertx;
    }

    /** The machine. @return fails with 404 {@code mes:machine.notfound} if it does not exist */
    Future<MachineTwin> machine(final ThingId id) {
        return Future.fromCompletionStage(twins.retrieve(id), vertx.getOrCreateContext())
                .recover(e -> Future.failedFuture(ApiError.fromTwins(e, twins.endpoint())))
                .map(found -> MachineTwin.fromThing(found.orElseThrow(() -> ApiError.machineNotFound(id))));
    }

    /**
     * Plans a window on the machine.
     *
     * @return the machine and the new window; fails with 404 if the machine does not exist, 409
     * {@code mes:maintenance.overlap} if the window overlaps one that is not over yet
     */
    Future<JsonObject> plan(final ThingId machineId, final NewMaintenanceWindow request) {
        final Instant now = config.clock().instant();
        return machine(machineId).compose(machine -> {
            final Optional<MaintenanceWindow> overlapping = machine.maintenance().stream()
                    .filter(w -> w.openAt(now) && w.start().isBefore(request.end()) && request.start().isBefore(
                            w.end()))
                    .findFirst();
            if (overlapping.isPresent()) {
                final MaintenanceWindow w = overlapping.get();
                return Future.failedFuture(new ApiError(409, ApiError.MAINTENANCE_OVERLAP, "The window " + request
                        .start() + " .. " + request.end() + " overlaps window " + w.id() + " (" + w.start() + " .. "
                        + w.end() + ") of " + machineId + ".", "The machine is already reserved then; read its "
                        + "windows (GET /api/mes/v1/machines/" + machineId + "/maintenance-windows) and ask for "
                        + "a time after " + w.end() + ", or use the existing window."));
            }
            final String id = "mw-" + ID_TIME.format(request.start()) + "-" + String.format("%04x",
                    ThreadLocalRandom.current().nextInt(0x10000));
            final MaintenanceWindow window = new MaintenanceWindow(id, request.start(), request.end(),
                    request.reason(), request.requestedBy(), request.failureMode(), now);
            final JsonObjectBuilder windows = JsonObject.newBuilder().set(JsonFactory.newKey(id), window.toJson());
            machine.maintenance().stream()
                    .filter(w -> w.end().plus(KEEP_ENDED).isBefore(now))
                    .forEach(w -> windows.set(JsonFactory.newKey(w.id()), JsonValue.nullLiteral()));
            final JsonObject patch = JsonObject.newBuilder().set("features", JsonObject.newBuilder()
                    .set(MachineTwin.MAINTENANCE, JsonObject.newBuilder().set("properties", JsonObject.newBuilder()
                            .set("windows", windows.build()).build()).build()).build()).build();
            return Future.fromCompletionStage(twins.merge(machineId, patch), vertx.getOrCreateContext())
                    .recover(e -> Future.failedFuture(ApiError.fromTwins(e, twins.endpoint())))
                    .map(v -> {
                        LOG.info("Maintenance window {} planned on {}: {} .. {} ({}, requested by {})", id,
                                machineId, window.start(), window.end(), window.reason(), window.requestedBy());
                        return json(machineId, window, now);
                    });
        });
    }

    /** {@code {"machine", "windows": [...]}}: the machine's windows by start, with {@code active}. */
    Future<JsonObject> list(final ThingId machineId) {
        final Instant now = config.clock().instant();
        return machine(machineId).map(machine -> JsonOut.object()
                .put("machine", machineId)
                .putArray("windows", machine.maintenance().stream().map(w -> json(null, w, now)).toList())
                .build());
    }

    /** The open windows of these machines (already read), for a line's schedule. */
    static List<JsonObject> open(final List<Thing> machines, final Instant now) {
        return machines.stream()
                .flatMap(thing -> {
                    final MachineTwin m;
                    try {
                        m = MachineTwin.fromThing(thing);
                    } catch (final TwinFormatException e) {
                        LOG.warn("The MES API left out the maintenance windows of {}: it is not a valid machine twin "
                                + "({})", thing.getEntityId().map(Object::toString).orElse("a thing"),
                                e.getMessage());
                        return java.util.stream.Stream.empty();
                    }
                    return m.maintenance().stream().filter(w -> w.openAt(now)).map(w -> json(m.id(), w, now));
                })
                .sorted(java.util.Comparator.comparing(j -> j.getValue("start").map(JsonValue::asString)
                        .orElse("")))
                .toList();
    }

    static JsonObject json(final ThingId machine, final MaintenanceWindow w, final Instant now) {
        return JsonOut.object()
                .put("machine", machine)
                .put("id", w.id())
                .put("start", w.start())
                .put("end", w.end())
                .put("active", w.activeAt(now))
                .put("reason", w.reason())
                .put("requestedBy", w.requestedBy())
                .put("failureMode", w.failureMode())
                .put("requestedAt", w.requestedAt())
                .build();
    }
}
