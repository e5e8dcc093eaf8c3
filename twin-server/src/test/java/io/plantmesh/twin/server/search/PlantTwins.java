package io.plantmesh.twin.server.search;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.support.RunningTwinServer;
import io.plantmesh.twin.server.things.ThingAction;
import io.plantmesh.twin.server.things.ThingCommand;

/**
 * The twins the search and SSE tests run against, and a small HTTP client for them. Things are written through the
 * engine as {@code nginx:ditto} (the HTTP things API is written in parallel).
 *
 * <ul>
 * <li>{@code plant.a:machine-01} .. {@code -12}: attributes {@code counter} = i, {@code name} = "m-NN", {@code line}
 * = L1 for even i else L2, {@code secret} = i; feature {@code temp} with property {@code value} = 1.5 i.
 * Machines 1..8 are readable by alice except {@code attributes/secret} (revoked); 9..12 only by ditto.</li>
 * <li>{@code plant.b:press-1}, {@code -2}: attributes {@code counter} 100, 200, {@code name} "press"; ditto only.</li>
 * </ul>
 */
final class PlantTwins {

    static final AuthorizationContext DITTO = AuthorizationModelFactory.newAuthContext(
            DittoAuthorizationContextType.PRE_AUTHENTICATED_HTTP,
            AuthorizationModelFactory.newAuthSubject("nginx:ditto"));

    private final RunningTwinServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    PlantTwins(RunningTwinServer server) {
        this.server = server;
    }

    static String machine(int i) {
        return String.format("plant.a:machine-%02d", i);
    }

    void createAll() {
        for (int i = 1; i <= 12; i++) {
            JsonObject attributes = JsonFactory.newObjectBuilder()
                    .set("counter", i)
                    .set("name", String.format("m-%02d", i))
                    .set("line", i % 2 == 0 ? "L1" : "L2")
                    .set("secret", i)
                    .build();
            JsonObject features = JsonFactory.newObject(
                    "{\"temp\":{\"properties\":{\"value\":" + (1.5 * i) + "}}}");
            put(machine(i), JsonFactory.newObjectBuilder()
                    .set("_policy", policy(i <= 8))
                    .set("attributes", attributes)
                    .set("features", features)
                    .build());
        }
        put("plant.b:press-1", JsonFactory.newObject(
                "{\"attributes\":{\"counter\":100,\"name\":\"press\"}}").setValue("_policy", policy(false)));
        put("plant.b:press-2", JsonFactory.newObject(
                "{\"attributes\":{\"counter\":200,\"name\":\"press\"}}").setValue("_policy", policy(false)));
    }

    private static JsonObject policy(boolean aliceReads) {
        String owner = "\"OWNER\":{\"subjects\":{\"nginx:ditto\":{\"type\":\"test\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
                + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}}";
        String reader = ",\"READER\":{\"subjects\":{\"nginx:alice\":{\"type\":\"test\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\"],\"revoke\":[]},"
                + "\"thing:/attributes/secret\":{\"grant\":[],\"revoke\":[\"READ\"]}}}";
        return JsonFactory.newObject("{\"entries\":{" + owner + (aliceReads ? reader : "") + "}}");
    }

    /** Creates or replaces a whole thing as ditto. */
    void put(String thingId, JsonObject thing) {
        write(ThingAction.MODIFY, thingId, JsonPointer.empty(), thing);
    }

    /** Sets a value inside a thing as ditto, e.g. {@code /attributes/counter}. */
    void put(String thingId, String path, JsonValue value) {
        write(ThingAction.MODIFY, thingId, JsonPointer.of(path), value);
    }

    private void write(ThingAction action, String thingId, JsonPointer path, JsonValue value) {
        TwinEngine engine = server.server().context().engine();
        try {
            engine.execute(ThingCommand.of(action, ThingId.of(thingId), path, value,
                    DittoHeaders.newBuilder().randomCorrelationId().build(), DITTO)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("writing " + thingId + path + " failed", e);
        }
    }

    /** GET with basic auth; query parameters are given unencoded as name/value pairs. */
    HttpResponse<String> get(String user, String path, String... params) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.httpBase() + path + query(params)))
                .header("Authorization", RunningTwinServer.basic(user, user))
                .timeout(Duration.ofSeconds(10))
                .GET().build();
        return send(request);
    }

    /** PUT of a JSON value through the HTTP API, e.g. {@code /api/2/things/a:b/attributes/x}. */
    HttpResponse<String> httpPut(String user, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.httpBase() + path))
                .header("Authorization", RunningTwinServer.basic(user, user))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return send(request);
    }

    /** POST with the parameters as a form body. */
    HttpResponse<String> postForm(String user, String path, String... params) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.httpBase() + path))
                .header("Authorization", RunningTwinServer.basic(user, user))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(query(params).replaceFirst("^\\?", "")))
                .build();
        return send(request);
    }

    HttpClient http() {
        return http;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(request.uri() + " failed", e);
        }
    }

    static String query(String... params) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i + 1 < params.length; i += 2) {
            b.append(b.length() == 0 ? "?" : "&")
                    .append(URLEncoder.encode(params[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
