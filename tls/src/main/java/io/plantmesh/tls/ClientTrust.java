package io.plantmesh.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;

/**
 * The CA certificates a PlantMesh client verifies a server's chain with, read from a PEM file (for example the
 * development CA's {@code ca.pem} from {@code plantmesh certs}). Only these CAs are trusted, not the JVM's default
 * ones. Host names are still verified by each client.
 */
public final class ClientTrust {

    private final Path file;
    private final List<X509Certificate> certificates;

    private ClientTrust(final Path file, final List<X509Certificate> certificates) {
        this.file = file;
        this.certificates = List.copyOf(certificates);
    }

    /**
     * Reads the CA file.
     *
     * @throws TlsConfigurationException naming the file if it is missing, unreadable or holds no certificate
     */
    public static ClientTrust fromPemFile(final Path caFile) {
        Objects.requireNonNull(caFile, "caFile");
        return new ClientTrust(caFile, PemFiles.certificates(caFile, "The CA file to verify servers with"));
    }

    /** Trust in the given certificates (tests, or a CA held in memory). */
    public static ClientTrust of(final List<X509Certificate> caCertificates) {
        if (caCertificates.isEmpty()) {
            throw new IllegalArgumentException("no CA certificate given");
        }
        return new ClientTrust(null, caCertificates);
    }

    /** The file it was read from, or null. */
    public Path file() {
        return file;
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    /** For Vert.x clients (HTTP, WebSocket, MQTT): {@code options.setSsl(true).setTrustOptions(...)}. */
    public PemTrustOptions vertxTrustOptions() {
        final PemTrustOptions options = new PemTrustOptions();
        for (final X509Certificate ca : certificates) {
            options.addCertValue(Buffer.buffer(PemFiles.encodeCertificates(List.of(ca)),
                    StandardCharsets.US_ASCII.name()));
        }
        return options;
    }

    /** An in-memory trust store (type PKCS12, no password) with the CA certificates. */
    public KeyStore keyStore() {
        return keyStore("PKCS12", new char[0]);
    }

    private KeyStore keyStore(final String type, final char[] password) {
        try {
            final KeyStore store = KeyStore.getInstance(type);
            store.load(null, password);
            int i = 0;
            for (final X509Certificate ca : certificates) {
                store.setCertificateEntry("plantmesh-ca-" + i++, ca);
            }
            return store;
        } catch (final GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store of type " + type + ": " + e.getMessage(), e);
        }
    }

    /** For {@code java.net.http.HttpClient} and other JSSE clients: TLS trusting only these CAs. */
    public SSLContext sslContext() {
        try {
            final TrustManagerFactory factory = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore());
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * A JKS trust store with these CAs, served from memory at a URL, for clients that load their trust store from a
     * URL (the Ditto Java client's {@code TrustStoreConfiguration}). Nothing is written to disk.
     *
     * @param password the store's password (the client needs a non-empty one)
     */
    public URL trustStoreUrl(final String password) {
        final byte[] bytes;
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            keyStore("JKS", password.toCharArray()).store(out, password.toCharArray());
            bytes = out.toByteArray();
        } catch (final GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write a JKS trust store: " + e.getMessage(), e);
        }
        final URLStreamHandler handler = new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(final URL url) {
                return new URLConnection(url) {
                    @Override
                    public void connect() {
                        connected = true;
                    }

                    @Override
                    public InputStream getInputStream() {
                        return new ByteArrayInputStream(bytes);
                    }
                };
            }
        };
        try {
            return new URL("plantmesh-truststore", "memory", -1, "/" + (file == null ? "ca" : file.getFileName()),
                    handler);
        } catch (final MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return file != null ? file.toAbsolutePath().normalize().toString()
                : certificates.size() + " CA certificate(s) in memory";
    }
}
