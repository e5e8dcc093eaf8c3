package io.plantmesh.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;

class ListenerTlsTest {

    @TempDir
    Path dir;
    DevelopmentCertificates.Outcome certs;

    @BeforeEach
    void certificates() {
        certs = DevelopmentCertificates.ensure(dir.resolve("certs"), DevelopmentCertificates.DEFAULT_HOSTS, 30,
                false);
    }

    @Test
    void appliesTheFilesToServerOptions() {
        final HttpServerOptions options = certs.listenerTls().applyTo(new HttpServerOptions(), "the test API");

        assertThat(options.isSsl()).isTrue();
        assertThat(options.getKeyCertOptions()).isNotNull();
        assertThat(options.getClientAuth()).isEqualTo(ClientAuth.NONE);
    }

    @Test
    void mutualTlsRequiresClientCertificates() {
        final HttpServerOptions options = certs.listenerTls().withClientCa(certs.caCertificateFile())
                .applyTo(new HttpServerOptions(), "the test API");

        assertThat(options.getClientAuth()).isEqualTo(ClientAuth.REQUIRED);
        assertThat(options.getTrustOptions()).isNotNull();
    }

    @Test
    void aMissingFileIsNamedWithWhatToDo() {
        final Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> ListenerTls.of(missing, certs.serverKeyFile()).load("the twin API"))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("the twin API's TLS certificate file")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("plantmesh certs");
    }

    @Test
    void swappedCertificateAndKeyAreRecognised() {
        assertThatThrownBy(() -> ListenerTls.of(certs.serverKeyFile(), certs.serverCertificateFile())
                .load("the MES API"))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("swap");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        final DevelopmentCertificates.Outcome other = DevelopmentCertificates.ensure(dir.resolve("other"),
                DevelopmentCertificates.DEFAULT_HOSTS, 30, false);

        assertThatThrownBy(() -> ListenerTls.of(certs.serverCertificateFile(), other.serverKeyFile())
                .load("the MQTT adapter"))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("does not belong to the certificate")
                .hasMessageContaining(other.serverKeyFile().toAbsolutePath().normalize().toString());
    }

    @Test
    void anRsaPkcs1KeyGetsTheConversionCommand() throws Exception {
        final Path pkcs1 = dir.resolve("legacy-key.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK==\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> ListenerTls.of(certs.serverCertificateFile(), pkcs1).load("the ERP"))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("PKCS#8")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void anEmptyFileIsNamed() throws Exception {
        final Path empty = Files.createFile(dir.resolve("empty.pem"));

        assertThatThrownBy(() -> ClientTrust.fromPemFile(empty))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("is empty")
                .hasMessageContaining(empty.toString());
    }

    @Test
    void clientAuthenticationWithoutCaIsRefused() {
        assertThatThrownBy(() -> new ListenerTls(certs.serverCertificateFile(), certs.serverKeyFile(), null,
                ClientAuth.REQUIRED))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("client CA");
    }

    @Test
    void settingsResolvePerListenerOverCommon() {
        final TlsSettings settings = TlsSettings.from(Map.of(
                "PLANTMESH_TLS_CERT", "/c/common.pem",
                "PLANTMESH_TLS_KEY", "/c/common-key.pem",
                "PLANTMESH_MQTT_TLS_CERT", "/c/mqtt.pem",
                "PLANTMESH_MQTT_TLS_KEY", "/c/mqtt-key.pem",
                "PLANTMESH_MQTT_TLS_CLIENT_CA", "/c/devices-ca.pem",
                "PLANTMESH_ERP_TLS", "off",
                "PLANTMESH_TLS_CA", "/c/ca.pem",
                "HOME", "/root"));

        assertThat(settings.listener(TlsSettings.TWIN)).contains(ListenerTls.of(Path.of("/c/common.pem"),
                Path.of("/c/common-key.pem")));
        assertThat(settings.listener(TlsSettings.MQTT)).contains(new ListenerTls(Path.of("/c/mqtt.pem"),
                Path.of("/c/mqtt-key.pem"), Path.of("/c/devices-ca.pem"), ClientAuth.REQUIRED));
        assertThat(settings.listener(TlsSettings.ERP)).isEmpty();
        assertThat(settings.clientCaFile()).contains(Path.of("/c/ca.pem"));
        assertThat(TlsSettings.none().listener(TlsSettings.TWIN)).isEmpty();
    }

    @Test
    void aCertificateWithoutKeyNamesTheMissingSetting() {
        final TlsSettings settings = TlsSettings.from(Map.of("PLANTMESH_MES_TLS_CERT", "/c/mes.pem"));

        assertThatThrownBy(() -> settings.listener(TlsSettings.MES))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("PLANTMESH_MES_TLS_KEY");
    }

    @Test
    void secureSchemes() {
        final ListenerTls tls = certs.listenerTls();
        assertThat(ListenerTls.scheme("http", tls)).isEqualTo("https");
        assertThat(ListenerTls.scheme("ws", tls)).isEqualTo("wss");
        assertThat(ListenerTls.scheme("mqtt", tls)).isEqualTo("mqtts");
        assertThat(ListenerTls.scheme("mqtt", null)).isEqualTo("mqtt");
    }
}
