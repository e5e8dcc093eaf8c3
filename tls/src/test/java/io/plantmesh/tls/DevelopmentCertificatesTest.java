package io.plantmesh.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void writesCaAndServerCertificateThatChainWithTheRequestedNames() throws Exception {
        final DevelopmentCertificates.Outcome outcome = DevelopmentCertificates.ensure(dir,
                List.of("localhost", "127.0.0.1", "::1", "plant.example"), 30, false);

        assertThat(outcome.written()).hasSize(4);
        assertThat(outcome.kept()).isEmpty();
        final List<X509Certificate> ca = PemFiles.certificates(dir.resolve("ca.pem"), "ca");
        final List<X509Certificate> chain = PemFiles.certificates(dir.resolve("server.pem"), "server");
        assertThat(ca).hasSize(1);
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(ca.get(0));
        assertThat(ca.get(0).getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(chain.get(0).getBasicConstraints()).isEqualTo(-1);
        assertThat(chain.get(0).getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth

        // the CA signs the server certificate, and PKIX accepts the chain with the CA as the only anchor
        chain.get(0).verify(ca.get(0).getPublicKey());
        final PKIXParameters pkix = new PKIXParameters(Set.of(new TrustAnchor(ca.get(0), null)));
        pkix.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(chain.get(0))), pkix);

        final List<String> sans = new ArrayList<>();
        chain.get(0).getSubjectAlternativeNames().forEach(san -> sans.add(String.valueOf(san.get(1))));
        assertThat(sans).contains("localhost", "127.0.0.1", "plant.example");
        assertThat(sans).anyMatch(s -> s.equals("0:0:0:0:0:0:0:1") || s.equals("::1"));

        final ServerCredentials credentials = outcome.listenerTls().load("test listener");
        assertThat(credentials.covers("localhost")).isTrue();
        assertThat(credentials.covers("127.0.0.1")).isTrue();
        assertThat(credentials.covers("[::1]")).isTrue();
        assertThat(credentials.covers("10.1.2.3")).isFalse();
        assertThat(credentials.covers("other.example")).isFalse();
    }

    @Test
    void keysAreReadableByTheOwnerOnly() throws Exception {
        DevelopmentCertificates.ensure(dir, DevelopmentCertificates.DEFAULT_HOSTS, 30, false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("server-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.pem"))))
                .isEqualTo("rw-r--r--");
        assertThat(Files.readString(dir.resolve("server-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void aSecondRunKeepsTheFilesAndForceReplacesThem() throws Exception {
        DevelopmentCertificates.ensure(dir, DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        final String ca = Files.readString(dir.resolve("ca.pem"));
        final String server = Files.readString(dir.resolve("server.pem"));

        final DevelopmentCertificates.Outcome again = DevelopmentCertificates.ensure(dir,
                DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        assertThat(again.written()).isEmpty();
        assertThat(again.kept()).hasSize(4);
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(ca);
        assertThat(Files.readString(dir.resolve("server.pem"))).isEqualTo(server);

        final DevelopmentCertificates.Outcome forced = DevelopmentCertificates.ensure(dir,
                DevelopmentCertificates.DEFAULT_HOSTS, 30, true);
        assertThat(forced.written()).hasSize(4);
        assertThat(Files.readString(dir.resolve("ca.pem"))).isNotEqualTo(ca);
        assertThat(Files.readString(dir.resolve("server.pem"))).isNotEqualTo(server);
    }

    @Test
    void aMissingServerCertificateIsIssuedFromTheCaAlreadyThere() throws Exception {
        DevelopmentCertificates.ensure(dir, DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        final String ca = Files.readString(dir.resolve("ca.pem"));
        Files.delete(dir.resolve("server.pem"));
        Files.delete(dir.resolve("server-key.pem"));

        final DevelopmentCertificates.Outcome outcome = DevelopmentCertificates.ensure(dir,
                List.of("localhost"), 30, false);

        assertThat(outcome.written()).containsExactlyInAnyOrder(dir.resolve("server.pem"),
                dir.resolve("server-key.pem"));
        assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(ca);
        outcome.serverCertificate().verify(outcome.caCertificate().getPublicKey());
    }

    @Test
    void halfAPairIsRefusedWithAdvice() throws Exception {
        DevelopmentCertificates.ensure(dir, DevelopmentCertificates.DEFAULT_HOSTS, 30, false);
        Files.delete(dir.resolve("server-key.pem"));

        assertThatThrownBy(() -> DevelopmentCertificates.ensure(dir, DevelopmentCertificates.DEFAULT_HOSTS, 30,
                false))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("server-key.pem")
                .hasMessageContaining("--force");
    }

    @Test
    void aHostThatIsNoNameIsRefused() {
        assertThatThrownBy(() -> DevelopmentCertificates.ensure(dir, List.of("not a host"), 30, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a host");
    }
}
