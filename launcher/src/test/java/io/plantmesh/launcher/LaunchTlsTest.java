package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.tls.DevelopmentCertificates;
import io.plantmesh.tls.TlsSettings;

class LaunchTlsTest {

    @TempDir
    Path dir;

    @Test
    void aMissingKeyStopsTheStartBeforeAnythingRunsAndNamesTheFile() {
        DevelopmentCertificates.Outcome certs = DevelopmentCertificates.ensure(dir.resolve("tls"),
                DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        Path missing = dir.resolve("tls").resolve("missing-key.pem");
        LaunchTls tls = new LaunchTls(TlsSettings.none().withCommon(certs.serverCertificateFile(), missing, null),
                null);

        assertThatThrownBy(() -> PlantMeshLauncher.start(LaunchOptions.forTests(dir.resolve("data")).withTls(tls),
                LaunchListener.silent()))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("the twin API")
                .hasMessageContaining("--tls-key");
        assertThat(dir.resolve("data").resolve(PlantMeshLauncher.STORE_DIRECTORY)).doesNotExist();
    }

    @Test
    void perListenerSettingsOverrideTheCommonOnesAndCanSwitchAListenerOff() {
        LaunchTls tls = new LaunchTls(TlsSettings.from(Map.of("PLANTMESH_ERP_TLS", "off"))
                .withCommon(Path.of("/c/server.pem"), Path.of("/c/server-key.pem"), null), null);

        assertThat(tls.listener(TlsSettings.TWIN)).isNotNull();
        assertThat(tls.listener(TlsSettings.MQTT)).isNotNull();
        assertThat(tls.listener(TlsSettings.ERP)).isNull();
        assertThat(tls.any()).isTrue();
        assertThat(LaunchTls.OFF.any()).isFalse();
    }
}
