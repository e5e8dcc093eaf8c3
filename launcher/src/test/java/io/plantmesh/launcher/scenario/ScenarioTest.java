package io.plantmesh.launcher.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.twin.model.machine.MachineTwin;

/** The scenario's pure parts: settings, plant selection, percentiles, the table, the report and the chart. */
class ScenarioTest {

    @Test
    void modesParseAndBadSettingsSayWhatToDo() {
        assertThat(ScenarioMode.parse("both")).containsExactly(ScenarioMode.BASELINE, ScenarioMode.MESH);
        assertThat(ScenarioMode.parse("MESH")).containsExactly(ScenarioMode.MESH);
        assertThatThrownBy(() -> ScenarioMode.parse("silo")).hasMessageContaining("mesh, baseline or both");
        assertThatThrownBy(() -> ScenarioSettings.defaults().withPlant(51, 5)).hasMessageContaining("--devices");
        assertThatThrownBy(() -> ScenarioSettings.defaults().withPlant(10, 6)).hasMessageContaining("--lines");
        assertThatThrownBy(() -> ScenarioSettings.defaults().withRate(0)).hasMessageContaining("--rate");
        assertThat(ScenarioSettings.defaults().wall(Duration.ofMinutes(15))).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void machinesAreTheFirstOfEachLineSpreadEvenly() {
        final DemoPlant plant = DemoPlant.generate(DemoPlant.DEFAULT_PLANT, 42, Instant.parse("2026-11-26T10:00:00Z"));
        final List<MachineTwin> all = ScenarioRun.machines(plant, 5, 50);
        assertThat(all).hasSize(50);
        final List<MachineTwin> some = ScenarioRun.machines(plant, 2, 7);
        assertThat(some).hasSize(7);
        assertThat(some.stream().filter(m -> m.line().toString().endsWith("-1")).count()).isEqualTo(4);
        assertThat(some.stream().filter(m -> m.line().toString().endsWith("-2")).count()).isEqualTo(3);
        assertThat(some.get(0).id().toString()).isEqualTo("plant1:machine-1-01");
        final Set<String> production = ScenarioRun.production(plant, all);
        assertThat(production).isNotEmpty().hasSizeLessThanOrEqualTo(50);
    }

    @Test
    void percentilesAreByNearestRank() {
        final Latencies latencies = new Latencies();
        for (int i = 1; i <= 100; i++) {
            latencies.add(Latencies.STATE_MES, i);
        }
        final Latencies.Summary s = latencies.summaries().get(Latencies.STATE_MES);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50()).isEqualTo(50);
        assertThat(s.p95()).isEqualTo(95);
        assertThat(s.p99()).isEqualTo(99);
        assertThat(s.max()).isEqualTo(100);
        assertThat(latencies.summaries().get(Latencies.MOVEMENT_ERP).count()).isZero();
    }

    @Test
    void threadsAreChargedToTheirComponentAndUnknownOnesByTheirNameWithoutNumbers() {
        assertThat(Resources.group("data-plane-kafka-request-handler-1")).isEqualTo("Kafka broker");
        assertThat(Resources.group("kafka-producer-network-thread | producer-1"))
                .isEqualTo("Kafka producer (Hono ingress)");
        assertThat(Resources.group("twin-engine")).isEqualTo("twin server engine");
        assertThat(Resources.group("ditto-client-default-ditto:1a2b-3c")).startsWith("Ditto Java clients");
        assertThat(Resources.group("vert.x-eventloop-thread-3")).startsWith("Vert.x event loops");
        assertThat(Resources.group("pool-12-thread-3")).isEqualTo("other (pool-thread)");
        assertThat(ScenarioReport.cpuList(new LinkedHashMap<>(Map.of("Kafka broker", 31.4))))
                .isEqualTo("Kafka broker 31");
        assertThat(ScenarioReport.cpuList(Map.of("idle", 0.2))).isEqualTo("none measured");
    }

    @Test
    void theTableShowsBothModesTheRatioAndTheDefinitions() {
        final ScenarioSettings settings = ScenarioSettings.defaults();
        final List<ModeResult> results = List.of(result(ScenarioMode.BASELINE, 1000, 700, 0.8),
                result(ScenarioMode.MESH, 100, 900, 0.99));
        final String table = ScenarioReport.table(settings, results);
        assertThat(table).contains("Table 1", "baseline", "mesh", "machine state -> MES", "10.0 %",
                "70.0 %", "90.0 %", "128.6 %", "Production efficiency: good output", "Baseline (siloed)");
        final String md = ScenarioReport.markdown(settings, results, "./plantmesh scenario", "test machine",
                "chart.svg");
        assertThat(md).contains("| figure | baseline | mesh | mesh % of baseline |", "![latency distributions",
                "chart.svg", "exact", "| machine time idle | 10.0 % | 10.0 % |", "| process CPU (% of one core) | 150 %",
                "twin server engine 40", "records waiting in Kafka for twin ingestion max 12, mean 1.5");
        final String svg = ScenarioReport.svg(results);
        assertThat(svg).startsWith("<svg").contains("polyline", "machine state -&gt; MES").endsWith("</svg>\n");
    }

    private static ModeResult result(final ScenarioMode mode, final double latency, final long good,
            final double consistency) {
        final Map<String, Latencies.Summary> summaries = new LinkedHashMap<>();
        final Map<String, double[]> raw = new LinkedHashMap<>();
        for (final String path : Latencies.PATHS) {
            summaries.put(path, new Latencies.Summary(10, latency, latency * 2, latency * 3, latency * 4));
            raw.put(path, new double[] {latency});
        }
        final Map<String, Double> share = new HashMap<>();
        final Map<String, Long> pairs = new HashMap<>();
        for (final String kind : List.of(ScenarioRun.KIND_ALL, ScenarioRun.KIND_MACHINE, ScenarioRun.KIND_ORDER,
                ScenarioRun.KIND_STOCK)) {
            share.put(kind, consistency);
            pairs.put(kind, 100L);
        }
        return new ModeResult(mode, summaries, raw, good, 1000, 10, 10, share, pairs,
                List.of(new double[] {0, consistency}, new double[] {1, consistency}), 500, 505, 505, 0, 5, 10_000,
                new ModeResult.Books(3, 30, 30, 300, 300, 300, 0, 0, true), 4, Map.of("reconciliations", 9L), 2, 5, 0,
                Map.of("RUNNING", 0.7, "SETUP", 0.1, "IDLE", 0.1, "DOWN", 0.1, "MAINTENANCE", 0.0),
                new ModeResult.Load(150, Map.of("Kafka broker", 30.0, "twin server engine", 40.0), 12, 1.5, 0, 0));
    }
}
