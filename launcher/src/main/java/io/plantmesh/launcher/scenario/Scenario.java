package io.plantmesh.launcher.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's scenario end to end (issue #9, docs/scenario.md): runs each mode on a fresh embedded mesh in this JVM
 * (under a temporary data directory, removed afterwards) with the same seed, and builds Table 1 and the report.
 */
public final class Scenario {

    private static final Logger LOG = LoggerFactory.getLogger(Scenario.class);

    /**
     * The result of a scenario: the modes' results in the order run.
     *
     * @param settings what was run
     * @param results per mode
     */
    public record Outcome(ScenarioSettings settings, List<ModeResult> results) {

        /** Table 1 with its definitions, for the terminal. */
        public String table() {
            return ScenarioReport.table(settings, results);
        }

        public java.util.Optional<ModeResult> mode(final ScenarioMode mode) {
            return ScenarioReport.find(results, mode);
        }
    }

    private Scenario() {
    }

    /**
     * Runs every mode of the settings; progress lines go to {@code out}.
     *
     * @throws UncheckedIOException if the temporary data directory cannot be made
     */
    public static Outcome run(final ScenarioSettings settings, final Consumer<String> out) {
        final List<ModeResult> results = new ArrayList<>();
        for (final ScenarioMode mode : settings.modes()) {
            final Path dir;
            try {
                dir = Files.createTempDirectory("plantmesh-scenario-" + mode.label() + "-");
            } catch (final IOException e) {
                throw new UncheckedIOException("The scenario could not create a temporary data directory ("
                        + e.getMessage() + "); set java.io.tmpdir to a writable directory.", e);
            }
            try {
                results.add(new ScenarioRun(settings, mode, dir, out).run());
            } finally {
                delete(dir);
            }
        }
        return new Outcome(settings, results);
    }

    /** Writes the Markdown report and, next to it, its SVG chart ({@code <name>.svg}); returns the chart's path. */
    public static Path writeReport(final Outcome outcome, final Path report, final String command,
            final String machine) {
        final Path absolute = report.toAbsolutePath().normalize();
        final String name = absolute.getFileName().toString();
        final String chartName = (name.endsWith(".md") ? name.substring(0, name.length() - 3) : name) + ".svg";
        final Path chart = absolute.resolveSibling(chartName);
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            Files.writeString(chart, ScenarioReport.svg(outcome.results()), StandardCharsets.UTF_8);
            Files.writeString(absolute, ScenarioReport.markdown(outcome.settings(), outcome.results(), command,
                    machine, chartName), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("The scenario report could not be written to " + absolute + " ("
                    + e.getMessage() + "); choose another file with --report.", e);
        }
        return chart;
    }

    /** Cores, memory, Java and the load average now (the machine may be shared). */
    public static String machine() {
        final var os = ManagementFactory.getOperatingSystemMXBean();
        String load = "n/a";
        try {
            load = Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (final IOException | RuntimeException e) {
            load = String.format(Locale.ROOT, "%.2f", os.getSystemLoadAverage());
        }
        return String.format(Locale.ROOT, "%d cores available to the JVM, max heap %d MiB, %s %s; load average"
                + " (/proc/loadavg) at the end: %s", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.name"),
                System.getProperty("java.version"), load);
    }

    private static void delete(final Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (final IOException e) {
                    LOG.debug("Could not delete {}: {}", p, e.getMessage());
                }
            });
        } catch (final IOException e) {
            LOG.warn("Could not remove the scenario's data directory {}: {}", dir, e.getMessage());
        }
    }
}
