package io.plantmesh.twin.model.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.plantmesh.twin.model.IllegalTransitionException;

class MachineStateTest {

    /** The full 5x5 table, written out independently of the enum's switch. */
    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "IDLE,RUNNING,true", "IDLE,SETUP,true", "IDLE,MAINTENANCE,true", "IDLE,DOWN,true", "IDLE,IDLE,false",
            "SETUP,IDLE,true", "SETUP,RUNNING,true", "SETUP,DOWN,true", "SETUP,MAINTENANCE,false",
            "SETUP,SETUP,false",
            "RUNNING,IDLE,true", "RUNNING,DOWN,true", "RUNNING,SETUP,false", "RUNNING,MAINTENANCE,false",
            "RUNNING,RUNNING,false",
            "DOWN,MAINTENANCE,true", "DOWN,IDLE,true", "DOWN,RUNNING,false", "DOWN,SETUP,false", "DOWN,DOWN,false",
            "MAINTENANCE,IDLE,true", "MAINTENANCE,DOWN,true", "MAINTENANCE,RUNNING,false",
            "MAINTENANCE,SETUP,false", "MAINTENANCE,MAINTENANCE,false"
    })
    void transitionTable(final MachineState from, final MachineState to, final boolean legal) {
        assertThat(from.canTransitionTo(to)).isEqualTo(legal);
        if (legal) {
            assertThat(from.transitionTo(to)).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> from.transitionTo(to)).isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void everyStateCanGoDownExceptDownItself() {
        for (final MachineState state : MachineState.values()) {
            assertThat(state.canTransitionTo(MachineState.DOWN)).isEqualTo(state != MachineState.DOWN);
        }
    }

    @Test
    void illegalMoveNamesFromToAndAllowed() {
        assertThatThrownBy(() -> MachineState.RUNNING.transitionTo(MachineState.MAINTENANCE))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("from RUNNING to MAINTENANCE")
                .hasMessageContaining("allowed from RUNNING: [IDLE, DOWN]")
                .satisfies(e -> {
                    final IllegalTransitionException ite = (IllegalTransitionException) e;
                    assertThat(ite.from()).isEqualTo(MachineState.RUNNING);
                    assertThat(ite.to()).isEqualTo(MachineState.MAINTENANCE);
                });
    }
}
