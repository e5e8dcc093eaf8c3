package io.plantmesh.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The development CA and server certificate in a directory, as {@code plantmesh certs} makes them:
 * {@code ca.pem} (the CA certificate clients trust), {@code ca-key.pem} (the CA key, mode 600), {@code server.pem}
 * (server certificate followed by the CA certificate) and {@code server-key.pem} (its PKCS#8 key, mode 600).
 *
 * <p>Idempotent: files that exist are kept (and checked) unless {@code force} is given; a server certificate is only
 * issued when none is there, from the CA already there.
 */
public final class DevelopmentCertificates {

    public static final String CA_CERTIFICATE = "ca.pem";
    public static final String CA_KEY = "ca-key.pem";
    public static final String SERVER_CERTIFICATE = "server.pem";
    public static final String SERVER_KEY = "server-key.pem";
    /** Host names and addresses a server certificate names unless told otherwise. */
    public static final List<String> DEFAULT_HOSTS = List.of("localhost", "127.0.0.1", "::1");
    public static final int DEFAULT_DAYS = 365;
    /** The CA lives at least this long, so that server certificates can be renewed without trusting a new CA. */
    public static final int MIN_CA_DAYS = 3650;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private DevelopmentCertificates() {
    }

    /**
     * Makes sure the four files are in {@code directory} (created if needed).
     *
     * @param hosts host names and IP addresses for the server certificate
     * @param days validity of a newly issued server certificate
     * @param force replace existing files (a new CA: clients must trust the new {@code ca.pem})
     * @throws TlsConfigurationException if some files exist and others not, or existing files do not fit together;
     *         the message says what to do
     */
    public static Outcome ensure(final Path directory, final List<String> hosts, final int days,
            final boolean force) {
        final Files4 files = new Files4(directory);
        final List<Path> written = new ArrayList<>();
        final List<Path> kept = new ArrayList<>();
        createDirectory(directory);

        final boolean caCert = Files.exists(files.caCertificate);
        final boolean caKey = Files.exists(files.caKey);
        final boolean serverCert = Files.exists(files.serverCertificate);
        final boolean serverKey = Files.exists(files.serverKey);
        if (!force) {
            requirePair(caCert, caKey, files.caCertificate, files.caKey);
            requirePair(serverCert, serverKey, files.serverCertificate, files.serverKey);
            if (serverCert && !caCert) {
                throw new TlsConfigurationException(files.serverCertificate + " exists but the CA that issued it ("
                        + files.caCertificate + ", " + files.caKey + ") does not. Run again with --force to make a"
                        + " new CA and server certificate (clients must then trust the new " + CA_CERTIFICATE
                        + "), or put the CA files back.");
            }
        }

        final DevelopmentCa ca;
        if (caCert && !force) {
            ca = DevelopmentCa.load(files.caCertificate, files.caKey);
            kept.add(files.caCertificate);
            kept.add(files.caKey);
        } else {
            ca = DevelopmentCa.generate("PlantMesh development CA " + java.time.LocalDate.now(),
                    Math.max(days, MIN_CA_DAYS));
            write(files.caKey, PemFiles.encodePrivateKey(ca.key()), OWNER_ONLY);
            write(files.caCertificate, PemFiles.encodeCertificates(List.of(ca.certificate())), READABLE);
            written.add(files.caCertificate);
            written.add(files.caKey);
        }

        final X509Certificate server;
        if (serverCert && !force) {
            final ServerCredentials existing = ListenerTls.of(files.serverCertificate, files.serverKey)
                    .load("the development server certificate");
            server = existing.chain().get(0);
            kept.add(files.serverCertificate);
            kept.add(files.serverKey);
        } else {
            final DevelopmentCa.IssuedCertificate issued = ca.issueServer(hosts, days);
            write(files.serverKey, PemFiles.encodePrivateKey(issued.key()), OWNER_ONLY);
            write(files.serverCertificate, PemFiles.encodeCertificates(issued.chain()), READABLE);
            written.add(files.serverCertificate);
            written.add(files.serverKey);
            server = issued.certificate();
        }
        return new Outcome(directory, files.caCertificate, files.caKey, files.serverCertificate, files.serverKey,
                ca.certificate(), server, List.copyOf(written), List.copyOf(kept));
    }

    /** Server TLS for a listener from the files in {@code directory}. */
    public static ListenerTls listenerTls(final Path directory) {
        return ListenerTls.of(directory.resolve(SERVER_CERTIFICATE), directory.resolve(SERVER_KEY));
    }

    private static void requirePair(final boolean first, final boolean second, final Path firstFile,
            final Path secondFile) {
        if (first != second) {
            final Path present = first ? firstFile : secondFile;
            final Path missing = first ? secondFile : firstFile;
            throw new TlsConfigurationException(present + " exists but " + missing + " does not; they belong"
                    + " together. Put the missing file back, or run again with --force to make new ones.");
        }
    }

    private static void createDirectory(final Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (final FileAlreadyExistsException e) {
            throw new TlsConfigurationException(directory.toAbsolutePath().normalize() + " exists and is not a"
                    + " directory; choose another --dir.", e);
        } catch (final IOException e) {
            throw new TlsConfigurationException("Cannot create the directory " + directory.toAbsolutePath()
                    .normalize() + ": " + e.getMessage() + ". Choose a directory you can write to (--dir).", e);
        }
    }

    /** Writes to a temporary file created with the final permissions, then moves it into place. */
    private static void write(final Path file, final String content, final Set<PosixFilePermission> permissions) {
        final Path dir = file.toAbsolutePath().getParent();
        try {
            final boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
            final FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                    : new FileAttribute<?>[0];
            final Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes);
            try {
                Files.writeString(temp, content, StandardCharsets.US_ASCII);
                if (posix) {
                    Files.setPosixFilePermissions(temp, permissions); // a umask may have narrowed it
                }
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot write " + file.toAbsolutePath().normalize() + ": "
                    + e.getMessage(), e);
        }
    }

    private static final class Files4 {
        final Path caCertificate;
        final Path caKey;
        final Path serverCertificate;
        final Path serverKey;

        Files4(final Path dir) {
            caCertificate = dir.resolve(CA_CERTIFICATE);
            caKey = dir.resolve(CA_KEY);
            serverCertificate = dir.resolve(SERVER_CERTIFICATE);
            serverKey = dir.resolve(SERVER_KEY);
        }
    }

    /**
     * What {@link #ensure} found or made.
     *
     * @param directory the directory
     * @param caCertificateFile {@code ca.pem}
     * @param caKeyFile {@code ca-key.pem}
     * @param serverCertificateFile {@code server.pem} (server certificate, then the CA certificate)
     * @param serverKeyFile {@code server-key.pem}
     * @param caCertificate the CA certificate
     * @param serverCertificate the server certificate
     * @param written files written this time
     * @param kept files that were there and were kept
     */
    public record Outcome(Path directory, Path caCertificateFile, Path caKeyFile, Path serverCertificateFile,
            Path serverKeyFile, X509Certificate caCertificate, X509Certificate serverCertificate, List<Path> written,
            List<Path> kept) {

        /** Server TLS with these files. */
        public ListenerTls listenerTls() {
            return ListenerTls.of(serverCertificateFile, serverKeyFile);
        }

        /** Trust in this CA for PlantMesh's own clients. */
        public ClientTrust clientTrust() {
            return ClientTrust.of(List.of(caCertificate));
        }

        /** How to make clients trust the CA, as lines for a terminal. */
        public List<String> trustInstructions() {
            final String ca = caCertificateFile.toAbsolutePath().normalize().toString();
            return List.of(
                    "PlantMesh's own clients: PLANTMESH_TLS_CA=" + ca + " (or --tls-ca " + ca + ")",
                    "curl:       curl --cacert " + ca + " -u ditto:ditto https://localhost:8080/api/2/things",
                    "mosquitto:  mosquitto_pub --cafile " + ca + " -h localhost -p 8883 -u <auth-id>@<tenant> ...",
                    "Java:       keytool -importcert -noprompt -alias plantmesh-dev-ca -file " + ca
                            + " -keystore plantmesh-truststore.p12 -storepass changeit",
                    "            then -Djavax.net.ssl.trustStore=plantmesh-truststore.p12"
                            + " -Djavax.net.ssl.trustStorePassword=changeit",
                    "this machine (Debian/Ubuntu, as root): cp " + ca
                            + " /usr/local/share/ca-certificates/plantmesh-dev-ca.crt && update-ca-certificates",
                    "Keep " + caKeyFile.toAbsolutePath().normalize() + " private: whoever has it can issue"
                            + " certificates your clients trust. Never use this CA in production.");
        }
    }
}
