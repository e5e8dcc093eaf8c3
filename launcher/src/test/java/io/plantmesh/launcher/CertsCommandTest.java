package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code plantmesh certs}: what it writes parses and chains, keys are private, a second run keeps the files. */
class CertsCommandTest {

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = PlantMeshCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void writesACaAndAServerCertificateThatChainsAndNamesTheHosts() throws Exception {
        Path certs = dir.resolve("certs");
        assertThat(run("certs", "--dir", certs.toString(), "--hosts", "localhost,127.0.0.1,plant.example",
                "--days", "10")).as(err.toString()).isZero();

        String printed = out.toString();
        for (String file : List.of("ca.pem", "ca-key.pem", "server.pem", "server-key.pem")) {
            assertThat(printed).contains("wrote  " + certs.resolve(file).toAbsolutePath().normalize());
        }
        assertThat(printed).contains("--tls-cert", "--tls-key", "--cacert", "update-ca-certificates");

        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate ca;
        List<X509Certificate> chain = new ArrayList<>();
        try (var in = Files.newInputStream(certs.resolve("ca.pem"))) {
            ca = (X509Certificate) x509.generateCertificate(in);
        }
        try (var in = Files.newInputStream(certs.resolve("server.pem"))) {
            x509.generateCertificates(in).forEach(c -> chain.add((X509Certificate) c));
        }
        chain.get(0).verify(ca.getPublicKey());
        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        Collection<List<?>> sans = chain.get(0).getSubjectAlternativeNames();
        assertThat(sans.stream().map(s -> String.valueOf(s.get(1))))
                .contains("localhost", "127.0.0.1", "plant.example");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("server-key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.resolve("ca-key.pem"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aSecondRunKeepsEverythingUnlessForced() throws Exception {
        Path certs = dir.resolve("certs");
        assertThat(run("certs", "--dir", certs.toString())).isZero();
        String ca = Files.readString(certs.resolve("ca.pem"));
        out.getBuffer().setLength(0);

        assertThat(run("certs", "--dir", certs.toString())).isZero();
        assertThat(out.toString()).doesNotContain("wrote ").contains("kept   " + certs.resolve("ca.pem")
                .toAbsolutePath().normalize());
        assertThat(Files.readString(certs.resolve("ca.pem"))).isEqualTo(ca);

        assertThat(run("certs", "--dir", certs.toString(), "--force")).isZero();
        assertThat(Files.readString(certs.resolve("ca.pem"))).isNotEqualTo(ca);
    }

    @Test
    void badArgumentsAreRefusedWithAShortMessage() {
        assertThat(run("certs", "--dir", dir.toString(), "--hosts", "not a host")).isEqualTo(2);
        assertThat(err.toString()).contains("--hosts", "not a host").doesNotContain("Usage:");
        assertThat(run("certs", "--dir", dir.toString(), "--days", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--days must be at least 1");
    }
}
