package io.plantmesh.twin.model.workorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import io.plantmesh.twin.model.IllegalTransitionException;

class WorkOrderStatusTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "RELEASED,DISPATCHED", "RELEASED,HELD", "RELEASED,CANCELLED",
            "DISPATCHED,RUNNING", "DISPATCHED,RELEASED", "DISPATCHED,HELD", "DISPATCHED,CANCELLED",
            "RUNNING,COMPLETED", "RUNNING,DISPATCHED", "RUNNING,RELEASED", "RUNNING,HELD", "RUNNING,CANCELLED",
            "HELD,RELEASED", "HELD,CANCELLED"
    })
    void legalTransitions(final WorkOrderStatus from, final WorkOrderStatus to) {
        assertThat(from.canTransitionTo(to)).isTrue();
        assertThat(from.transitionTo(to)).isEqualTo(to);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "RELEASED,RUNNING", "RELEASED,COMPLETED", "RELEASED,RELEASED",
            "DISPATCHED,COMPLETED",
            "HELD,RUNNING", "HELD,DISPATCHED", "HELD,COMPLETED",
            "COMPLETED,RELEASED", "COMPLETED,CANCELLED", "CANCELLED,RELEASED", "CANCELLED,RUNNING"
    })
    void illegalTransitions(final WorkOrderStatus from, final WorkOrderStatus to) {
        assertThat(from.canTransitionTo(to)).isFalse();
        assertThatThrownBy(() -> from.transitionTo(to))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("from " + from + " to " + to);
    }

    @ParameterizedTest
    @EnumSource(value = WorkOrderStatus.class, names = {"COMPLETED", "CANCELLED"})
    void terminalStatesAllowNothing(final WorkOrderStatus terminal) {
        assertThat(terminal.isTerminal()).isTrue();
        assertThat(terminal.allowedNext()).isEmpty();
        for (final WorkOrderStatus any : WorkOrderStatus.values()) {
            assertThat(terminal.canTransitionTo(any)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = WorkOrderStatus.class, names = {"RELEASED", "DISPATCHED", "RUNNING", "HELD"})
    void everyOpenStatusCanBeCancelled(final WorkOrderStatus open) {
        assertThat(open.isTerminal()).isFalse();
        assertThat(open.canTransitionTo(WorkOrderStatus.CANCELLED)).isTrue();
    }

    @Test
    void messageForFinalStatusSaysItIsFinal() {
        assertThatThrownBy(() -> WorkOrderStatus.COMPLETED.transitionTo(WorkOrderStatus.RUNNING))
                .hasMessage("Work order status cannot change from COMPLETED to RUNNING; allowed from COMPLETED: "
                        + "none, COMPLETED is final");
    }

    @Test
    void messageListsAllowedTargets() {
        assertThatThrownBy(() -> WorkOrderStatus.HELD.transitionTo(WorkOrderStatus.RUNNING))
                .hasMessageContaining("allowed from HELD: [RELEASED, CANCELLED]");
    }
}
