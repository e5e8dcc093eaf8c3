package io.plantmesh.maintenance.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.simulator.degradation.DegradationEpisode;
import io.plantmesh.devices.simulator.degradation.DegradationMode;
import io.plantmesh.devices.simulator.degradation.DegradationSettings;
import io.plantmesh.devices.simulator.machine.MachineSnapshot;
import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.maintenance.eval.FleetRun;
import io.plantmesh.twin.model.machine.MachineState;

/** The health model on simulated machines, with the simulator's ground truth as the answer. */
class MachineHealthModelTest {

    private static final Instant START = Instant.parse("2026-01-05T06:00:00Z");
    private static final String ID = "plant1:machine-1-03";
    private static final DegradationSettings NO_WEAR = DegradationSettings.defaults()
            .withMeanTimeToOnset(Duration.ofDays(100_000));

    private final Shop shop = new Shop();

    @Test
    void aFleetWithoutDegradationRaisesNoAlarmThoughTheModelsAreActive() {
        // regimes, noise, glitches, cold starts and sudden faults all on; no wear
        final FleetRun.Outcome run = new FleetRun(new FleetRun.Options(12, Duration.ofDays(8), 21, false,
                Duration.ofSeconds(30), ModelSettings.defaults(), NO_WEAR, Duration.ofHours(1), 0.5,
                java.util.Set.of("plant1:machine-1-01", "plant1:machine-2-02"))).run();

        assertThat(run.alarms()).isEmpty();
        assertThat(run.machines()).allSatisfy(m -> assertThat(m.currentEpisode().orElseThrow().onset())
                .isAfter(run.end()));
        // sudden faults happened and the models were judging, not still learning
        assertThat(run.machines().stream().mapToLong(m -> m.faultLog().size()).sum()).isPositive();
        assertThat(run.health().values()).allSatisfy(points -> assertThat(points.stream()
                .filter(p -> p.anomalyScore() != null)).hasSizeGreaterThan(200));
    }

    @Test
    void anInjectedBearingFaultIsPredictedBeforeItsFailureWithItsMode() {
        final SimulatedMachine machine = bearingAfterADay();
        final DegradationEpisode episode = machine.currentEpisode().orElseThrow();
        final MachineHealthModel model = new MachineHealthModel(ID, ModelSettings.defaults());
        final FailureLevels levels = new FailureLevels(ModelSettings.defaults().defaultFailureLevels());

        final List<HealthAssessment> assessments = drive(machine, model, levels,
                episode.failureAt().minusSeconds(60));
        final HealthAssessment raised = assessments.stream().filter(a -> a.raised().stream()
                        .anyMatch(r -> r.code().equals(HealthAlarm.PREDICTED_FAILURE))).findFirst()
                .orElseThrow(() -> new AssertionError("no alarm before the failure at " + episode.failureAt()));
        // the wear is explained by its mode: no unexplained ANOMALY on the way
        assertThat(assessments).allSatisfy(a -> assertThat(a.raised()).noneMatch(r -> r.code().equals(
                HealthAlarm.ANOMALY)));

        final HealthAlarm alarm = raised.raised().get(0);
        assertThat(alarm.code()).isEqualTo(HealthAlarm.PREDICTED_FAILURE);
        assertThat(alarm.failureMode()).isEqualTo("BEARING_WEAR");
        assertThat(alarm.reasons()).anySatisfy(r -> assertThat(r).startsWith("vibration").contains("above normal"));
        assertThat(raised.at()).isAfter(episode.onset()).isBefore(episode.failureAt().minus(Duration.ofHours(1)));
        assertThat(raised.at()).isAfter(episode.failureAt().minus(ModelSettings.defaults().horizon()));
        // the prediction brackets the real failure
        final HealthAssessment.FailurePrediction prediction = raised.prediction();
        assertThat(prediction.mode()).isEqualTo(WearMode.BEARING_WEAR);
        assertThat(episode.failureAt()).isBetween(prediction.earliest(), prediction.latest());
        // before the onset nothing was suspected
        assertThat(assessments.stream().filter(a -> a.at().isBefore(episode.onset())))
                .allSatisfy(a -> assertThat(a.suspectedMode()).isNull());
        // the failure resets the model
        final List<HealthAssessment> after = drive(machine, model, levels, episode.failureAt().plusSeconds(90));
        assertThat(after).last().satisfies(a -> {
            assertThat(a.reset()).startsWith("machine DOWN: SPINDLE_BEARING");
            assertThat(a.alarms()).isEmpty();
        });
    }

    @Test
    void aRestoredModelJudgesLikeTheOriginalAndStartsInGraceWithoutAnAlarmBurst() {
        final SimulatedMachine machine = bearingAfterADay();
        final DegradationEpisode episode = machine.currentEpisode().orElseThrow();
        final MachineHealthModel original = new MachineHealthModel(ID, ModelSettings.defaults());
        final FailureLevels levels = new FailureLevels(ModelSettings.defaults().defaultFailureLevels());
        // up to the middle of the episode, where the evidence is already high
        final Instant middle = episode.onset().plus(Duration.between(episode.onset(), episode.failureAt())
                .multipliedBy(7).dividedBy(10));
        drive(machine, original, levels, middle);
        final JsonObject saved = original.toJson();
        assertThat(MachineHealthModel.fromJson(saved, ModelSettings.defaults()).toJson()).isEqualTo(saved);

        final MachineHealthModel restored = MachineHealthModel.fromJson(new JsonObject(saved.encode()),
                ModelSettings.defaults());
        final List<HealthAssessment> fromOriginal = new ArrayList<>();
        final List<HealthAssessment> fromRestored = new ArrayList<>();
        final FailureLevels levelsCopy = new FailureLevels(ModelSettings.defaults().defaultFailureLevels());
        levelsCopy.restore(levels.toJson());
        while (machine.now().isBefore(episode.failureAt().minusSeconds(60))) {
            shop.keepBusy(machine);
            machine.advance(Duration.ofSeconds(30));
            final MachineSample sample = FleetRunAccess.sample(machine.snapshot());
            original.accept(sample, levels).ifPresent(fromOriginal::add);
            restored.accept(sample, levelsCopy).ifPresent(fromRestored::add);
        }
        // the first windows after the restart are GRACE: nothing new is raised in them
        assertThat(fromRestored.subList(0, 2)).allSatisfy(a -> {
            assertThat(a.state()).isEqualTo(HealthAssessment.GRACE);
            assertThat(a.raised()).isEmpty();
        });
        // afterwards both see the same: the same suspected mode and the alarm raised at most once
        assertThat(fromRestored.get(fromRestored.size() - 1).suspectedMode())
                .isEqualTo(fromOriginal.get(fromOriginal.size() - 1).suspectedMode()).isEqualTo(WearMode.BEARING_WEAR);
        assertThat(fromRestored.stream().mapToLong(a -> a.raised().size()).sum()).isLessThanOrEqualTo(1);
        assertThat(fromRestored.get(fromRestored.size() - 1).failurePredicted()).isTrue();
    }

    /** A CNC mill whose first episode is bearing wear starting after a day (the model has learned by then). */
    private static SimulatedMachine bearingAfterADay() {
        final DegradationSettings settings = DegradationSettings.defaults().withMeanTimeToOnset(Duration.ofHours(48))
                .withSuddenMtbfFactor(1000);
        for (long seed = 1; seed < 1000; seed++) {
            final SimulatedMachine m = SimulatedMachine.create(ID, "L1M03", MachineType.CNC_MILL,
                    MachineType.CNC_MILL.profile(), seed, START, settings);
            final DegradationEpisode e = m.currentEpisode().orElseThrow();
            final boolean fits = e.mode() == DegradationMode.BEARING_WEAR
                    && e.onset().isAfter(START.plus(Duration.ofHours(30)))
                    && Duration.between(e.onset(), e.failureAt()).compareTo(Duration.ofHours(14)) > 0;
            if (fits) {
                return m;
            }
        }
        throw new AssertionError("no seed below 1000 gives a bearing episode after a day");
    }

    /** One job after the other (programs change with the work order), a sample every 30 s until {@code end}. */
    private List<HealthAssessment> drive(final SimulatedMachine machine, final MachineHealthModel model,
            final FailureLevels levels, final Instant end) {
        final List<HealthAssessment> out = new ArrayList<>();
        while (machine.now().isBefore(end)) {
            shop.keepBusy(machine);
            machine.advance(Duration.ofSeconds(30));
            final Optional<HealthAssessment> a = model.accept(FleetRunAccess.sample(machine.snapshot()), levels);
            a.ifPresent(out::add);
        }
        return out;
    }

    /** Keeps a machine producing: jobs of 90 parts, each a new work order (and so maybe another program). */
    private static final class Shop {

        private int jobs;
        private long partsAtStart;

        void keepBusy(final SimulatedMachine machine) {
            final MachineSnapshot s = machine.snapshot();
            final long parts = s.good() + s.scrap();
            if (s.state() == MachineState.RUNNING && s.job() != null && parts - partsAtStart >= 90) {
                machine.stopJob();
            } else if (s.state() == MachineState.IDLE && s.job() != null) {
                machine.startJob(s.job().workOrder(), s.job().operation());
            } else if (s.state() == MachineState.IDLE) {
                jobs++;
                partsAtStart = parts;
                machine.startJob("plant1:wo-" + (100_000 + jobs), "10");
            }
        }
    }
}
