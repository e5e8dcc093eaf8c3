package io.plantmesh.launcher.scenario;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code plantmesh scenario}: the seed paper's scenario end to end, baseline and mesh, and Table 1 from PlantMesh's
 * own measurements (docs/scenario.md).
 */
@Command(name = "scenario", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {
                "Runs the seed paper's scenario on an embedded mesh started in this process (free ports, a temporary"
                        + " data directory; not a running ./plantmesh up): simulated OPC-UA and MQTT machines ->"
                        + " gateways and ingress -> Kafka -> twins -> one MES bridge per line -> the ERP bridge ->"
                        + " the embedded ERP. Each mode runs on a fresh plant with the same seed (same machines,"
                        + " faults drawn from the same seed, same orders). Prints progress, then Table 1 (data"
                        + " latency, production efficiency, data consistency; baseline, mesh, mesh as %% of baseline)"
                        + " with its definitions, and writes a Markdown report with an SVG chart."})
public final class ScenarioCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "both",
            description = "mesh, baseline or both (default both: baseline first, then mesh).")
    String mode;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10m",
            description = "Measured wall-clock time per mode, e.g. 10m, 90s (default 10m).")
    String duration;

    @Option(names = "--warm-up", paramLabel = "DURATION", defaultValue = "20s",
            description = "Wall-clock time per mode before measuring (default 20s).")
    String warmUp;

    @Option(names = "--rate", paramLabel = "MSG_PER_HOUR", defaultValue = "10000",
            description = "Device messages per hour the MQTT machines' telemetry is paced for (default 10000, the"
                    + " paper's rate; the OPC-UA machines' gateways publish what changes). The measured rate is"
                    + " reported.")
    double rate;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "50",
            description = "Simulated machines, spread evenly over the lines (default 50, at most 50).")
    int devices;

    @Option(names = "--lines", paramLabel = "N", defaultValue = "5",
            description = "Production lines, one MES bridge instance each (default 5, at most 5).")
    int lines;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
            description = "Seed of the plant, the machines' faults and scrap, and the orders (default 42).")
    long seed;

    @Option(names = "--time-scale", paramLabel = "FACTOR", defaultValue = "60",
            description = "Plant seconds per wall second (default 60: 10 minutes are 10 plant hours).")
    double timeScale;

    @Option(names = "--mes-poll", paramLabel = "DURATION", defaultValue = "60s",
            description = "Baseline: how often (plant time) the MES reads machine state (default 60s).")
    String mesPoll;

    @Option(names = "--erp-batch", paramLabel = "DURATION", defaultValue = "15m",
            description = "Baseline: how often (plant time) the ERP receives its batch (default 15m).")
    String erpBatch;

    @Option(names = "--mtbf", paramLabel = "DURATION", defaultValue = "4h",
            description = "Mean time between failures of every machine, plant time (default 4h).")
    String mtbf;

    @Option(names = "--report", paramLabel = "FILE", defaultValue = "scenario-report.md",
            description = "Markdown report to write; the chart goes next to it as <name>.svg (default"
                    + " scenario-report.md).")
    Path report;

    @Override
    public Integer call() {
        final ScenarioSettings settings;
        try {
            settings = ScenarioSettings.defaults()
                    .withModes(ScenarioMode.parse(mode))
                    .withDuration(duration("--duration", duration))
                    .withWarmUp(duration("--warm-up", warmUp))
                    .withRate(rate)
                    .withPlant(devices, lines)
                    .withSeed(seed)
                    .withTimeScale(timeScale)
                    .withBaseline(duration("--mes-poll", mesPoll), duration("--erp-batch", erpBatch))
                    .withFaults(duration("--mtbf", mtbf), ScenarioSettings.defaults().mttr());
        } catch (final IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        final String command = String.format(Locale.ROOT, "./plantmesh scenario --mode %s --duration %s --rate %.0f"
                + " --devices %d --lines %d --seed %d --time-scale %.0f --mes-poll %s --erp-batch %s --mtbf %s",
                mode, duration, rate, devices, lines, seed, timeScale, mesPoll, erpBatch, mtbf);
        final PrintStream out = System.out;
        out.println("scenario: " + command);
        final Scenario.Outcome outcome;
        try {
            outcome = Scenario.run(settings, out::println);
        } catch (final UncheckedIOException | IllegalStateException e) {
            System.err.println("plantmesh scenario: " + e.getMessage());
            return 1;
        }
        out.println(outcome.table());
        try {
            final Path chart = Scenario.writeReport(outcome, report, command, Scenario.machine());
            out.println("report: " + report.toAbsolutePath().normalize());
            out.println("chart:  " + chart);
        } catch (final UncheckedIOException e) {
            System.err.println("plantmesh scenario: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** "10m", "90s", "2h" or an ISO-8601 duration. */
    private Duration duration(final String option, final String text) {
        try {
            final String t = text.strip();
            final Duration d = Duration.parse(t.toUpperCase(Locale.ROOT).startsWith("P") ? t : "PT" + t);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not positive");
            }
            return d;
        } catch (final RuntimeException e) {
            throw new ParameterException(spec.commandLine(), option + " must be a positive duration such as 10m,"
                    + " 90s or PT2H, was '" + text + "'");
        }
    }
}
