package io.plantmesh.twin.server.support;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;

/**
 * A twin server on 127.0.0.1 with a random free port over an in-memory MongoDB wire-protocol server (also on a random
 * port), for integration tests. Users: {@code ditto/ditto} (subject {@code nginx:ditto}), {@code alice/alice},
 * {@code bob/bob}; pre-authentication is on. Close it after the test.
 */
public final class RunningTwinServer implements AutoCloseable {

    private final MongoServer mongo;
    private final TwinServer server;
    private final int port;

    private RunningTwinServer(MongoServer mongo, TwinServer server, int port) {
        this.mongo = mongo;
        this.server = server;
        this.port = port;
    }

    public static RunningTwinServer start() {
        return start(UnaryOperator.identity());
    }

    /** A server whose configuration (the one {@link #start()} uses) is changed first, e.g. to accept tokens. */
    public static RunningTwinServer start(UnaryOperator<TwinServerConfig> customize) {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        InetSocketAddress address = mongo.getLocalAddress();
        String uri = "mongodb://127.0.0.1:" + address.getPort();
        TwinServerConfig config = customize.apply(TwinServerConfig.defaults(uri)
                .withPort(0)
                .withUsers(Map.of("ditto", "ditto", "alice", "alice", "bob", "bob"), null)
                .withPreAuthentication(true));
        TwinServer server = TwinServer.create(config);
        try {
            int port = server.start();
            return new RunningTwinServer(mongo, server, port);
        } catch (RuntimeException e) {
            server.close();
            mongo.shutdownNow();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public String httpBase() {
        return "http://127.0.0.1:" + port;
    }

    public String wsBase() {
        return "ws://127.0.0.1:" + port;
    }

    public TwinServer server() {
        return server;
    }

    /** The value of an HTTP basic Authorization header. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
        mongo.shutdownNow();
    }
}
