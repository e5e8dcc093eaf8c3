package io.plantmesh.mes.support;

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
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;
import io.plantmesh.twin.server.TwinServer;
import io.plantmesh.twin.server.TwinServerConfig;

/**
 * A real twin server on 127.0.0.1 (random port) over an in-memory MongoDB, which also serves the bridge's own
 * database; twins are written and read over the twin server's HTTP API as user {@code ditto}, like any other client.
 */
public final class TestPlant implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8));

    private final MongoServer mongo;
    private final TwinServer server;
    private final int port;

    private TestPlant(final MongoServer mongo, final TwinServer server, final int port) {
        this.mongo = mongo;
        this.server = server;
        this.port = port;
    }

    public static TestPlant start() {
        final MongoServer mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        final InetSocketAddress address = mongo.getLocalAddress();
        final TwinServer server = TwinServer.create(TwinServerConfig.defaults("mongodb://127.0.0.1:"
                        + address.getPort())
                .withPort(0)
                .withUsers(Map.of("ditto", "ditto"), null));
        try {
            return new TestPlant(mongo, server, server.start());
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

    public String httpBase() {
        return "http://127.0.0.1:" + port + "/api/2";
    }

    public void put(final Thing thing) {
        final ThingId id = thing.getEntityId().orElseThrow();
        final HttpResponse<String> r = send("PUT", "/things/" + id, thing.toJson().toString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + id + " -> " + r.statusCode() + " " + r.body());
        }
    }

    public void put(final MachineTwin t) {
        put(t.toThing());
    }

    public void put(final LineTwin t) {
        put(t.toThing());
    }

    public void put(final WorkOrderTwin t) {
        put(t.toThing());
    }

    public void put(final MaterialTwin t) {
        put(t.toThing());
    }

    /** Merges {@code patch} into the thing (like a device or another client would). */
    public void merge(final ThingId id, final String patch) {
        final HttpResponse<String> r = send("PATCH", "/things/" + id, patch);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("PATCH " + id + " -> " + r.statusCode() + " " + r.body());
        }
    }

    public Thing get(final ThingId id) {
        final HttpResponse<String> r = send("GET", "/things/" + id + "?fields=thingId,policyId,definition,"
                + "attributes,features,_revision", null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + id + " -> " + r.statusCode() + " " + r.body());
        }
        return ThingsModelFactory.newThing(JsonFactory.newObject(r.body()));
    }

    public WorkOrderTwin order(final ThingId id) {
        return WorkOrderTwin.fromThing(get(id));
    }

    public MachineTwin machine(final ThingId id) {
        return MachineTwin.fromThing(get(id));
    }

    public LineTwin line(final ThingId id) {
        return LineTwin.fromThing(get(id));
    }

    public long revision(final ThingId id) {
        return get(id).getRevision().orElseThrow().toLong();
    }

    /** Sets a machine's state feature (as the machine's connectivity would). */
    public void machineState(final ThingId machine, final String state, final java.time.Instant since) {
        merge(machine, "{\"features\":{\"state\":{\"properties\":{\"state\":\"" + state + "\",\"since\":\""
                + since + "\",\"reason\":\"test\"}}}}");
    }

    /** Sets a machine's counters (as the machine's connectivity would). */
    public void counters(final ThingId machine, final long good, final long scrap) {
        merge(machine, "{\"features\":{\"counters\":{\"properties\":{\"good\":" + good + ",\"scrap\":" + scrap
                + "}}}}");
    }

    /** Sets what a machine reports it runs (null for nothing). */
    public void reportedJob(final ThingId machine, final String workOrder) {
        final JsonValue wo = workOrder == null ? JsonValue.nullLiteral() : JsonValue.of(workOrder);
        merge(machine, JsonObject.newBuilder().set("features", JsonObject.newBuilder().set("job",
                JsonObject.newBuilder().set("properties", JsonObject.newBuilder().set("workOrder", wo)
                        .set("operation", workOrder == null ? JsonValue.nullLiteral() : JsonValue.of("10"))
                        .build()).build()).build()).build().toString());
    }

    public HttpResponse<String> send(final String method, final String path, final String body) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpBase() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", AUTH);
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
