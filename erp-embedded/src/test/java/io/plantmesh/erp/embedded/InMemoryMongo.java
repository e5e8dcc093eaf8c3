package io.plantmesh.erp.embedded;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/** mongo-java-server's in-memory backend on 127.0.0.1 and a random free port; survives ERP restarts until closed. */
final class InMemoryMongo implements AutoCloseable {

    private final MongoServer server;
    private final String uri;

    InMemoryMongo() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
    }

    String uri() {
        return uri;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
