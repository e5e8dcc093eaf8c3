package io.plantmesh.launcher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {

    @TempDir
    Path dir;

    @Test
    void environmentOverridesTheFileKeyByKey() throws IOException {
        final Path file = dir.resolve("service.properties");
        Files.writeString(file, "ditto.endpoint=ws://ditto:8080/ws/2\nplant.tenants=plant1, plant2\n"
                + "kafka.bootstrap.servers=kafka:9092\nstartup.timeout=PT2M\n");
        final ServiceConfig config = ServiceConfig.load(file, Map.of("PLANTMESH_KAFKA_BOOTSTRAP_SERVERS",
                "broker-0:9092,broker-1:9092", "PLANTMESH_DITTO_PASSWORD", "s3cret"));

        assertThat(config.require("ditto.endpoint")).isEqualTo("ws://ditto:8080/ws/2");
        assertThat(config.require("kafka.bootstrap.servers")).isEqualTo("broker-0:9092,broker-1:9092");
        assertThat(config.require("ditto.password")).isEqualTo("s3cret");
        assertThat(config.getList("plant.tenants")).isEqualTo(List.of("plant1", "plant2"));
        assertThat(config.getDuration("startup.timeout", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(ServiceConfig.envName("provision.devices.reset.passwords"))
                .isEqualTo("PLANTMESH_PROVISION_DEVICES_RESET_PASSWORDS");
    }

    @Test
    void aMissingOrMalformedSettingSaysWhichKeyAndVariable() {
        final ServiceConfig config = ServiceConfig.load(null, Map.of("PLANTMESH_HTTP_PORT", "eighty"));

        assertThatThrownBy(() -> config.require("mongo.uri")).isInstanceOf(ServiceException.class)
                .hasMessageContaining("mongo.uri").hasMessageContaining("PLANTMESH_MONGO_URI");
        assertThatThrownBy(() -> config.getInt("http.port", 8080)).hasMessageContaining("PLANTMESH_HTTP_PORT")
                .hasMessageContaining("eighty");
        assertThatThrownBy(() -> ServiceConfig.load(dir.resolve("missing.properties"), Map.of()))
                .hasMessageContaining("missing.properties").hasMessageContaining("--config");
    }

    @Test
    void unsupportedSettingsFailBeforeAnythingStarts() {
        assertThatThrownBy(() -> ServiceRunner.start("mes-bridge", ServiceConfig.load(null,
                Map.of("PLANTMESH_DITTO_AUTH", "oauth")))).hasMessageContaining("PLANTMESH_OAUTH_ISSUER");
        assertThatThrownBy(() -> ServiceRunner.start("web-ui", ServiceConfig.load(null,
                Map.of("PLANTMESH_TLS_CERT_FILE", "/etc/plantmesh/tls/tls.crt")))).hasMessageContaining("tls.key.file");
        assertThatThrownBy(() -> ServiceRunner.start("maintenance", ServiceConfig.load(null,
                Map.of("PLANTMESH_DITTO_PASSWORD", "pw")))).hasMessageContaining("PLANTMESH_DITTO_ENDPOINT");
        assertThatThrownBy(() -> ServiceRunner.start("erp-bridge", ServiceConfig.load(null,
                Map.of("PLANTMESH_DITTO_PASSWORD", "pw", "PLANTMESH_ERP_AUTH", "oauth"))))
                .hasMessageContaining("ditto.auth=oauth");
    }
}
