package io.plantmesh.maintenance.support;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;

/**
 * A real twin server on 127.0.0.1 (free port) over an in-memory MongoDB, which also serves the services' own
 * databases; twins are written and read over the twin server's HTTP API as user {@code ditto}.
 */
public final class TestTwins implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8));

    private final MongoServer mongo;
    private final TwinServer server;
    private final int port;

    private TestTwins(final MongoServer mongo, final TwinServer server, final int port) {
        this.mongo = mongo;
        this.server = server;
        this.port = port;
    }

    public static TestTwins start() {
        final MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        final InetSocketAddress address = mongo.getLocalAddress();
        final TwinServer server = TwinServer.create(TwinServerConfig.defaults("mongodb://127.0.0.1:"
                        + address.getPort())
                .withPort(0)
                .withUsers(Map.of("ditto", "ditto"), null));
        try {
            return new TestTwins(mongo, server, server.start());
        } catch (final RuntimeException e) {
            server.close();
            mongo.shutdownNow();
            throw e;
        }
    }

    public String mongoUri() {
        return "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
    }

    public URI wsEndpoint() {
        return URI.create("ws://127.0.0.1:" + port + "/ws/2");
    }

    public void put(final Thing thing) {
        final ThingId id = thing.getEntityId().orElseThrow();
        check("PUT " + id, send("PUT", "/things/" + id, thing.toJson().toString()));
    }

    /** Merges {@code patch} into the thing, like a device's connectivity would. */
    public void merge(final ThingId id, final String patch) {
        check("PATCH " + id, send("PATCH", "/things/" + id, patch));
    }

    public Thing get(final ThingId id) {
        final HttpResponse<String> r = send("GET", "/things/" + id + "?fields=thingId,policyId,definition,"
                + "attributes,features,_revision", null);
        check("GET " + id, r);
        return ThingsModelFactory.newThing(JsonFactory.newObject(r.body()));
    }

    private static void check(final String what, final HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " -> " + r.statusCode() + " " + r.body());
        }
    }

    private HttpResponse<String> send(final String method, final String path, final String body) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/2"
                + path)).timeout(Duration.ofSeconds(10)).header("Authorization", AUTH);
        if (body != null) {
            b.header("Content-Type", "PATCH".equals(method) ? "application/merge-patch+json" : "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (final java.io.IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        mongo.shutdownNow();
    }
}
