package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class PlantMeshCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = PlantMeshCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void upHelpNamesEveryOptionItsEnvironmentVariableAndTheDefaultDataDirectory() {
        assertThat(run("up", "--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("--http-port", "PLANTMESH_HTTP_PORT", "default 8080",
                "--host", "PLANTMESH_HOST", "default 127.0.0.1",
                "--data-dir", "PLANTMESH_DATA_DIR", "default ./.plantmesh/data under the working directory",
                "--mongo-uri", "PLANTMESH_MONGO_URI", "--users-file", "--no-demo", "--demo-seed", "--store-port");
    }

    @Test
    void defaultsAreThoseOfTheReadme() {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs();
        // the build environment may set PLANTMESH_* variables; the defaults hold only without them
        if (System.getenv("PLANTMESH_HTTP_PORT") == null) {
            assertThat(up.httpPort).isEqualTo(8080);
        }
        if (System.getenv("PLANTMESH_HOST") == null) {
            assertThat(up.host).isEqualTo("127.0.0.1");
        }
        if (System.getenv("PLANTMESH_DATA_DIR") == null) {
            assertThat(up.dataDir).isEqualTo(Path.of("./.plantmesh/data"));
        }
        if (System.getenv("PLANTMESH_MONGO_URI") == null) {
            assertThat(up.mongoUri).isNull();
        }
        assertThat(up.noDemo).isFalse();
        assertThat(up.demoSeed).isEqualTo(LaunchOptions.DEFAULT_DEMO_SEED);
    }

    @Test
    void aBadPortIsRefusedWithAShortMessage() {
        assertThat(run("up", "--http-port", "70000")).isEqualTo(2);
        assertThat(err.toString()).startsWith("plantmesh: --http-port must be a port number 0..65535, was 70000")
                .contains("plantmesh up --help").doesNotContain("Usage:");
        assertThat(run("up", "--http-port", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("'abc' is not an int");
    }

    @Test
    void withoutASubcommandItPrintsTheUsage() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("Usage: plantmesh", "up");
    }
}
