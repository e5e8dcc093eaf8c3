package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                "--mongo-uri", "PLANTMESH_MONGO_URI", "--users-file", "--no-demo", "--demo-seed", "--store-port",
                "--no-devices", "--mqtt-port", "PLANTMESH_MQTT_PORT", "default 1883",
                "--registry-port", "PLANTMESH_REGISTRY_PORT", "default 28080",
                "--kafka-port", "PLANTMESH_KAFKA_PORT", "default 9092",
                "--opcua-base-port", "PLANTMESH_OPCUA_BASE_PORT", "default 4840",
                "--device-password", "PLANTMESH_DEVICE_PASSWORD", "--machine-mtbf", "PLANTMESH_MACHINE_MTBF",
                "--time-scale", "PLANTMESH_TIME_SCALE", "--no-jobs",
                "--keycloak-port", "PLANTMESH_KEYCLOAK_PORT", "default 28180", "--keycloak-dist",
                "PLANTMESH_KEYCLOAK_DIST", "--no-keycloak", "DEVELOPMENT ONLY",
                "--ui-port", "PLANTMESH_UI_PORT", "default 28100", "--no-ui");
    }

    @Test
    void securityApplyHelpNamesEveryOptionAndItsVariable() {
        assertThat(run("security", "apply", "--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " ");
        // picocli may wrap a URL after its colon
        assertThat(out.toString().replaceAll("\\s+", "")).contains("(defaulthttp://127.0.0.1:28180,");
        assertThat(help).contains("--keycloak-url", "PLANTMESH_KEYCLOAK_URL",
                "--admin-user", "PLANTMESH_KEYCLOAK_ADMIN_USER", "--admin-password-file",
                "PLANTMESH_KEYCLOAK_ADMIN_PASSWORD_FILE", "--admin-realm", "--data-dir", "--client-secrets",
                "PLANTMESH_CLIENT_SECRETS_FILE", "--demo-users", "never on a production Keycloak", "--ui-origin",
                "PLANTMESH_UI_ORIGINS", "second run prints 'no changes'");
    }

    @Test
    void securityApplyWithoutAnAdministratorSaysWhatToGive(@TempDir Path dataDir) throws IOException {
        assertThat(run("security", "apply", "--data-dir", dataDir.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("plantmesh: No Keycloak administrator given and none in")
                .contains("--admin-user and --admin-password-file");

        assertThat(run("security", "apply", "--admin-user", "root")).isEqualTo(2);
        assertThat(err.toString()).contains("--admin-user needs --admin-password-file");

        assertThat(run("security", "apply", "--ui-origin", "http://127.0.0.1:8080/path")).isEqualTo(2);
        assertThat(err.toString()).contains("--ui-origin: 'http://127.0.0.1:8080/path' is not a web origin");

        Path secrets = Files.writeString(dataDir.resolve("secrets.properties"), "plantmesh-mes-bridge=x\n");
        Path password = Files.writeString(dataDir.resolve("password"), "pw\n");
        assertThat(run("security", "apply", "--admin-user", "root", "--admin-password-file", password.toString(),
                "--client-secrets", secrets.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("has no secret for plantmesh-erp-bridge, plantmesh-twin-ingestion");
    }

    @Test
    void anUnreachableKeycloakIsNamedWithTheOptionToFixIt(@TempDir Path dataDir) throws IOException {
        Path password = Files.writeString(dataDir.resolve("password"), "pw\n");
        assertThat(run("security", "apply", "--keycloak-url", "http://127.0.0.1:1", "--admin-user", "root",
                "--admin-password-file", password.toString(), "--data-dir", dataDir.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("plantmesh: Cannot reach Keycloak at http://127.0.0.1:1")
                .contains("Check --keycloak-url");
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
        if (System.getenv("PLANTMESH_MQTT_PORT") == null) {
            assertThat(up.mqttPort).isEqualTo(1883);
        }
        if (System.getenv("PLANTMESH_UI_PORT") == null) {
            assertThat(up.uiPort).isEqualTo(io.plantmesh.webui.WebUiConfig.DEFAULT_PORT);
        }
        if (System.getenv("PLANTMESH_KAFKA_PORT") == null) {
            assertThat(up.kafkaPort).isEqualTo(9092);
        }
        if (System.getenv("PLANTMESH_REGISTRY_PORT") == null) {
            assertThat(up.registryPort).isEqualTo(28080);
        }
        if (System.getenv("PLANTMESH_OPCUA_BASE_PORT") == null) {
            assertThat(up.opcUaBasePort).isEqualTo(4840);
        }
        if (System.getenv("PLANTMESH_DEVICE_PASSWORD") == null) {
            assertThat(up.devicePassword).isEqualTo("plantmesh-device-secret");
        }
        assertThat(up.noDevices).isFalse();
        assertThat(up.noJobs).isFalse();
        assertThat(up.noDemo).isFalse();
        assertThat(up.noKeycloak).isFalse();
        if (System.getenv("PLANTMESH_KEYCLOAK_PORT") == null) {
            assertThat(up.keycloakPort).isEqualTo(28180);
        }
        assertThat(up.demoSeed).isEqualTo(LaunchOptions.DEFAULT_DEMO_SEED);
    }

    @Test
    void aBadPortIsRefusedWithAShortMessage() {
        assertThat(run("up", "--http-port", "70000")).isEqualTo(2);
        assertThat(err.toString()).startsWith("plantmesh: --http-port must be a port number 0..65535, was 70000")
                .contains("plantmesh up --help").doesNotContain("Usage:");
        assertThat(run("up", "--mqtt-port", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--mqtt-port must be a port number 0..65535, was -1");
        assertThat(run("up", "--machine-mtbf", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--machine-mtbf must be a duration such as 30m");
        assertThat(run("up", "--time-scale", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--time-scale must be above 0");
        assertThat(run("up", "--http-port", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("'abc' is not an int");
        assertThat(run("up", "--keycloak-port", "65536")).isEqualTo(2);
        assertThat(err.toString()).contains("--keycloak-port must be a port number 0..65535, was 65536");
    }

    @Test
    void withoutASubcommandItPrintsTheUsage() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("Usage: plantmesh", "up", "security");
    }
}
