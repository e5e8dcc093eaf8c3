package io.plantmesh.devices.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.simulator.degradation.DegradationSettings;
import io.plantmesh.devices.simulator.machine.MachineSnapshot;
import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.twin.model.machine.MachineState;

/**
 * The simulator's state across restarts: counters, jobs, repairs and wear under way continue where they were, the
 * file is replaced atomically, and a broken file stops the start with a message that says what to do.
 */
class SimulatorStateTest {

    private static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");
    private static final String MILL = "plant1:machine-1-01";
    private static final String PRESS = "plant1:machine-1-02";

    @TempDir
    Path dir;

    private SimulatorConfig.Builder config(final MachineType pressType, final DegradationSettings degradation) {
        return SimulatorConfig.builder(dir.resolve("pki"))
                .machines(List.of(
                        new MachineSpec(MILL, "L1M01", 1, 1, MachineType.CNC_MILL, "mill", DeviceProtocol.OPC_UA),
                        new MachineSpec(PRESS, "L1M02", 1, 2, pressType, "press", DeviceProtocol.MQTT)))
                .opcUaEnabled(false)
                .mqttEnabled(false)
                .startTime(T0)
                .degradation(degradation)
                .stateDirectory(dir.resolve("simulator"));
    }

    private SimulatorConfig config() {
        return config(MachineType.PRESS, DegradationSettings.OFF).build();
    }

    @Test
    void countersJobsAndPlantTimeContinueAfterARestoreAndNeverGoBack() {
        final MachineSnapshot before;
        final Instant savedAt;
        try (ShopFloorSimulator first = ShopFloorSimulator.create(config())) {
            final SimulatedMachine mill = first.machine(MILL).orElseThrow();
            assertThat(mill.startJob("plant1:wo-100001", "10").accepted()).isTrue();
            mill.advance(Duration.ofHours(5));
            first.machine(PRESS).orElseThrow().advance(Duration.ofHours(1));
            before = mill.snapshot();
            savedAt = mill.now();
            first.saveState();
        }
        assertThat(before.good() + before.scrap()).as("parts made before the restart").isPositive();
        assertThat(dir.resolve("simulator").resolve(SimulatorState.FILE_NAME)).exists();
        assertThat(dir.resolve("simulator").resolve(SimulatorState.FILE_NAME + ".tmp")).doesNotExist();

        try (ShopFloorSimulator second = ShopFloorSimulator.create(config())) {
            assertThat(second.restoredMachines()).isEqualTo(2);
            final SimulatedMachine mill = second.machine(MILL).orElseThrow();
            final MachineSnapshot restored = mill.snapshot();
            assertThat(mill.now()).isEqualTo(savedAt);
            assertThat(restored.good()).isEqualTo(before.good());
            assertThat(restored.scrap()).isEqualTo(before.scrap());
            assertThat(restored.state()).isEqualTo(before.state());
            assertThat(restored.jobId()).isEqualTo("plant1:wo-100001/10");
            long good = restored.good();
            long scrap = restored.scrap();
            for (int hour = 0; hour < 10; hour++) {
                mill.advance(Duration.ofHours(1));
                final MachineSnapshot now = mill.snapshot();
                assertThat(now.good()).isGreaterThanOrEqualTo(good);
                assertThat(now.scrap()).isGreaterThanOrEqualTo(scrap);
                good = now.good();
                scrap = now.scrap();
            }
            assertThat(good + scrap).as("the job keeps producing after the restore")
                    .isGreaterThan(before.good() + before.scrap());
        }
    }

    @Test
    void aRestoreIsDeterministicForTheSameSavedState() {
        try (ShopFloorSimulator first = ShopFloorSimulator.create(config())) {
            first.machine(MILL).orElseThrow().startJob("plant1:wo-100001", "10");
            first.machine(MILL).orElseThrow().advance(Duration.ofHours(3));
            first.saveState();
        }
        final MachineSnapshot a;
        final MachineSnapshot b;
        try (ShopFloorSimulator one = ShopFloorSimulator.create(config())) {
            one.machine(MILL).orElseThrow().advance(Duration.ofHours(20));
            a = one.machine(MILL).orElseThrow().snapshot();
        }
        try (ShopFloorSimulator two = ShopFloorSimulator.create(config())) {
            two.machine(MILL).orElseThrow().advance(Duration.ofHours(20));
            b = two.machine(MILL).orElseThrow().snapshot();
        }
        assertThat(b).isEqualTo(a);
    }

    @Test
    void aRepairAndAWearEpisodeUnderWayContinue() {
        final DegradationSettings wear = DegradationSettings.defaults().withMeanTimeToOnset(Duration.ofHours(2));
        final SimulatorConfig withWear = config(MachineType.PRESS, wear).build();
        final Instant failedAt;
        final Object episode;
        try (ShopFloorSimulator first = ShopFloorSimulator.create(withWear)) {
            final SimulatedMachine mill = first.machine(MILL).orElseThrow();
            mill.startJob("plant1:wo-100001", "10");
            // run until the machine is DOWN (a failure, worn or sudden), bounded
            for (int hour = 0; hour < 2_000 && mill.state() != MachineState.DOWN; hour++) {
                mill.advance(Duration.ofMinutes(30));
            }
            assertThat(mill.state()).isEqualTo(MachineState.DOWN);
            failedAt = mill.faultLog().get(mill.faultLog().size() - 1).failedAt();
            first.machine(PRESS).orElseThrow().advance(Duration.ofHours(3));
            episode = first.machine(PRESS).orElseThrow().currentEpisode().orElse(null);
            assertThat(episode).as("an episode is drawn at every start with degradation on").isNotNull();
            first.saveState();
        }
        try (ShopFloorSimulator second = ShopFloorSimulator.create(withWear)) {
            final SimulatedMachine mill = second.machine(MILL).orElseThrow();
            assertThat(mill.state()).isEqualTo(MachineState.DOWN);
            assertThat(mill.faultLog()).singleElement().satisfies(f -> {
                assertThat(f.failedAt()).isEqualTo(failedAt);
                assertThat(f.repaired()).isFalse();
            });
            assertThat(second.machine(PRESS).orElseThrow().currentEpisode().orElse(null)).isEqualTo(episode);
            // the repair ends and the interrupted job comes back through SETUP
            mill.advance(Duration.ofHours(24));
            assertThat(mill.faultLog().get(0).repaired()).isTrue();
            assertThat(mill.snapshot().jobId()).isEqualTo("plant1:wo-100001/10");
        }
    }

    @Test
    void aMachineOfAnotherTypeStartsFromZeroTheOthersContinue() {
        try (ShopFloorSimulator first = ShopFloorSimulator.create(config())) {
            first.machine(MILL).orElseThrow().startJob("plant1:wo-100001", "10");
            first.machine(MILL).orElseThrow().advance(Duration.ofHours(5));
            first.saveState();
        }
        try (ShopFloorSimulator second = ShopFloorSimulator.create(config(MachineType.LATHE, DegradationSettings.OFF)
                .build())) {
            assertThat(second.restoredMachines()).isEqualTo(1);
            assertThat(second.machine(MILL).orElseThrow().snapshot().good()).isPositive();
            assertThat(second.machine(PRESS).orElseThrow().snapshot().good()).isZero();
        }
    }

    @Test
    void aBrokenStateFileStopsTheStartAndSaysHowToStartOver() throws Exception {
        Files.createDirectories(dir.resolve("simulator"));
        Files.writeString(dir.resolve("simulator").resolve(SimulatorState.FILE_NAME), "{\"format\":1,\"machi");
        assertThatThrownBy(() -> ShopFloorSimulator.create(config()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(SimulatorState.FILE_NAME)
                .hasMessageContaining("delete it to start every machine from zero");
    }

    @Test
    void aRunningFloorSavesPeriodicallyAndOnCloseAndResumesItsPlantTime() {
        final SimulatorConfig running = config(MachineType.PRESS, DegradationSettings.OFF)
                .startTime(null)
                .timeScale(3_600)
                .tickInterval(Duration.ofMillis(20))
                .stateSaveInterval(Duration.ofMillis(100))
                .build();
        final MachineSnapshot atClose;
        final Instant plantTimeAtClose;
        try (ShopFloorSimulator first = ShopFloorSimulator.create(running).start()) {
            first.machine(MILL).orElseThrow().startJob("plant1:wo-100001", "10");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    first.machine(MILL).orElseThrow().snapshot().good() >= 5
                            && Files.exists(dir.resolve("simulator").resolve(SimulatorState.FILE_NAME)));
            first.close();
            atClose = first.machine(MILL).orElseThrow().snapshot();
            plantTimeAtClose = first.machine(MILL).orElseThrow().now();
        }
        final JsonObject saved = SimulatorState.load(dir.resolve("simulator")).orElseThrow();
        assertThat(saved.getJsonObject("machines").getJsonObject(MILL).getLong("good"))
                .as("saved on close: the final count").isEqualTo(atClose.good());
        try (ShopFloorSimulator second = ShopFloorSimulator.create(running).start()) {
            assertThat(second.plantTime()).isAfterOrEqualTo(plantTimeAtClose);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    second.machine(MILL).orElseThrow().snapshot().good() > atClose.good());
            assertThat(second.machine(MILL).orElseThrow().snapshot().scrap())
                    .isGreaterThanOrEqualTo(atClose.scrap());
        }
    }
}
