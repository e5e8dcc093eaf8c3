package io.plantmesh.mes.lease;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * mongo-java-server's in-memory backend on 127.0.0.1 and a random free port, with as many clients as a test wants
 * (one per simulated instance); closing it closes them all.
 */
final class InMemoryMongo implements AutoCloseable {

    static final String DATABASE = "mes";

    private final MongoServer server;
    private final String uri;
    private final List<MongoClient> clients = new ArrayList<>();

    InMemoryMongo() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        uri = "mongodb://127.0.0.1:" + address.getPort();
    }

    /** A new client's database; operations give up after {@code serverSelectionMillis} when the server is gone. */
    synchronized MongoDatabase newDatabase(long serverSelectionMillis) {
        MongoClientSettings settings = MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(uri))
            .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(serverSelectionMillis, TimeUnit.MILLISECONDS))
            .applyToSocketSettings(socket -> socket.connectTimeout(1, TimeUnit.SECONDS).readTimeout(2, TimeUnit.SECONDS))
            .build();
        MongoClient client = MongoClients.create(settings);
        clients.add(client);
        return client.getDatabase(DATABASE);
    }

    MongoDatabase newDatabase() {
        return newDatabase(5_000);
    }

    /** Stops the server (clients stay open and start failing), as if MongoDB became unreachable. */
    void stopServer() {
        server.shutdownNow();
    }

    @Override
    public synchronized void close() {
        clients.forEach(MongoClient::close);
        server.shutdownNow();
    }
}
