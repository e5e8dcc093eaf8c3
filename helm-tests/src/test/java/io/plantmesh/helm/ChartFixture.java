package io.plantmesh.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * The chart under test, copied once per JVM into a temporary directory with stand-in subcharts generated into its
 * {@code charts/}: same names and versions as the real dependencies, the default values the parent reads, and
 * templates that render (a) the Services the real charts create under the fixed names PlantMesh connects to and
 * (b) a ConfigMap {@code standin-<chart>-values} holding the values the chart was given ({@code values.json}), so the
 * tests see exactly what the real Ditto or Hono chart would receive. No upstream chart is downloaded or committed.
 *
 * <p>One Helm engine per JVM: the first call loads the native library (~0.5 s), then renders take milliseconds.
 */
final class ChartFixture {

    /** Kubernetes version every render is made for (helm-java's default would be 1.20). */
    static final String KUBE_VERSION = "1.30.0";
    static final String RELEASE = "plantmesh";
    static final String NAMESPACE = "plantmesh";

    private static ChartFixture instance;

    private final Path source;
    private final Path chart;
    private ChartFixture(final Path source, final Path chart) {
        this.source = source;
        this.chart = chart;
    }

    /** The shared fixture; the temporary copy is deleted when the JVM exits. */
    static synchronized ChartFixture get() {
        if (instance == null) {
            final Path source = Paths.get(System.getProperty("plantmesh.chart.dir", "../helm/plantmesh"))
                    .toAbsolutePath().normalize();
            if (!Files.isRegularFile(source.resolve("Chart.yaml"))) {
                throw new IllegalStateException("No chart at " + source + ": run the tests from the helm-tests module"
                        + " (mvn -pl helm-tests verify) or set -Dplantmesh.chart.dir to helm/plantmesh.");
            }
            final Path work = tempDir("plantmesh-chart");
            final Path chart = work.resolve("plantmesh");
            copyChart(source, chart);
            StandInCharts.writeInto(chart.resolve("charts"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work), "delete-chart-copy"));
            instance = new ChartFixture(source, chart);
        }
        return instance;
    }

    /** The chart in the repository (read-only for tests). */
    Path source() {
        return source;
    }

    /** The temporary copy with its stand-in subcharts. */
    Path chart() {
        return chart;
    }

    /**
     * {@code helm template} of the copy with these values files (resources under {@code values/}) and settings.
     * Hook resources are left out, as by {@code helm template}. {@code generatedSecrets.lookup} is off: helm-java's
     * renders would ask a default API server (localhost:8080) for the chart's {@code lookup}.
     */
    String template(final List<String> valuesFiles, final Map<String, Object> settings) {
        final TemplateCommand template = new Helm(chart).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .set("generatedSecrets.lookup", false);
        for (final String file : valuesFiles) {
            template.withValuesFile(valuesFile(file));
        }
        settings.forEach(template::set);
        return template.call();
    }

    /** {@code helm lint --strict} of a copy of the chart whose values.yaml is overlaid by {@code valuesFile}. */
    LintResult lintStrict(final String valuesFile) {
        final Path work = tempDir("plantmesh-lint");
        try {
            final Path copy = work.resolve("plantmesh");
            copyChart(chart, copy);
            if (valuesFile != null) {
                // lint takes no values files: put the scenario's values in as the chart's own values
                Files.writeString(copy.resolve("values.yaml"), ValuesMerge.merge(
                        Files.readString(copy.resolve("values.yaml")), Files.readString(valuesFile(valuesFile))),
                        StandardCharsets.UTF_8);
            }
            return new Helm(copy).lint().strict().call();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(work);
        }
    }

    static Path valuesFile(final String name) {
        final java.net.URL url = ChartFixture.class.getResource("/values/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no values file src/test/resources/values/" + name);
        }
        try {
            return Paths.get(url.toURI());
        } catch (final java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path tempDir(final String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the chart copy", e);
        }
    }

    private static void copyChart(final Path from, final Path to) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs)
                        throws IOException {
                    Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs)
                        throws IOException {
                    Files.copy(file, to.resolve(from.relativize(file).toString()),
                            StandardCopyOption.REPLACE_EXISTING);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot copy the chart " + from + " to " + to, e);
        }
    }

    static void deleteTree(final Path root) {
        if (!Files.exists(root)) {
            return;
        }
        final List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            walk.forEach(paths::add);
        } catch (final IOException e) {
            return;
        }
        for (int i = paths.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(paths.get(i));
            } catch (final IOException ignored) {
                // best effort on exit
            }
        }
    }
}
