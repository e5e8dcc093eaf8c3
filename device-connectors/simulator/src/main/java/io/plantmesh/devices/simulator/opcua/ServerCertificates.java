package io.plantmesh.devices.simulator.opcua;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's application instance certificate: a self-signed RSA/SHA-256 certificate generated on the first start
 * into a PKCS#12 key store in the given directory and reused afterwards, plus the trust list for client certificates.
 */
final class ServerCertificates implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificates.class);
    // the key store only guards a simulator's throw-away key; the file system protects it
    private static final String KEY_STORE_PASSWORD = "plantmesh-simulator";

    private final CertificateManager certificateManager;
    private final X509Certificate certificate;
    private final String applicationUri;
    private final KeyStoreCertificateStore store;
    private final FileBasedTrustListManager trustList;

    private ServerCertificates(final CertificateManager certificateManager, final X509Certificate certificate,
            final String applicationUri, final KeyStoreCertificateStore store,
            final FileBasedTrustListManager trustList) {
        this.certificateManager = certificateManager;
        this.certificate = certificate;
        this.applicationUri = applicationUri;
        this.store = store;
        this.trustList = trustList;
    }

    /**
     * Loads the certificate from {@code directory}, or generates it there.
     *
     * @param applicationUri goes into the certificate's subject alternative name; the server must announce the same
     * @param host DNS name or IP address clients use, added to the certificate besides localhost and 127.0.0.1
     */
    static ServerCertificates loadOrCreate(final Path directory, final String applicationUri, final String host,
            final boolean trustAllClients) throws Exception {
        Files.createDirectories(directory);
        final Path keyStore = directory.resolve("server.pfx");
        final boolean generate = !Files.exists(keyStore);
        final KeyStoreCertificateStore store = KeyStoreCertificateStore.createAndInitialize(
                new KeyStoreCertificateStore.Settings(keyStore, KEY_STORE_PASSWORD::toCharArray,
                        alias -> KEY_STORE_PASSWORD.toCharArray(), false));
        final Path pki = directory.resolve("pki");
        final FileBasedTrustListManager trustList = FileBasedTrustListManager.createAndInitialize(pki);
        final FileBasedCertificateQuarantine quarantine =
                FileBasedCertificateQuarantine.create(pki.resolve("rejected").resolve("certs"));
        final RsaSha256CertificateFactory factory = new RsaSha256CertificateFactory() {
            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(final KeyPair keyPair) throws Exception {
                final SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                        .setCommonName("PlantMesh simulated line")
                        .setOrganization("PlantMesh")
                        .setOrganizationalUnit("shop-floor simulator")
                        .setApplicationUri(applicationUri)
                        .addDnsName("localhost")
                        .addIpAddress("127.0.0.1");
                final boolean ipAddress = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
                if (ipAddress && !host.equals("127.0.0.1")) {
                    builder.addIpAddress(host);
                } else if (!ipAddress && !host.equals("localhost")) {
                    builder.addDnsName(host);
                }
                return new X509Certificate[] {builder.build()};
            }
        };
        final CertificateValidator validator = trustAllClients
                ? new CertificateValidator.InsecureCertificateValidator()
                : new DefaultServerCertificateValidator(trustList, quarantine);
        final DefaultApplicationGroup group = DefaultApplicationGroup.createAndInitialize(trustList, store, factory,
                validator);
        final X509Certificate certificate = group.getCertificateChain(NodeIds.RsaSha256ApplicationCertificateType)
                .map(chain -> chain[0])
                .orElseThrow(() -> new IllegalStateException("no server certificate in " + keyStore
                        + "; delete the file to have a new one generated"));
        // a reused key store decides the application URI; the server must announce the one in its certificate
        final String uri = CertificateUtil.getSanUri(certificate).orElse(applicationUri);
        if (generate) {
            LOG.info("Generated a self-signed OPC-UA server certificate for {} in {}", uri, keyStore);
        }
        return new ServerCertificates(new DefaultCertificateManager(quarantine, group), certificate, uri, store,
                trustList);
    }

    CertificateManager certificateManager() {
        return certificateManager;
    }

    X509Certificate certificate() {
        return certificate;
    }

    String applicationUri() {
        return applicationUri;
    }

    @Override
    public void close() throws IOException {
        store.close();
        trustList.close();
    }
}
