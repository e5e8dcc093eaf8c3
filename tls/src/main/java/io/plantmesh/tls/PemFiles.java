package io.plantmesh.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files: X.509 certificates and unencrypted PKCS#8 private keys ({@code -----BEGIN PRIVATE KEY-----}).
 * Every failure is a {@link TlsConfigurationException} that names the file, the role it plays (e.g. "the twin API's
 * private key") and what to do.
 */
public final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String RENEW = "Create development files with 'plantmesh certs', or point the setting at"
            + " your own PEM file.";

    private PemFiles() {
    }

    /** The file's bytes; fails if it is missing, not a regular file, unreadable or empty. */
    public static byte[] read(final Path file, final String role) {
        if (file == null) {
            throw new TlsConfigurationException("No file given for " + role + ". " + RENEW);
        }
        final Path shown = file.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new TlsConfigurationException(role + " " + shown + " is a directory, not a PEM file. " + RENEW);
        }
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (final NoSuchFileException e) {
            throw new TlsConfigurationException(role + " " + shown + " does not exist. " + RENEW, e);
        } catch (final AccessDeniedException e) {
            throw new TlsConfigurationException(role + " " + shown + " cannot be read by this process (permission"
                    + " denied). Give the user running PlantMesh read access to it (keys: mode 600, owned by that"
                    + " user).", e);
        } catch (final IOException e) {
            throw new TlsConfigurationException(role + " " + shown + " cannot be read: " + e.getMessage() + ". "
                    + RENEW, e);
        }
        if (bytes.length == 0) {
            throw new TlsConfigurationException(role + " " + shown + " is empty. " + RENEW);
        }
        return bytes;
    }

    /** All certificates in the file, in file order; at least one. */
    public static List<X509Certificate> certificates(final Path file, final String role) {
        return certificates(read(file, role), file, role);
    }

    static List<X509Certificate> certificates(final byte[] pem, final Path file, final String role) {
        final Path shown = file.toAbsolutePath().normalize();
        final List<X509Certificate> result = new ArrayList<>();
        final String text = new String(pem, StandardCharsets.US_ASCII);
        final Matcher m = BLOCK.matcher(text);
        final List<String> otherBlocks = new ArrayList<>();
        while (m.find()) {
            if (!"CERTIFICATE".equals(m.group(1))) {
                otherBlocks.add(m.group(1));
                continue;
            }
            try {
                final CertificateFactory factory = CertificateFactory.getInstance("X.509");
                result.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(decode(m.group(2), shown, role))));
            } catch (final CertificateException e) {
                throw new TlsConfigurationException(role + " " + shown + " holds a CERTIFICATE block that is not a"
                        + " valid X.509 certificate (" + e.getMessage() + "). " + RENEW, e);
            }
        }
        if (result.isEmpty()) {
            final String found = otherBlocks.isEmpty() ? "no PEM block at all"
                    : "only " + String.join(", ", otherBlocks) + " blocks";
            throw new TlsConfigurationException(role + " " + shown + " holds no -----BEGIN CERTIFICATE----- block ("
                    + found + "). " + (otherBlocks.stream().anyMatch(b -> b.contains("PRIVATE KEY"))
                            ? "It looks like a private key: did you swap the certificate and key settings? "
                            : "")
                    + RENEW);
        }
        return List.copyOf(result);
    }

    /** The one unencrypted PKCS#8 private key in the file (RSA, EC or EdDSA). */
    public static PrivateKey privateKey(final Path file, final String role) {
        return privateKey(read(file, role), file, role);
    }

    static PrivateKey privateKey(final byte[] pem, final Path file, final String role) {
        final Path shown = file.toAbsolutePath().normalize();
        final String text = new String(pem, StandardCharsets.US_ASCII);
        final Matcher m = BLOCK.matcher(text);
        final List<String> blocks = new ArrayList<>();
        byte[] der = null;
        while (m.find()) {
            blocks.add(m.group(1));
            if ("PRIVATE KEY".equals(m.group(1))) {
                if (der != null) {
                    throw new TlsConfigurationException(role + " " + shown + " holds more than one private key;"
                            + " keep only the key that belongs to the certificate.");
                }
                der = decode(m.group(2), shown, role);
            }
        }
        if (der == null) {
            throw new TlsConfigurationException(role + " " + shown + " " + whyNoKey(blocks));
        }
        final List<String> algorithms = List.of("EC", "RSA", "Ed25519", "Ed448", "RSASSA-PSS");
        for (final String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (final GeneralSecurityException | RuntimeException e) {
                // not this algorithm: try the next
            }
        }
        throw new TlsConfigurationException(role + " " + shown + " holds a PRIVATE KEY block that is not an RSA,"
                + " EC or EdDSA key in PKCS#8 form. " + RENEW);
    }

    private static String whyNoKey(final List<String> blocks) {
        if (blocks.contains("ENCRYPTED PRIVATE KEY")) {
            return "holds an encrypted private key; PlantMesh needs it unencrypted (protect it with file mode 600"
                    + " instead). Decrypt it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem";
        }
        if (blocks.contains("RSA PRIVATE KEY") || blocks.contains("EC PRIVATE KEY")) {
            return "holds a PKCS#1/SEC1 key (" + blocks + "); PlantMesh reads PKCS#8 (-----BEGIN PRIVATE KEY-----)."
                    + " Convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem";
        }
        if (blocks.contains("CERTIFICATE")) {
            return "holds certificates but no -----BEGIN PRIVATE KEY----- block: did you swap the certificate and"
                    + " key settings? " + RENEW;
        }
        return "holds no -----BEGIN PRIVATE KEY----- block" + (blocks.isEmpty() ? " (no PEM block at all)"
                : " (found " + blocks + ")") + ". " + RENEW;
    }

    private static byte[] decode(final String base64, final Path shown, final String role) {
        try {
            return Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (final IllegalArgumentException e) {
            throw new TlsConfigurationException(role + " " + shown + " holds a PEM block whose Base64 is damaged ("
                    + e.getMessage() + "). " + RENEW, e);
        }
    }

    /** PEM text of certificates, in order. */
    public static String encodeCertificates(final List<X509Certificate> certificates) {
        final StringBuilder out = new StringBuilder();
        for (final X509Certificate certificate : certificates) {
            try {
                out.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (final CertificateException e) {
                throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(),
                        e);
            }
        }
        return out.toString();
    }

    /** PEM text of a private key in PKCS#8 form. */
    public static String encodePrivateKey(final PrivateKey key) {
        final boolean pkcs8 = "PKCS#8".equals(key.getFormat());
        if (!pkcs8) {
            throw new IllegalArgumentException("the key's encoding is " + key.getFormat() + ", not PKCS#8");
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(final String type, final byte[] der) {
        final String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
