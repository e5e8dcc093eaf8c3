package io.plantmesh.twin.server.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** A blocking HTTP client for the API tests, authenticated as one basic-auth user (or none). */
final class ApiClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final RunningTwinServer server;
    private final String authorization;

    private ApiClient(RunningTwinServer server, String authorization) {
        this.server = server;
        this.authorization = authorization;
    }

    static ApiClient as(RunningTwinServer server, String user) {
        return new ApiClient(server, RunningTwinServer.basic(user, user));
    }

    static ApiClient anonymous(RunningTwinServer server) {
        return new ApiClient(server, null);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<String> put(String path, String body, String... headers) {
        return send("PUT", path, body, headers);
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return send("POST", path, body, headers);
    }

    HttpResponse<String> patch(String path, String body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    HttpResponse<String> merge(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 2, headers.length);
        all[0] = "Content-Type";
        all[1] = "application/merge-patch+json";
        return send("PATCH", path, body, all);
    }

    HttpResponse<String> delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /** {@code headers} are name, value pairs; a JSON content type is set for bodies unless given. */
    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.httpBase() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        boolean contentTypeGiven = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            contentTypeGiven |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !contentTypeGiven) {
            b.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonObject json(HttpResponse<String> response) {
        return JsonFactory.newObject(response.body());
    }

    static JsonValue value(HttpResponse<String> response) {
        return JsonFactory.readFrom(response.body());
    }

    static String error(HttpResponse<String> response) {
        return json(response).getValue("error").map(JsonValue::asString).orElse("<no error code>");
    }
}
