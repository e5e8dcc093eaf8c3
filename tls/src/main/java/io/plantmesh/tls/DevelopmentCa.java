package io.plantmesh.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development certificate authority in memory: an EC P-256 key and a self-signed CA certificate that issues server
 * certificates (with the host names and addresses clients use as subject alternative names) and client
 * certificates (for mutual TLS). For development and tests only: the CA key usually sits next to the certificates.
 */
public final class DevelopmentCa {

    private static final String SIGNATURE = "SHA256withECDSA";
    private static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    /** Issued certificates start a little in the past so that small clock differences do not matter. */
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey key;

    private DevelopmentCa(final X509Certificate certificate, final PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** A new CA named {@code commonName}, valid for {@code days} days. */
    public static DevelopmentCa generate(final String commonName, final int days) {
        requirePositive(days);
        final KeyPair pair = newKeyPair();
        final X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "PlantMesh")
                .addRDN(BCStyle.CN, commonName).build();
        final Instant now = Instant.now();
        try {
            final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(Duration.ofDays(days))), name,
                    pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()));
            return new DevelopmentCa(sign(builder, pair.getPrivate()), pair.getPrivate());
        } catch (final GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the development CA: " + e.getMessage(), e);
        }
    }

    /**
     * The CA from its files (as {@link DevelopmentCertificates} writes them).
     *
     * @throws TlsConfigurationException if a file is missing or unreadable, or the key does not belong to the
     *         certificate
     */
    public static DevelopmentCa load(final Path certificateFile, final Path keyFile) {
        final X509Certificate certificate = PemFiles.certificates(certificateFile, "The development CA certificate")
                .get(0);
        final PrivateKey key = PemFiles.privateKey(keyFile, "The development CA key");
        if (!ServerCredentials.keyMatches(key, certificate.getPublicKey())) {
            throw new TlsConfigurationException("The CA key " + keyFile.toAbsolutePath().normalize() + " does not"
                    + " belong to the CA certificate " + certificateFile.toAbsolutePath().normalize()
                    + ". Create both anew with plantmesh certs --force.");
        }
        return new DevelopmentCa(certificate, key);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey key() {
        return key;
    }

    /**
     * A server certificate for the given host names and IP addresses (all of them subject alternative names; the
     * first is also the common name), valid for {@code days} days, for TLS servers only.
     *
     * @throws IllegalArgumentException naming a host that is neither an IP address nor a DNS name
     */
    public IssuedCertificate issueServer(final List<String> hosts, final int days) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one host name or address");
        }
        final List<GeneralName> names = new ArrayList<>();
        for (final String host : hosts) {
            names.add(generalName(host));
        }
        return issue(hosts.get(0), days, KeyPurposeId.id_kp_serverAuth, new GeneralNames(
                names.toArray(GeneralName[]::new)));
    }

    /** A client certificate with common name {@code commonName} (for mutual TLS), valid for {@code days} days. */
    public IssuedCertificate issueClient(final String commonName, final int days) {
        return issue(commonName, days, KeyPurposeId.id_kp_clientAuth, null);
    }

    private IssuedCertificate issue(final String commonName, final int days, final KeyPurposeId purpose,
            final GeneralNames alternativeNames) {
        requirePositive(days);
        final KeyPair pair = newKeyPair();
        final X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "PlantMesh")
                .addRDN(BCStyle.CN, commonName).build();
        final Instant now = Instant.now();
        final Instant caEnd = certificate.getNotAfter().toInstant();
        final Instant end = now.plus(Duration.ofDays(days)).isAfter(caEnd) ? caEnd : now.plus(Duration.ofDays(days));
        try {
            final JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(end), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            if (alternativeNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames);
            }
            final X509Certificate issued = sign(builder, key);
            return new IssuedCertificate(issued, pair.getPrivate(), List.of(issued, certificate));
        } catch (final GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(),
                    e);
        }
    }

    private static GeneralName generalName(final String host) {
        Objects.requireNonNull(host, "host");
        final String trimmed = host.trim();
        final String bare = trimmed.startsWith("[") && trimmed.endsWith("]")
                ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
        final boolean address = bare.contains(":") || bare.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (address) {
            try {
                // a literal address is parsed, never looked up
                return new GeneralName(GeneralName.iPAddress, InetAddress.getByName(bare).getHostAddress());
            } catch (final UnknownHostException | IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + host + "' is not a valid IP address", e);
            }
        }
        if (!DNS_NAME.matcher(bare).matches() || bare.length() > 253) {
            throw new IllegalArgumentException("'" + host + "' is neither an IP address nor a DNS name (letters,"
                    + " digits, '-' and '.', optionally starting with '*.')");
        }
        return new GeneralName(GeneralName.dNSName, bare.toLowerCase(Locale.ROOT));
    }

    private static X509Certificate sign(final X509v3CertificateBuilder builder, final PrivateKey signingKey)
            throws GeneralSecurityException {
        try {
            final ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(signingKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (final OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate EC P-256 keys: " + e.getMessage(), e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static void requirePositive(final int days) {
        if (days < 1) {
            throw new IllegalArgumentException("validity must be at least 1 day, was " + days);
        }
    }

    /**
     * A certificate with its key.
     *
     * @param certificate the issued certificate
     * @param key its private key
     * @param chain the certificate followed by the CA certificate
     */
    public record IssuedCertificate(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {

        public IssuedCertificate {
            chain = List.copyOf(chain);
        }
    }
}
