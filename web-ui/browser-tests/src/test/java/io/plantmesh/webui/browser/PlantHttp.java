package io.plantmesh.webui.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.vertx.core.json.JsonObject;

/**
 * The footprint's APIs as the test reads and writes them behind the page's back: the twin API as ditto/ditto, the
 * MES API, the ERP's OData API as its technical user.
 */
final class PlantHttp {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI twinApi;
    private final URI mesApi;
    private final URI erpApi;

    PlantHttp(final URI twinApi, final URI mesApi, final URI erpApi) {
        this.twinApi = twinApi;
        this.mesApi = mesApi;
        this.erpApi = erpApi;
    }

    JsonObject twin(final String path) throws IOException, InterruptedException {
        return json(send(request(twinApi + path, "ditto", "ditto").GET().build()));
    }

    /** The JSON text at a path of the twin API (a sub-resource may be a plain JSON string or number). */
    String twinJson(final String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(twinApi + path, "ditto", "ditto").GET().build());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    void putTwin(final String path, final String json) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(twinApi + path, "ditto", "ditto")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
        assertThat(response.statusCode()).as("PUT " + path + ": " + response.body()).isBetween(200, 204);
    }

    JsonObject mes(final String path) throws IOException, InterruptedException {
        return json(send(HttpRequest.newBuilder(URI.create(mesApi + path)).timeout(Duration.ofSeconds(20)).GET()
                .build()));
    }

    JsonObject erp(final String path) throws IOException, InterruptedException {
        return json(send(request(erpApi + path, "PLANTMESH", "plantmesh").header("Accept", "application/json")
                .GET().build()));
    }

    private HttpResponse<String> send(final HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject json(final HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.request().uri() + ": " + response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }

    private static HttpRequest.Builder request(final String uri, final String user, final String password) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
}
