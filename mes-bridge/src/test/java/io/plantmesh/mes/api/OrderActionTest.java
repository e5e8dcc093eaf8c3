package io.plantmesh.mes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

class OrderActionTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-30T09:00:00Z");

    static WorkOrderTwin released() {
        return WorkOrderTwin.initial(PlantThingIds.workOrder("plant1", 42), "FG-1", 100,
                Instant.parse("2026-12-01T16:00:00Z"), PlantThingIds.line("plant1", 1), 5, List.of(), T0);
    }

    static WorkOrderTwin heldFor(final String reasonCode) {
        final WorkOrderTwin held = released().withStatus(WorkOrderStatus.HELD, T0, "held by the MES");
        return held.withStatusEntry(held.status().withReasonCode(reasonCode));
    }

    @Test
    void holdMakesTheOrderHeldWithReasonCodeManualAndKeepsTheMachine() {
        final WorkOrderTwin dispatched = released().dispatchTo(PlantThingIds.machine("plant1", 1, 3), T0);

        final WorkOrderTwin held = OrderAction.HOLD.apply(dispatched, T1, "waiting for drawings");

        assertThat(held.status().status()).isEqualTo(WorkOrderStatus.HELD);
        assertThat(held.status().reasonCode()).isEqualTo("MANUAL");
        assertThat(held.status().reason()).isEqualTo("waiting for drawings");
        assertThat(held.status().machine().toString()).isEqualTo("plant1:machine-1-03");
        assertThat(held.status().times()).containsEntry(WorkOrderStatus.HELD, T1);
    }

    @Test
    void holdWithoutReasonWritesAStandardReason() {
        assertThat(OrderAction.HOLD.apply(released(), T1, null).status().reason())
                .isEqualTo("held through the MES API");
    }

    @Test
    void holdOfAHeldOrderIsIllegalAndNamesFromToAndAllowed() {
        assertThatThrownBy(() -> OrderAction.HOLD.apply(heldFor("QUALITY"), T1, null))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.error()).isEqualTo("mes:transition.illegal");
                    assertThat(e.getMessage()).contains("HELD -> HELD").contains("Allowed now: resume, cancel");
                    assertThat(e.description()).contains("/work-orders/{id}");
                });
    }

    @Test
    void resumeLiftsAnyHoldAndClearsTheReasonCode() {
        final WorkOrderTwin resumed = OrderAction.RESUME.apply(heldFor("QUALITY"), T1, null);

        assertThat(resumed.status().status()).isEqualTo(WorkOrderStatus.RELEASED);
        assertThat(resumed.status().reasonCode()).isNull();
        assertThat(resumed.status().reason()).contains("was held for QUALITY");
    }

    @Test
    void releaseLiftsAManualHold() {
        final WorkOrderTwin held = OrderAction.HOLD.apply(released(), T0, null);

        assertThat(OrderAction.RELEASE.apply(held, T1, null).status().status()).isEqualTo(WorkOrderStatus.RELEASED);
    }

    @Test
    void releaseRefusesAHoldTheMesPlacedAndPointsToResume() {
        assertThatThrownBy(() -> OrderAction.RELEASE.apply(heldFor("QUALITY"), T1, null))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.error()).isEqualTo("mes:transition.illegal");
                    assertThat(e.getMessage()).contains("HELD for QUALITY").contains("resume");
                });
    }

    @Test
    void releaseAndResumeOfAnOrderThatIsNotHeldAreIllegal() {
        final WorkOrderTwin dispatched = released().dispatchTo(PlantThingIds.machine("plant1", 1, 3), T0);

        for (final OrderAction action : List.of(OrderAction.RELEASE, OrderAction.RESUME)) {
            assertThatThrownBy(() -> action.apply(dispatched, T1, null))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage())
                            .contains("DISPATCHED -> RELEASED").contains("Allowed now: hold, cancel"));
        }
    }

    @Test
    void cancelMovesAnyOpenOrderToCancelledAndACancelledOrderIsFinal() {
        final WorkOrderTwin cancelled = OrderAction.CANCEL.apply(heldFor("MATERIAL_SHORTAGE"), T1, null);
        assertThat(cancelled.status().status()).isEqualTo(WorkOrderStatus.CANCELLED);

        assertThatThrownBy(() -> OrderAction.CANCEL.apply(cancelled, T1, null))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.getMessage())
                        .contains("CANCELLED -> CANCELLED").contains("none, CANCELLED is final"));
    }

    @Test
    void allowedActionsFollowTheStatus() {
        assertThat(OrderAction.allowedFor(released())).containsExactly(OrderAction.HOLD, OrderAction.CANCEL);
        assertThat(OrderAction.allowedFor(heldFor("MANUAL")))
                .containsExactly(OrderAction.RELEASE, OrderAction.RESUME, OrderAction.CANCEL);
        assertThat(OrderAction.allowedFor(heldFor("QUALITY"))).containsExactly(OrderAction.RESUME,
                OrderAction.CANCEL);
        assertThat(OrderAction.allowedFor(OrderAction.CANCEL.apply(released(), T1, null))).isEmpty();
    }
}
