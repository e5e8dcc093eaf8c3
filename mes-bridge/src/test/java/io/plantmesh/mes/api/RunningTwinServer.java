package io.plantmesh.mes.api;

import java.net.InetSocketAddress;
import java.util.Map;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;

/**
 * A real twin server on 127.0.0.1 with a random free port over an in-memory MongoDB wire-protocol server, as the
 * twin-server module's own tests start it. The MES API talks to it only through Ditto's public API. Users:
 * {@code ditto/ditto} (subject {@code nginx:ditto}), {@code alice/alice}.
 */
final class RunningTwinServer implements AutoCloseable {

    private final MongoServer mongo;
    private final TwinServer server;
    private final int port;

    private RunningTwinServer(final MongoServer mongo, final TwinServer server, final int port) {
        this.mongo = mongo;
        this.server = server;
        this.port = port;
    }

    static RunningTwinServer start() {
        final MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        final TwinServer server = TwinServer.create(config(mongo));
        try {
            return new RunningTwinServer(mongo, server, server.start());
        } catch (final RuntimeException e) {
            server.close();
            mongo.shutdownNow();
            throw e;
        }
    }

    private static TwinServerConfig config(final MongoServer mongo) {
        final InetSocketAddress address = mongo.getLocalAddress();
        return TwinServerConfig.defaults("mongodb://127.0.0.1:" + address.getPort())
                .withPort(0)
                .withUsers(Map.of("ditto", "ditto", "alice", "alice"), null)
                .withPreAuthentication(true);
    }

    String httpBase() {
        return "http://127.0.0.1:" + port;
    }

    String wsBase() {
        return "ws://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
        mongo.shutdownNow();
    }
}
