package io.plantmesh.launcher;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

import io.plantmesh.tls.DevelopmentCertificates;
import io.plantmesh.tls.TlsConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code plantmesh certs}: a development CA and a server certificate for this machine's host names, as PEM files
 * that every PlantMesh listener can serve ({@code --tls-cert}, {@code --tls-key}) and clients can trust
 * ({@code ca.pem}). Idempotent: files that are there are kept unless {@code --force}.
 */
@Command(name = "certs", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        versionProvider = PlantMeshCommand.Version.class,
        description = {
                "Creates a development CA and a server certificate for localhost, 127.0.0.1 and ::1 (or --hosts) as"
                        + " PEM files: ca.pem, ca-key.pem (mode 600), server.pem (server certificate + CA),"
                        + " server-key.pem (PKCS#8, mode 600). Files already there are kept unless --force.",
                "For development and tests only; production uses certificates from your own CA."})
final class CertsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            defaultValue = "${env:PLANTMESH_DATA_DIR:-./.plantmesh/data}/" + UpCommand.TLS_DIRECTORY,
            description = "Where the files go (default <data dir>/tls, the directory 'plantmesh up --tls' uses).")
    Path dir;

    @Option(names = "--hosts", paramLabel = "HOST", split = ",",
            description = "Host names and IP addresses the server certificate names, comma-separated (default"
                    + " localhost,127.0.0.1,::1). Name every address clients use to reach PlantMesh.")
    List<String> hosts;

    @Option(names = "--days", paramLabel = "N", defaultValue = "" + DevelopmentCertificates.DEFAULT_DAYS,
            description = "Validity of the server certificate in days (default 365; the CA lives at least 10 years).")
    int days;

    @Option(names = "--force", description = "Replace existing files (a new CA: clients must trust the new ca.pem).")
    boolean force;

    @Override
    public Integer call() {
        if (days < 1) {
            throw new ParameterException(spec.commandLine(), "--days must be at least 1, was " + days);
        }
        final List<String> names = hosts == null || hosts.isEmpty() ? DevelopmentCertificates.DEFAULT_HOSTS
                : hosts.stream().map(String::trim).filter(h -> !h.isEmpty()).toList();
        final PrintWriter out = spec.commandLine().getOut();
        final DevelopmentCertificates.Outcome outcome;
        try {
            outcome = DevelopmentCertificates.ensure(dir, names, days, force);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--hosts: " + e.getMessage());
        } catch (TlsConfigurationException | java.io.UncheckedIOException e) {
            spec.commandLine().getErr().println("plantmesh certs: " + e.getMessage());
            return 1;
        }
        for (final Path file : outcome.written()) {
            out.println("wrote  " + describe(file, outcome));
        }
        for (final Path file : outcome.kept()) {
            out.println("kept   " + describe(file, outcome));
        }
        final X509Certificate server = outcome.serverCertificate();
        out.println();
        out.println("server certificate: " + server.getSubjectX500Principal().getName() + ", names "
                + String.join(", ", alternativeNames(server)) + ", valid until "
                + server.getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate() + ", issued by "
                + outcome.caCertificate().getSubjectX500Principal().getName());
        final boolean missingNames = !outcome.kept().isEmpty() && !names.stream()
                .allMatch(h -> outcome.listenerTls().load("the server certificate").covers(h));
        if (missingNames) {
            out.println("note: the kept server certificate does not name all of " + names + "; run again with"
                    + " --force to issue a new one (and a new CA).");
        }
        out.println();
        out.println("Serve TLS on every listener:");
        out.println("  ./plantmesh up --tls-cert " + abs(outcome.serverCertificateFile()) + " --tls-key "
                + abs(outcome.serverKeyFile()) + " --tls-ca " + abs(outcome.caCertificateFile()));
        out.println("  (./plantmesh up --tls does the same with the files in <data dir>/tls, creating them if needed)");
        out.println("Trust the CA:");
        for (final String line : outcome.trustInstructions()) {
            out.println("  " + line);
        }
        out.flush();
        return 0;
    }

    private static String describe(final Path file, final DevelopmentCertificates.Outcome outcome) {
        final String what;
        if (file.equals(outcome.caCertificateFile())) {
            what = "development CA certificate: the file clients trust";
        } else if (file.equals(outcome.caKeyFile())) {
            what = "CA private key, mode 600: keep it private";
        } else if (file.equals(outcome.serverCertificateFile())) {
            what = "server certificate followed by the CA certificate";
        } else {
            what = "server private key (PKCS#8), mode 600";
        }
        return abs(file) + "   (" + what + ")";
    }

    private static String abs(final Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    private static List<String> alternativeNames(final X509Certificate certificate) {
        final List<String> names = new ArrayList<>();
        try {
            final Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                sans.forEach(san -> names.add(String.valueOf(san.get(1))));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            names.add("(unreadable: " + e.getMessage() + ")");
        }
        return names;
    }
}
