package io.plantmesh.tls;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * A listener's checked TLS material: certificate chain, private key, optional client CAs. Made by
 * {@link ListenerTls#load(String)}.
 *
 * @param chain the server certificate first, then intermediates
 * @param key the server certificate's private key
 * @param clientCas trust anchors for client certificates (empty without mutual TLS)
 * @param clientAuth whether client certificates are requested or required
 */
public record ServerCredentials(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> clientCas,
        ClientAuth clientAuth) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCredentials.class);
    private static final Duration SOON = Duration.ofDays(14);
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    public ServerCredentials {
        chain = List.copyOf(chain);
        clientCas = List.copyOf(clientCas);
    }

    static ServerCredentials load(final ListenerTls tls, final String listener) {
        final String certRole = listener + "'s TLS certificate file";
        final String keyRole = listener + "'s TLS private key file";
        final List<X509Certificate> chain = PemFiles.certificates(tls.certificateChain(), certRole);
        final PrivateKey key = PemFiles.privateKey(tls.privateKey(), keyRole);
        final X509Certificate leaf = chain.get(0);
        final Path certShown = tls.certificateChain().toAbsolutePath().normalize();
        if (!keyMatches(key, leaf.getPublicKey())) {
            throw new TlsConfigurationException("The private key " + tls.privateKey().toAbsolutePath().normalize()
                    + " does not belong to the certificate " + certShown + " (subject "
                    + leaf.getSubjectX500Principal().getName() + ") of " + listener + ". Use the key file made"
                    + " together with that certificate (plantmesh certs writes server.pem and server-key.pem"
                    + " as a pair), or list the certificate first in the chain file.");
        }
        final Instant now = Instant.now();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new TlsConfigurationException("The certificate " + certShown + " of " + listener + " expired on "
                    + leaf.getNotAfter().toInstant() + ". Renew it (development: plantmesh certs --force).");
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new TlsConfigurationException("The certificate " + certShown + " of " + listener
                    + " is not valid before " + leaf.getNotBefore().toInstant() + " (now " + now + "). Check this"
                    + " machine's clock, or issue a certificate valid from now.");
        }
        if (now.plus(SOON).isAfter(leaf.getNotAfter().toInstant())) {
            LOG.warn("The certificate {} of {} expires on {}: renew it soon (development: plantmesh certs --force)",
                    certShown, listener, leaf.getNotAfter().toInstant());
        }
        final List<X509Certificate> clientCas = tls.clientCa() == null ? List.of()
                : PemFiles.certificates(tls.clientCa(), listener + "'s client CA file");
        return new ServerCredentials(chain, key, clientCas, tls.clientAuth());
    }

    /** Turns TLS on in the options with this material. */
    public void applyTo(final NetServerOptions options) {
        options.setSsl(true);
        options.setKeyCertOptions(new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(PemFiles.encodeCertificates(chain), StandardCharsets.US_ASCII.name()))
                .setKeyValue(Buffer.buffer(PemFiles.encodePrivateKey(key), StandardCharsets.US_ASCII.name())));
        if (!clientCas.isEmpty()) {
            final PemTrustOptions trust = new PemTrustOptions();
            for (final X509Certificate ca : clientCas) {
                trust.addCertValue(Buffer.buffer(PemFiles.encodeCertificates(List.of(ca)),
                        StandardCharsets.US_ASCII.name()));
            }
            options.setTrustOptions(trust);
            options.setClientAuth(clientAuth);
        }
    }

    /** The server certificate's DNS names and IP addresses (subject alternative names). */
    public List<String> subjectAlternativeNames() {
        final List<String> names = new ArrayList<>();
        try {
            final Collection<List<?>> sans = chain.get(0).getSubjectAlternativeNames();
            if (sans != null) {
                for (final List<?> san : sans) {
                    final int type = (Integer) san.get(0);
                    if (type == SAN_DNS || type == SAN_IP) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (final CertificateParsingException e) {
            LOG.debug("cannot read the subject alternative names: {}", e.toString());
        }
        return List.copyOf(names);
    }

    /**
     * Whether clients that connect by {@code host} will find it in the certificate (exact DNS name, a one-level
     * wildcard, or the IP address). Addresses that bind every interface count as covered.
     */
    public boolean covers(final String host) {
        final String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        final boolean everyInterface = "0.0.0.0".equals(bare) || "::".equals(bare) || bare.isEmpty();
        if (everyInterface) {
            return true;
        }
        final String wanted = bare.toLowerCase(Locale.ROOT);
        for (final String name : subjectAlternativeNames()) {
            final String san = name.toLowerCase(Locale.ROOT);
            if (san.equals(wanted) || sameAddress(san, wanted)) {
                return true;
            }
            final boolean wildcard = san.startsWith("*.") && wanted.indexOf('.') > 0
                    && wanted.substring(wanted.indexOf('.')).equals(san.substring(1));
            if (wildcard) {
                return true;
            }
        }
        return false;
    }

    /** Logs a warning when clients connecting by {@code host} would fail hostname verification. */
    public void warnIfNotCovering(final String host, final String listener) {
        if (!covers(host)) {
            LOG.warn("The TLS certificate of {} names {} but not {}: clients connecting to {} will refuse it."
                    + " Issue one that names it (development: plantmesh certs --force --hosts {},...)",
                    listener, subjectAlternativeNames(), host, host, host);
        }
    }

    private static boolean sameAddress(final String a, final String b) {
        final boolean bothLiteral = looksLikeAddress(a) && looksLikeAddress(b);
        if (!bothLiteral) {
            return false;
        }
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (final java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean looksLikeAddress(final String s) {
        return s.contains(":") || s.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /** Signs random bytes with the key and verifies with the certificate's public key. */
    static boolean keyMatches(final PrivateKey key, final PublicKey publicKey) {
        final String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm we cannot test here: the TLS handshake will tell
        }
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())
                && !("EdDSA".equals(publicKey.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm()))) {
            return false;
        }
        try {
            final byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (final GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
