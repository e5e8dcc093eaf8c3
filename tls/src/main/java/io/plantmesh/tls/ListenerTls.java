package io.plantmesh.tls;

import java.nio.file.Path;
import java.util.Objects;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetServerOptions;

/**
 * TLS settings of one listener: its certificate chain and private key (PEM files; the key unencrypted PKCS#8) and,
 * for mutual TLS, the CA file that client certificates must chain to. Nothing is read until {@link #load(String)}
 * or {@link #applyTo(NetServerOptions, String)}, which check the files and fail with a message naming the file.
 *
 * @param certificateChain PEM file: the server certificate first, then any intermediate CA certificates
 * @param privateKey PEM file with the server certificate's private key ({@code -----BEGIN PRIVATE KEY-----})
 * @param clientCa PEM file with the CA certificates client certificates must chain to; null for no client
 *        certificates
 * @param clientAuth whether client certificates are asked for ({@code REQUEST}) or required ({@code REQUIRED});
 *        {@code NONE} without a client CA
 */
public record ListenerTls(Path certificateChain, Path privateKey, Path clientCa, ClientAuth clientAuth) {

    public ListenerTls {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        if (clientCa == null && clientAuth != ClientAuth.NONE) {
            throw new TlsConfigurationException("Client authentication " + clientAuth + " needs a client CA file"
                    + " (the CA that signs the clients' certificates); give one, or set client authentication to"
                    + " none.");
        }
    }

    /** Server TLS without client certificates. */
    public static ListenerTls of(final Path certificateChain, final Path privateKey) {
        return new ListenerTls(certificateChain, privateKey, null, ClientAuth.NONE);
    }

    /**
     * Mutual TLS: clients must present a certificate that chains to {@code caFile} ({@code REQUIRED}); null removes
     * client certificates.
     */
    public ListenerTls withClientCa(final Path caFile) {
        return new ListenerTls(certificateChain, privateKey, caFile, caFile == null ? ClientAuth.NONE
                : ClientAuth.REQUIRED);
    }

    /** The same files with another client authentication mode (needs a client CA unless {@code NONE}). */
    public ListenerTls withClientAuth(final ClientAuth mode) {
        return new ListenerTls(certificateChain, privateKey, clientCa, mode);
    }

    /**
     * Reads and checks the files: each exists and parses, the key belongs to the first certificate, the
     * certificate is valid now.
     *
     * @param listener what listens, for messages (e.g. "the twin API")
     * @throws TlsConfigurationException naming the file and what to do
     */
    public ServerCredentials load(final String listener) {
        return ServerCredentials.load(this, listener);
    }

    /**
     * Loads the files ({@link #load(String)}) and turns TLS on in {@code options} (HTTP, MQTT and TCP server options
     * alike).
     *
     * @return {@code options}
     */
    public <T extends NetServerOptions> T applyTo(final T options, final String listener) {
        load(listener).applyTo(options);
        return options;
    }

    /**
     * The secure form of a URL scheme when TLS is on: http to https, ws to wss, mqtt to mqtts; the scheme itself
     * when {@code tls} is null.
     */
    public static String scheme(final String plainScheme, final ListenerTls tls) {
        if (tls == null) {
            return plainScheme;
        }
        return switch (plainScheme) {
            case "http" -> "https";
            case "ws" -> "wss";
            case "mqtt" -> "mqtts";
            case "tcp" -> "ssl";
            default -> plainScheme + "s";
        };
    }
}
