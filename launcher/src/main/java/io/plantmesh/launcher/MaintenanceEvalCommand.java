package io.plantmesh.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.plantmesh.maintenance.eval.MaintenanceEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code plantmesh maintenance-eval}: measures predictive maintenance against the simulator's ground truth in
 * simulated time (no mesh needed) and writes the report and chart.
 */
@Command(name = "maintenance-eval", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        versionProvider = PlantMeshCommand.Version.class,
        description = {
                "Runs a seeded fleet of simulated machines with degradation modes and the predictive maintenance"
                        + " model in simulated time, twice: with predictive maintenance off (the model only watches)"
                        + " and on (alarms lead to planned maintenance). Reports precision, recall and F1 of failure"
                        + " prediction at the horizon, lead times, false alarms per machine per week, and unplanned"
                        + " downtime and production efficiency off vs on, per mode; writes OUTPUT/maintenance.md and"
                        + " OUTPUT/maintenance-health.svg. 50 machines x 30 days take a minute or two."})
final class MaintenanceEvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--machines", paramLabel = "N", defaultValue = "50",
            description = "Simulated machines (the demo plant's layout for the seed; default 50).")
    int machines;

    @Option(names = "--simulated-days", paramLabel = "DAYS", defaultValue = "30",
            description = "Simulated time in days (default 30).")
    int days;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "7",
            description = "Seed of the fleet, its degradation and the shop floor (default 7).")
    long seed;

    @Option(names = "--horizon", paramLabel = "DURATION", defaultValue = "8h",
            description = "Prediction horizon: an alarm says \"failure within this\" (default 8h; e.g. 4h, 12h, PT6H).")
    String horizon;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "bench/results",
            description = "Where the report and chart are written (default bench/results under the working"
                    + " directory).")
    Path output;

    @Override
    public Integer call() {
        final boolean valid = machines >= 1 && machines <= 1000 && days >= 1 && days <= 365;
        if (!valid) {
            throw new ParameterException(spec.commandLine(), "--machines must be 1..1000 and --simulated-days 1..365,"
                    + " was " + machines + " and " + days);
        }
        final Duration h = duration(horizon);
        final MaintenanceEvaluation.Options defaults = MaintenanceEvaluation.Options.defaults(output);
        final String command = String.format(Locale.ROOT, "plantmesh maintenance-eval --machines %d --simulated-days"
                + " %d --seed %d%s", machines, days, seed, "8h".equals(horizon) ? "" : " --horizon " + horizon);
        final MaintenanceEvaluation.Options options = new MaintenanceEvaluation.Options(machines, days, seed, h,
                defaults.sampleInterval(), defaults.reactionDelay(), defaults.plannedMaintenanceShare(), output,
                command);
        final PrintStream out = System.out;
        out.println("evaluating predictive maintenance: " + machines + " machines, " + days + " simulated days, seed "
                + seed + ", horizon " + horizon + " (two runs: off, on)...");
        final MaintenanceEvaluation.Report report;
        try {
            report = MaintenanceEvaluation.run(options);
        } catch (final java.io.UncheckedIOException e) {
            System.err.println("plantmesh: " + e.getMessage());
            return 1;
        }
        out.println(MaintenanceEvaluation.summary(report));
        out.println("report: " + output.resolve(MaintenanceEvaluation.REPORT).toAbsolutePath().normalize());
        out.println("chart:  " + output.resolve(MaintenanceEvaluation.CHART).toAbsolutePath().normalize());
        return 0;
    }

    /** "8h", "90m" or an ISO-8601 duration. */
    private Duration duration(final String text) {
        try {
            final String t = text.strip();
            final Duration d = Duration.parse(t.toUpperCase(Locale.ROOT).startsWith("P") ? t : "PT" + t);
            if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("out of range");
            }
            return d;
        } catch (final RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--horizon must be a duration such as 8h, 90m or PT6H"
                    + " (up to 7 days), was '" + text + "'");
        }
    }
}
