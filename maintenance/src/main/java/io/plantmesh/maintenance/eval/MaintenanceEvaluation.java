package io.plantmesh.maintenance.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.simulator.degradation.DegradationMode;
import io.plantmesh.devices.simulator.degradation.DegradationSettings;
import io.plantmesh.devices.simulator.degradation.GroundTruthEvent;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.maintenance.model.ModelSettings;

/**
 * {@code plantmesh maintenance-eval}: runs a seeded fleet twice in simulated time, once with predictive maintenance
 * off (the model only watches: prediction scores against the ground truth) and once on (alarms lead to planned
 * maintenance: downtime and efficiency), and writes the report and a chart.
 */
public final class MaintenanceEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceEvaluation.class);

    /** Name of the report under the output directory. */
    public static final String REPORT = "maintenance.md";
    /** Name of the chart under the output directory. */
    public static final String CHART = "maintenance-health.svg";

    /**
     * What to evaluate.
     *
     * @param command the command line, for the report
     * @param output directory of the report and chart (created if missing); null: write nothing
     */
    public record Options(int machines, int simulatedDays, long seed, Duration horizon, Duration sampleInterval,
            Duration reactionDelay, double plannedMaintenanceShare, Path output, String command) {

        public Options {
            Objects.requireNonNull(horizon, "horizon");
            Objects.requireNonNull(sampleInterval, "sampleInterval");
            Objects.requireNonNull(reactionDelay, "reactionDelay");
            final boolean valid = machines >= 1 && machines <= 1000 && simulatedDays >= 1 && simulatedDays <= 365
                    && !sampleInterval.isNegative() && !sampleInterval.isZero() && plannedMaintenanceShare > 0;
            if (!valid) {
                throw new IllegalArgumentException("--machines must be 1..1000 and --simulated-days 1..365, the sample "
                        + "interval positive; got machines=" + machines + ", days=" + simulatedDays + ", sample "
                        + sampleInterval);
            }
        }

        /** 50 machines, 30 days, seed 7, horizon 8 h, a sample every 30 s, maintenance 1 h after the alarm. */
        public static Options defaults(final Path output) {
            return new Options(50, 30, 7, ModelSettings.defaults().horizon(), Duration.ofSeconds(30),
                    Duration.ofHours(1), 0.5, output, "plantmesh maintenance-eval --machines 50 --simulated-days 30 "
                    + "--seed 7");
        }
    }

    /** Both runs and their scores. */
    public record Report(Options options, FleetRun.Outcome watched, FleetRun.Outcome acted,
            EvaluationMetrics.Result prediction, Map<String, EvaluationMetrics.Result> predictionByMode,
            FleetOutcome off, FleetOutcome on, String markdown, String svg) {
    }

    private MaintenanceEvaluation() {
    }

    /** Runs the evaluation and writes {@value #REPORT} and {@value #CHART} to the output directory (if any). */
    public static Report run(final Options options) {
        final ModelSettings settings = ModelSettings.defaults().withHorizon(options.horizon());
        final FleetRun.Options base = new FleetRun.Options(options.machines(),
                Duration.ofDays(options.simulatedDays()), options.seed(), false, options.sampleInterval(), settings,
                DegradationSettings.defaults(), options.reactionDelay(), options.plannedMaintenanceShare(), Set.of());
        LOG.info("Evaluating predictive maintenance: {} machines, {} simulated days, seed {}, horizon {}; run 1 of 2 "
                + "(predictive maintenance off)", options.machines(), options.simulatedDays(), options.seed(),
                options.horizon());
        final FleetRun.Outcome watched = new FleetRun(base.withChartMachines(null)).run();
        final Set<String> chart = chartMachines(watched);
        final Map<String, List<FleetRun.HealthPoint>> charted = new LinkedHashMap<>();
        chart.forEach(id -> charted.put(id, watched.health().get(id)));
        LOG.info("Run 1 took {} s; run 2 of 2 (predictive maintenance on)", watched.wallTime().toSeconds());
        final FleetRun.Outcome acted = new FleetRun(base.withPredictive(true)).run();
        final FleetOutcome off = FleetOutcome.of(watched);
        final FleetOutcome on = FleetOutcome.of(acted);
        final Duration period = Duration.ofDays(options.simulatedDays());
        final EvaluationMetrics.Result prediction = EvaluationMetrics.evaluate(watched.alarms(),
                off.degradationFailures(), options.horizon(), options.machines(), period);
        final List<String> modes = new ArrayList<>();
        for (final DegradationMode mode : DegradationMode.values()) {
            modes.add(mode.name());
        }
        final Map<String, EvaluationMetrics.Result> byMode = EvaluationMetrics.byMode(watched.alarms(),
                off.degradationFailures(), options.horizon(), options.machines(), period, modes);
        final String svg = HealthChart.svg(watched, charted, watched.alarms(), settings.detectThreshold());
        final String markdown = ReportWriter.markdown(options, settings, watched, acted, prediction, byMode, off, on);
        if (options.output() != null) {
            write(options.output().resolve(REPORT), markdown);
            write(options.output().resolve(CHART), svg);
            LOG.info("Wrote {} and {}", options.output().resolve(REPORT), options.output().resolve(CHART));
        }
        return new Report(options, watched, acted, prediction, byMode, off, on, markdown, svg);
    }

    /** Up to four machines, one per degradation mode first, each with a failure in the run. */
    static Set<String> chartMachines(final FleetRun.Outcome run) {
        final Map<String, String> firstByMode = new LinkedHashMap<>();
        final Set<String> chosen = new LinkedHashSet<>();
        for (final SimulatedMachine machine : run.machines()) {
            for (final GroundTruthEvent event : machine.groundTruth()) {
                if (event instanceof GroundTruthEvent.EpisodeEnded e
                        && e.outcome() == GroundTruthEvent.Outcome.FAILED) {
                    firstByMode.putIfAbsent(e.episode().mode().name(), machine.machineId());
                }
            }
        }
        chosen.addAll(firstByMode.values());
        for (final SimulatedMachine machine : run.machines()) {
            if (chosen.size() >= 4) {
                break;
            }
            final boolean failed = machine.groundTruth().stream()
                    .anyMatch(e -> e instanceof GroundTruthEvent.EpisodeEnded);
            if (failed) {
                chosen.add(machine.machineId());
            }
        }
        return chosen.stream().limit(4).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
    }

    private static void write(final Path file, final String text) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot write " + file.toAbsolutePath().normalize() + ": " + e.getMessage()
                    + ". Choose another --output directory or make it writable.", e);
        }
    }

    /** A one-paragraph summary for the console. */
    public static String summary(final Report report) {
        final EvaluationMetrics.Result p = report.prediction();
        return String.format(Locale.ROOT, "precision %s, recall %s, F1 %s at horizon %s; lead time median %s, p10 %s; "
                + "%.2f false alarms per machine per week%nunplanned downtime %.1f h -> %.1f h, production efficiency "
                + "%.1f %% -> %.1f %% (predictive maintenance off -> on)", ReportWriter.ratio(p.precision()),
                ReportWriter.ratio(p.recall()), ReportWriter.ratio(p.f1()), ReportWriter.hours(report.options()
                        .horizon()), ReportWriter.hours(p.medianLead()), ReportWriter.hours(p.p10Lead()),
                p.falseAlarmsPerMachineWeek(), report.off().unplannedDowntime().toMinutes() / 60.0,
                report.on().unplannedDowntime().toMinutes() / 60.0, 100 * report.off().efficiency(),
                100 * report.on().efficiency());
    }
}
