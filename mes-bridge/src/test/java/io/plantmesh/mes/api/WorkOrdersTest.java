package io.plantmesh.mes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingPreconditionFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

class WorkOrdersTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    private final Vertx vertx = Vertx.vertx();
    private final OneOrder twins = new OneOrder(OrderActionTest.released(), 7);
    private final WorkOrders orders = new WorkOrders(twins,
            new MesApiConfig(null, Clock.fixed(NOW, ZoneOffset.UTC)), vertx);

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void writesTheNewStatusConditionalOnTheRevisionItRead() throws Exception {
        final WorkOrders.Versioned held = await(orders.act(twins.order.id(), OrderAction.HOLD, "check"));

        assertThat(held.order().status().status()).isEqualTo(WorkOrderStatus.HELD);
        assertThat(held.revision()).isEqualTo(8);
        assertThat(twins.mergeRevisions).containsExactly(7L);
        final JsonObject props = twins.patches.get(0).getValue(JsonPointer.of("/features/status/properties"))
                .orElseThrow().asObject();
        assertThat(props.getValue("status").orElseThrow().asString()).isEqualTo("HELD");
        assertThat(props.getValue("reasonCode").orElseThrow().asString()).isEqualTo("MANUAL");
        assertThat(props.getValue(JsonPointer.of("/times/HELD")).orElseThrow().asString()).isEqualTo(NOW.toString());
    }

    @Test
    void rereadsAndDecidesAgainWhenTheOrderMovedOn() throws Exception {
        twins.conflictsLeft = 2;

        final WorkOrders.Versioned held = await(orders.act(twins.order.id(), OrderAction.HOLD, null));

        assertThat(held.order().status().status()).isEqualTo(WorkOrderStatus.HELD);
        // every attempt reads again and writes conditional on the revision it just read
        assertThat(twins.mergeRevisions).containsExactly(7L, 8L, 9L);
        assertThat(held.revision()).isEqualTo(10);
    }

    @Test
    void givesUpWith409AfterThreeRetries() {
        twins.conflictsLeft = 100;

        assertThatThrownBy(() -> await(orders.act(twins.order.id(), OrderAction.CANCEL, null)))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.error()).isEqualTo("mes:transition.conflict");
                    assertThat(e.getMessage()).contains("4 attempts");
                });
        assertThat(twins.mergeRevisions).hasSize(1 + WorkOrders.CONFLICT_RETRIES);
    }

    @Test
    void anIllegalActionWritesNothing() {
        assertThatThrownBy(() -> await(orders.act(twins.order.id(), OrderAction.RESUME, null)))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.error())
                        .isEqualTo("mes:transition.illegal"));
        assertThat(twins.mergeRevisions).isEmpty();
    }

    @Test
    void anUnknownOrderIs404() {
        assertThatThrownBy(() -> await(orders.get(PlantThingIds.workOrder("plant1", 999))))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.error()).isEqualTo("mes:workorder.notfound");
                });
    }

    @Test
    void theStatusPatchDeletesWhatTheNewStatusNoLongerHas() {
        final WorkOrderTwin held = OrderAction.HOLD.apply(OrderActionTest.released(), NOW, null);
        final WorkOrderTwin resumed = OrderAction.RESUME.apply(held, NOW.plusSeconds(1), null);

        final JsonObject props = WorkOrders.statusPatch(held, resumed)
                .getValue(JsonPointer.of("/features/status/properties")).orElseThrow().asObject();

        assertThat(props.getValue("reasonCode").orElseThrow().isNull()).isTrue();
        assertThat(props.getValue("status").orElseThrow().asString()).isEqualTo("RELEASED");
    }

    @Test
    void theNextNumberIsAboveTheHighestOfThePlantAndAboveTheLastTried() {
        final List<ThingId> ids = List.of(PlantThingIds.workOrder("plant1", 100041),
                PlantThingIds.workOrder("plant1", 7), PlantThingIds.workOrder("plant2", 900000),
                PlantThingIds.line("plant1", 1));

        assertThat(WorkOrders.nextNumber(ids, "plant1", 0)).isEqualTo(100042);
        assertThat(WorkOrders.nextNumber(ids, "plant1", 100050)).isEqualTo(100051);
        assertThat(WorkOrders.nextNumber(List.of(), "plant1", 0)).isEqualTo(1);
    }

    private static <T> T await(final Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /**
     * One work order twin; a merge fails with 412 while {@code conflictsLeft > 0}, as if another writer had changed
     * the order just before (its revision moves on).
     */
    private static final class OneOrder implements ApiTwins {

        final WorkOrderTwin order;
        long revision;
        int conflictsLeft;
        final List<Long> mergeRevisions = new ArrayList<>();
        final List<JsonObject> patches = new ArrayList<>();

        OneOrder(final WorkOrderTwin order, final long revision) {
            this.order = order;
            this.revision = revision;
        }

        @Override
        public synchronized CompletionStage<Optional<Thing>> retrieve(final ThingId id) {
            final boolean known = id.equals(order.id());
            return CompletableFuture.completedFuture(known
                    ? Optional.of(order.toThing().toBuilder().setRevision(revision).build()) : Optional.empty());
        }

        @Override
        public synchronized CompletionStage<Void> mergeIfRevision(final ThingId id, final JsonObject patch,
                final long expected) {
            mergeRevisions.add(expected);
            if (conflictsLeft > 0 || expected != revision) {
                conflictsLeft--;
                revision++;
                return CompletableFuture.failedFuture(ThingPreconditionFailedException
                        .newBuilder("if-match", "\"rev:" + expected + "\"", "\"rev:" + revision + "\"").build());
            }
            patches.add(patch);
            revision++;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Thing> create(final JsonObject thing) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("not used"));
        }

        @Override
        public List<Thing> search(final List<String> namespaces, final String filter) {
            return List.of();
        }

        @Override
        public String endpoint() {
            return "fake twins";
        }
    }
}
