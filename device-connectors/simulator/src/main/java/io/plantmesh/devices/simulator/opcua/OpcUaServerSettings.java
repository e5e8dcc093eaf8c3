package io.plantmesh.devices.simulator.opcua;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How a line's OPC-UA server listens and whom it lets in.
 *
 * @param bindAddress address to bind and to put in endpoint URLs, e.g. 127.0.0.1
 * @param port TCP port; 0 picks a free one (read it back from {@link LineOpcUaServer#port()})
 * @param path endpoint path, e.g. {@code /plantmesh}
 * @param certDirectory where the server's self-signed certificate (key store) and its PKI directory live; created if
 *     missing, reused on the next start
 * @param users username to password for the username identity (anonymous is always allowed)
 * @param trustAllClientCertificates true accepts any client certificate on secured endpoints (a simulator's
 *     convenience); false requires it in {@code <certDirectory>/pki/trusted/certs} (rejected ones land in
 *     {@code pki/rejected/certs})
 */
public record OpcUaServerSettings(String bindAddress, int port, String path, Path certDirectory,
        Map<String, String> users, boolean trustAllClientCertificates) {

    public static final String DEFAULT_PATH = "/plantmesh";

    public OpcUaServerSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(certDirectory, "certDirectory");
        users = users == null ? Map.of() : Map.copyOf(users);
        final boolean validPort = port >= 0 && port <= 65535;
        if (!validPort) {
            throw new IllegalArgumentException("OPC-UA port must be 0..65535 (0 = a free port), got " + port);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("OPC-UA endpoint path must start with '/', got '" + path + "'");
        }
    }

    public OpcUaServerSettings withPort(final int newPort) {
        return new OpcUaServerSettings(bindAddress, newPort, path, certDirectory, users, trustAllClientCertificates);
    }

    public OpcUaServerSettings withCertDirectory(final Path newCertDirectory) {
        return new OpcUaServerSettings(bindAddress, port, path, newCertDirectory, users, trustAllClientCertificates);
    }
}
