package io.plantmesh.devices.simulator.opcua;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.simulator.machine.SimulatedMachine;

/**
 * The OPC-UA server of one production line (Eclipse Milo), at {@code opc.tcp://<bind address>:<port><path>}, hosting
 * the line's OPC-UA machines in namespace {@value LineNamespace#NAMESPACE_URI}.
 *
 * <p>Endpoints: security policy None (mode None) and Basic256Sha256 with SignAndEncrypt, both with anonymous and
 * username identities, plus {@code <path>/discovery} without security. The certificate is self-signed and kept in
 * {@link OpcUaServerSettings#certDirectory()}{@code /line-<n>}.
 *
 * <p>{@link #create} returns an unstarted server; its caller must {@link #close()} it, also after a failed start.
 */
public final class LineOpcUaServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LineOpcUaServer.class);
    private static final String PRODUCT_URI = "urn:plantmesh:sim";
    private static final int START_ATTEMPTS_ON_FREE_PORT = 3;

    private final int line;
    private final List<SimulatedMachine> machines;
    private final OpcUaServerSettings settings;

    private OpcUaServer server;
    private LineNamespace namespace;
    private ServerCertificates certificates;
    private int port;

    private LineOpcUaServer(final int line, final List<SimulatedMachine> machines,
            final OpcUaServerSettings settings) {
        this.line = line;
        this.machines = List.copyOf(machines);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** An unstarted server for {@code machines} of line {@code line}. */
    public static LineOpcUaServer create(final int line, final List<SimulatedMachine> machines,
            final OpcUaServerSettings settings) {
        return new LineOpcUaServer(line, machines, settings);
    }

    /**
     * Binds and starts the server; blocks until it listens (generating the certificate on the first start takes a
     * moment).
     *
     * @throws IllegalStateException naming the address and what to do if the server cannot start
     */
    public synchronized LineOpcUaServer start() {
        if (server != null) {
            return this;
        }
        try {
            certificates = ServerCertificates.loadOrCreate(settings.certDirectory().resolve("line-" + line),
                    PRODUCT_URI + ":line-" + line, settings.bindAddress(), settings.trustAllClientCertificates());
        } catch (final Exception e) {
            throw new IllegalStateException("Could not load or create the OPC-UA server certificate of line " + line
                    + " in " + settings.certDirectory() + ": " + e.getMessage()
                    + "; check that the directory is writable, or delete it to have a new certificate generated", e);
        }
        final boolean pickFreePort = settings.port() == 0;
        final int attempts = pickFreePort ? START_ATTEMPTS_ON_FREE_PORT : 1;
        Exception last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            final int candidate = pickFreePort ? freePort(settings.bindAddress()) : settings.port();
            try {
                startOn(candidate);
                port = candidate;
                LOG.info("OPC-UA server of line {} listening at {} ({} machines; security None and "
                        + "Basic256Sha256/SignAndEncrypt; anonymous and username identities)", line, endpointUrl(),
                        machines.size());
                return this;
            } catch (final Exception e) {
                last = e;
                stopQuietly();
            }
        }
        throw new IllegalStateException("Could not start the OPC-UA server of line " + line + " on "
                + settings.bindAddress() + ":" + (pickFreePort ? "<free port>" : settings.port()) + ": "
                + rootMessage(last) + "; is the port taken? Choose another base port, or 0 for free ports", last);
    }

    /** The bound port; 0 before {@link #start()}. */
    public synchronized int port() {
        return port;
    }

    /** {@code opc.tcp://127.0.0.1:4841/plantmesh}; null before {@link #start()}. */
    public synchronized String endpointUrl() {
        return port == 0 ? null : "opc.tcp://" + settings.bindAddress() + ":" + port + settings.path();
    }

    public int line() {
        return line;
    }

    /** Copies the machines' current values into their variables; call after every simulation tick. */
    public void publish() {
        final LineNamespace current;
        synchronized (this) {
            current = namespace;
        }
        if (current != null) {
            current.publish();
        }
    }

    @Override
    public synchronized void close() {
        final boolean wasRunning = port != 0;
        stopQuietly();
        if (certificates != null) {
            try {
                certificates.close();
            } catch (final IOException e) {
                LOG.debug("Closing the certificate store of line {} failed", line, e);
            }
            certificates = null;
        }
        if (wasRunning) {
            LOG.info("OPC-UA server of line {} stopped", line);
        }
        port = 0;
    }

    private void startOn(final int candidatePort)
            throws InterruptedException, ExecutionException, TimeoutException {
        final OpcUaServerConfig config = OpcUaServerConfig.builder()
                .setApplicationUri(certificates.applicationUri())
                .setApplicationName(LocalizedText.english("PlantMesh simulated line " + line))
                .setProductUri(PRODUCT_URI)
                .setBuildInfo(new BuildInfo(PRODUCT_URI, "PlantMesh", "PlantMesh shop-floor simulator",
                        OpcUaServer.SDK_VERSION, "", DateTime.now()))
                .setEndpoints(endpoints(candidatePort))
                .setCertificateManager(certificates.certificateManager())
                .setIdentityValidator(new CompositeValidator(AnonymousIdentityValidator.INSTANCE,
                        new UsernameIdentityValidator(challenge -> {
                            final String expected = settings.users().get(challenge.getUsername());
                            return expected != null && expected.equals(challenge.getPassword());
                        })))
                .build();
        server = new OpcUaServer(config, transportProfile ->
                new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
        namespace = new LineNamespace(server, machines);
        namespace.startup();
        server.startup().get(30, TimeUnit.SECONDS);
    }

    private Set<EndpointConfig> endpoints(final int bindPort) {
        final EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(settings.bindAddress())
                .setBindPort(bindPort)
                .setHostname(settings.bindAddress())
                .setPath(settings.path())
                .setCertificate(certificates.certificate())
                .addTokenPolicies(OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS,
                        OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME);
        final Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        endpoints.add(base.copy()
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .build());
        endpoints.add(base.copy()
                .setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt)
                .build());
        // OPC UA Part 6: a discovery endpoint without security at <path>/discovery
        endpoints.add(base.copy()
                .setPath(settings.path() + "/discovery")
                .setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None)
                .build());
        return endpoints;
    }

    private void stopQuietly() {
        if (namespace != null) {
            try {
                namespace.shutdown();
            } catch (final RuntimeException e) {
                LOG.debug("Shutting down the namespace of line {} failed", line, e);
            }
            namespace = null;
        }
        if (server != null) {
            try {
                server.shutdown().get(10, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (final ExecutionException | TimeoutException e) {
                LOG.debug("Shutting down the OPC-UA server of line {} failed", line, e);
            }
            server = null;
        }
    }

    private static int freePort(final String bindAddress) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new IllegalStateException("Could not find a free port on " + bindAddress + ": " + e.getMessage()
                    + "; check the bind address", e);
        }
    }

    private static String rootMessage(final Throwable t) {
        Throwable root = t;
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == null ? "unknown error" : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
