package io.plantmesh.devices.gateway.opcua;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;

import io.plantmesh.devices.gateway.OpcUaSecurity;

/**
 * Loads the gateway's OPC-UA client identity from its certificate directory: {@code gateway-client.p12} (PKCS#12,
 * alias {@code gateway-client}, the key and its certificate chain) and {@code trusted/*.der|*.pem|*.crt} (the server
 * certificates to trust).
 */
final class ClientCertificates {

    static final String KEY_STORE = "gateway-client.p12";
    static final String ALIAS = "gateway-client";
    static final String TRUSTED = "trusted";

    final KeyPair keyPair;
    final X509Certificate[] chain;
    final DefaultClientCertificateValidator validator;

    private ClientCertificates(final KeyPair keyPair, final X509Certificate[] chain,
            final DefaultClientCertificateValidator validator) {
        this.keyPair = keyPair;
        this.chain = chain;
        this.validator = validator;
    }

    static ClientCertificates load(final OpcUaSecurity security) {
        final Path dir = security.certificateDirectory();
        final Path storeFile = dir.resolve(KEY_STORE);
        try {
            final KeyStore store = KeyStore.getInstance("PKCS12");
            final char[] password = security.keyStorePassword() == null ? new char[0]
                    : security.keyStorePassword().toCharArray();
            try (InputStream in = Files.newInputStream(storeFile)) {
                store.load(in, password);
            }
            final Key key = store.getKey(ALIAS, password);
            final Certificate[] certificates = store.getCertificateChain(ALIAS);
            if (!(key instanceof PrivateKey privateKey) || certificates == null || certificates.length == 0) {
                throw new IllegalStateException(storeFile + " has no private key with certificate under alias '"
                        + ALIAS + "'");
            }
            final X509Certificate[] chain = new X509Certificate[certificates.length];
            for (int i = 0; i < certificates.length; i++) {
                chain[i] = (X509Certificate) certificates[i];
            }
            final MemoryTrustListManager trust = new MemoryTrustListManager();
            for (final X509Certificate trusted : trusted(dir.resolve(TRUSTED))) {
                trust.addTrustedCertificate(trusted);
            }
            final var validator = new DefaultClientCertificateValidator(trust, new MemoryCertificateQuarantine());
            return new ClientCertificates(new KeyPair(chain[0].getPublicKey(), privateKey), chain, validator);
        } catch (final IOException | GeneralSecurityException e) {
            throw new IllegalStateException("OPC-UA client certificate " + storeFile + " cannot be loaded: "
                    + e.getMessage() + " (expected a PKCS#12 file with alias '" + ALIAS + "' and the configured "
                    + "password)", e);
        }
    }

    private static List<X509Certificate> trusted(final Path dir) throws IOException, GeneralSecurityException {
        final List<X509Certificate> result = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("no directory " + dir + " with the trusted server certificates");
        }
        final CertificateFactory factory = CertificateFactory.getInstance("X.509");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{der,pem,crt,cer}")) {
            for (final Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    result.add((X509Certificate) factory.generateCertificate(in));
                }
            }
        }
        if (result.isEmpty()) {
            throw new IOException(dir + " holds no server certificate (*.der, *.pem, *.crt, *.cer)");
        }
        return result;
    }
}
