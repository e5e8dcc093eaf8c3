package io.plantmesh.mes.api;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.client.TwinAccess;
import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.PlantThingId;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Creates, reads and moves work-order twins for the MES API. Holds no state of its own: every answer comes from the
 * twins, every status change is a merge of {@code features/status} conditional on the revision it was decided from
 * ({@code If-Match}); when the order moved on meanwhile (412) it is read again and the action decided again, up to
 * {@link #CONFLICT_RETRIES} times. Futures complete on the calling Vert.x context.
 */
final class WorkOrders {

    private static final Logger LOG = LoggerFactory.getLogger(WorkOrders.class);

    /** How often an action is decided again after the order moved on under it (412). */
    static final int CONFLICT_RETRIES = 3;
    /** How many generated numbers a create tries before it gives up (409 each: someone else took it). */
    static final int CREATE_ATTEMPTS = 5;

    private final ApiTwins twins;
    private final MesApiConfig config;
    private final Vertx vertx;

    WorkOrders(final ApiTwins twins, final MesApiConfig config, final Vertx vertx) {
        this.twins = twins;
        this.config = config;
        this.vertx = vertx;
    }

    /** A work order as read or written, with the twin's revision. */
    record Versioned(WorkOrderTwin order, long revision) {
    }

    /** The order. @return fails with 404 {@code mes:workorder.notfound} if it does not exist */
    Future<Versioned> get(final ThingId id) {
        return twin(twins.retrieve(id)).map(found -> {
            final Thing thing = found.orElseThrow(() -> ApiError.workOrderNotFound(id));
            final long revision = thing.getRevision().map(r -> r.toLong()).orElseThrow(() -> new ApiError(500,
                    ApiError.INTERNAL, "The twin server returned " + id + " without its revision.",
                    "The MES API needs a Ditto-compatible twin server that returns _revision."));
            return new Versioned(WorkOrderTwin.fromThing(thing), revision);
        });
    }

    /**
     * Creates the order RELEASED with the configured policy: under the given id, or under the next free number of
     * the line's plant.
     *
     * @return fails with 400 if the order is invalid or its line does not exist, 409 {@code mes:workorder.exists}
     * if the id is taken
     */
    Future<Versioned> create(final NewWorkOrder request) {
        final Instant now = config.clock().instant();
        final String plant = request.line().getNamespace();
        // checked before anything is read, so that a bad order is a 400 whatever the twins hold
        request.toTwin(request.id() != null ? request.id() : PlantThingIds.workOrder(plant, 1), now);
        return twin(twins.retrieve(request.line())).compose(line -> {
            if (line.isEmpty()) {
                throw ApiError.badRequest("The line '" + request.line() + "' of the work order does not exist or "
                        + "is not visible to the MES.", "Create the order for an existing line (e.g. plant1:line-1).");
            }
            if (request.id() != null) {
                return createAs(request.toTwin(request.id(), now)).recover(e -> Future.failedFuture(
                        TwinAccess.status(e) == 409 ? exists(request.id()) : ApiError.fromTwins(e, twins.endpoint())));
            }
            return createNext(request, plant, now, 0, 1);
        });
    }

    private Future<Versioned> createNext(final NewWorkOrder request, final String plant, final Instant now,
            final long lastTried, final int attempt) {
        return vertx.executeBlocking(() -> twins.search(List.of(plant), "eq(definition,\""
                + PlantDefinitions.WORK_ORDER + "\")").stream().map(thing -> thing.getEntityId().orElse(null))
                .toList(), false)
                .recover(e -> Future.failedFuture(ApiError.fromTwins(e, twins.endpoint())))
                .compose(ids -> {
                    final long number = nextNumber(ids, plant, lastTried);
                    final ThingId id = PlantThingIds.workOrder(plant, number);
                    return createAs(request.toTwin(id, now)).recover(e -> {
                        final boolean taken = TwinAccess.status(e) == 409;
                        if (!taken) {
                            return Future.failedFuture(ApiError.fromTwins(e, twins.endpoint()));
                        }
                        if (attempt >= CREATE_ATTEMPTS) {
                            return Future.failedFuture(new ApiError(409, ApiError.WORK_ORDER_EXISTS, "Could not find "
                                    + "a free work order number in plant " + plant + " after " + attempt
                                    + " attempts (last tried " + id + ").", "Others are creating orders at the same "
                                    + "time; try again, or give the order an id."));
                        }
                        LOG.debug("{} was taken meanwhile; trying the next number", id);
                        return createNext(request, plant, now, number, attempt + 1);
                    });
                });
    }

    /**
     * The next free order number: one above the highest work order number of the plant among {@code ids}, and
     * above {@code lastTried}.
     */
    static long nextNumber(final Collection<ThingId> ids, final String plant, final long lastTried) {
        long highest = lastTried;
        for (final ThingId id : ids) {
            if (id == null) {
                continue;
            }
            final Optional<PlantThingId> parsed = PlantThingIds.tryParse(id);
            final boolean ours = parsed.isPresent() && parsed.get().kind() == TwinKind.WORK_ORDER
                    && parsed.get().plant().equals(plant);
            if (ours) {
                highest = Math.max(highest, Long.parseLong(parsed.get().key()));
            }
        }
        return highest + 1;
    }

    private Future<Versioned> createAs(final WorkOrderTwin order) {
        Thing thing = order.toThing();
        if (config.ordersPolicy() != null) {
            thing = thing.setPolicyId(config.ordersPolicy());
        }
        return Future.fromCompletionStage(twins.create(thing.toJson()), vertx.getOrCreateContext())
                .map(created -> {
                    LOG.info("Work order {} created through the MES API: {} x {} on {}, due {}", order.id(),
                            JsonOut.decimal(order.quantity()), order.material(), order.line(), order.dueDate());
                    return new Versioned(order, created.getRevision().map(r -> r.toLong()).orElse(1L));
                });
    }

    /**
     * Applies the action to the order's current state and writes the new status if the order is still at the
     * revision it was decided from.
     *
     * @return fails with 404 if the order does not exist, 409 {@code mes:transition.illegal} if the action does not
     * apply to its status, 409 {@code mes:transition.conflict} if it kept changing
     */
    Future<Versioned> act(final ThingId id, final OrderAction action, final String reason) {
        return act(id, action, reason, 0);
    }

    private Future<Versioned> act(final ThingId id, final OrderAction action, final String reason,
            final int retries) {
        return get(id).compose(before -> {
            final WorkOrderTwin after = action.apply(before.order(), config.clock().instant(), reason);
            final JsonObject patch = statusPatch(before.order(), after);
            return Future.fromCompletionStage(twins.mergeIfRevision(id, patch, before.revision()),
                    vertx.getOrCreateContext())
                    .map(v -> {
                        LOG.info("Work order {} {} -> {} through the MES API ({}){}", id,
                                before.order().status().status(), after.status().status(), action.pathName(),
                                reason == null ? "" : ": " + reason);
                        return new Versioned(after, before.revision() + 1);
                    })
                    .recover(e -> {
                        final boolean movedOn = TwinAccess.status(e) == 412;
                        if (!movedOn) {
                            return Future.failedFuture(ApiError.fromTwins(e, twins.endpoint()));
                        }
                        if (retries >= CONFLICT_RETRIES) {
                            return Future.failedFuture(new ApiError(409, ApiError.TRANSITION_CONFLICT, "Could not "
                                    + action.pathName() + " " + id + ": the order changed under every one of "
                                    + (retries + 1) + " attempts (last read at revision " + before.revision()
                                    + ").", "The order is changing fast (e.g. the MES is counting its progress); "
                                    + "read it and try again."));
                        }
                        LOG.debug("{} moved on since revision {}; deciding {} again", id, before.revision(),
                                action.pathName());
                        return act(id, action, reason, retries + 1);
                    });
        });
    }

    /**
     * {@code {"features": {"status": {"properties": ...}}}}: the new status properties as a merge patch over the old
     * ones, with every property the new status no longer has set to null (deleted).
     */
    static JsonObject statusPatch(final WorkOrderTwin before, final WorkOrderTwin after) {
        final JsonObject oldProps = before.status().toJson();
        final JsonObject newProps = after.status().toJson();
        final JsonObjectBuilder props = newProps.toBuilder();
        for (final JsonKey key : oldProps.getKeys()) {
            if (!newProps.contains(key)) {
                props.set(key, JsonFactory.nullLiteral());
            }
        }
        return JsonObject.newBuilder()
                .set(JsonFactory.newKey("features"), JsonObject.newBuilder()
                        .set(JsonFactory.newKey(WorkOrderTwin.STATUS), JsonObject.newBuilder()
                                .set(JsonFactory.newKey("properties"), props.build())
                                .build())
                        .build())
                .build();
    }

    private ApiError exists(final ThingId id) {
        return new ApiError(409, ApiError.WORK_ORDER_EXISTS, "The work order '" + id + "' exists already.",
                "Give the new order another id, or leave the id out to get the next free number.");
    }

    private <T> Future<T> twin(final CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, vertx.getOrCreateContext())
                .recover(e -> Future.failedFuture(ApiError.fromTwins(e, twins.endpoint())));
    }
}
