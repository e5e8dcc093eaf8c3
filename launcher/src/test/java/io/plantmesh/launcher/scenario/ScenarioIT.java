package io.plantmesh.launcher.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A short scenario on a reduced plant (one line of 10 machines, plant time 120x, faults every plant hour, orders of
 * 15 plant minutes), baseline then mesh with the same seed; asserts what must hold whatever the machine's speed.
 */
class ScenarioIT {

    @Test
    void meshIsFasterNotLessEfficientAndBooksAreExact() {
        final ScenarioSettings settings = ScenarioSettings.defaults()
                .withModes(List.of(ScenarioMode.BASELINE, ScenarioMode.MESH))
                .withPlant(10, 1)
                .withDuration(Duration.ofSeconds(60))
                .withWarmUp(Duration.ofSeconds(8))
                .withTimeScale(90)
                .withBaseline(Duration.ofMinutes(10), Duration.ofMinutes(15))
                .withFaults(Duration.ofHours(1), Duration.ofMinutes(10))
                .withOrderWork(Duration.ofMinutes(15));
        final Scenario.Outcome outcome = Scenario.run(settings, line -> System.out.println("[scenario] " + line));
        System.out.println(outcome.table());
        final ModeResult baseline = outcome.mode(ScenarioMode.BASELINE).orElseThrow();
        final ModeResult mesh = outcome.mode(ScenarioMode.MESH).orElseThrow();

        for (final ModeResult r : List.of(baseline, mesh)) {
            assertThat(r.deviceMessages()).as(r.mode() + ": device messages").isPositive();
            assertThat(r.twinMessages()).as(r.mode() + ": every device message reached twin ingestion")
                    .isGreaterThanOrEqualTo(r.deviceMessages());
            assertThat(r.appliedMessages()).as(r.mode() + ": twin ingestion applied every record")
                    .isGreaterThanOrEqualTo(r.twinMessages());
            assertThat(r.deadLettered()).as(r.mode() + ": dead letters").isZero();
            assertThat(r.messagesComplete()).as(r.mode() + ": messages complete").isTrue();
        }
        assertThat(mesh.books().exact()).as("mesh: ERP books " + mesh.books().summary()).isTrue();
        assertThat(mesh.books().completedOrders()).as("mesh: completed orders").isPositive();

        final Latencies.Summary meshState = mesh.latencies().get(Latencies.STATE_MES);
        final Latencies.Summary baseState = baseline.latencies().get(Latencies.STATE_MES);
        assertThat(meshState.count()).as("mesh: state changes measured at the MES").isPositive();
        assertThat(baseState.count()).as("baseline: state changes measured at the MES").isPositive();
        assertThat(meshState.p50()).as("p50 machine state -> MES, mesh vs baseline").isLessThan(baseState.p50());

        assertThat(mesh.efficiency()).as("efficiency, mesh vs baseline").isGreaterThanOrEqualTo(
                baseline.efficiency());
    }
}
