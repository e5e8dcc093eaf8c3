package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class MaintenanceEvalCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = PlantMeshCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void aSmallEvaluationWritesTheReportAndTheChart(@TempDir Path dir) throws Exception {
        assertThat(run("maintenance-eval", "--machines", "3", "--simulated-days", "2", "--seed", "3", "--output",
                dir.toString())).isZero();

        String report = Files.readString(dir.resolve("maintenance.md"));
        assertThat(report).contains("# Predictive maintenance", "plantmesh maintenance-eval --machines 3 "
                + "--simulated-days 2 --seed 3", "| **all modes** |", "production efficiency", "## Definitions");
        assertThat(Files.readString(dir.resolve("maintenance-health.svg"))).startsWith("<svg");
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThat(run("maintenance-eval", "--horizon", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--horizon must be a duration such as 8h");
        assertThat(run("maintenance-eval", "--machines", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--machines must be 1..1000");
    }

    @Test
    void upHasTheMaintenanceSwitches() {
        assertThat(run("up", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("--no-maintenance", "--degradation",
                "ground-truth.jsonl");
    }
}
