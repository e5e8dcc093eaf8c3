package io.plantmesh.devices.ingestion.support;

import java.net.InetSocketAddress;
import java.util.Map;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;

/**
 * A real twin server on 127.0.0.1 with a random free port over an in-memory MongoDB wire-protocol server, as the
 * twin-server module's own tests start it. The ingestion talks to it only through Ditto's public API. Users:
 * {@code ditto/ditto} (subject {@code nginx:ditto}), {@code alice/alice}.
 */
public final class RunningTwinServer implements AutoCloseable {

    private final MongoServer mongo;
    private TwinServer server;
    private final int port;

    private RunningTwinServer(MongoServer mongo, TwinServer server, int port) {
        this.mongo = mongo;
        this.server = server;
        this.port = port;
    }

    public static RunningTwinServer start() {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        TwinServer server = TwinServer.create(config(mongo, 0));
        try {
            return new RunningTwinServer(mongo, server, server.start());
        } catch (RuntimeException e) {
            server.close();
            mongo.shutdownNow();
            throw e;
        }
    }

    private static TwinServerConfig config(MongoServer mongo, int port) {
        InetSocketAddress address = mongo.getLocalAddress();
        return TwinServerConfig.defaults("mongodb://127.0.0.1:" + address.getPort())
                .withPort(port)
                .withUsers(Map.of("ditto", "ditto", "alice", "alice"), null)
                .withPreAuthentication(true);
    }

    /** Stops the twin server (its MongoDB keeps the twins): Ditto is unreachable until {@link #restart()}. */
    public void stopServer() {
        server.close();
    }

    /** Starts the twin server again on the same port over the same twins. */
    public void restart() {
        server = TwinServer.create(config(mongo, port));
        server.start();
    }

    public String httpBase() {
        return "http://127.0.0.1:" + port;
    }

    public String wsBase() {
        return "ws://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
        mongo.shutdownNow();
    }
}
