package io.plantmesh.erp.embedded;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a bridge does against SAP: Basic authentication, a CSRF token fetched with a GET and sent with every POST,
 * {@code Repeatability-Request-ID} on POSTs, JSON. Plain JDK HTTP client, so the tests exercise the wire contract.
 */
final class ErpClient {

    /** An HTTP response with its JSON body (null if the body is not JSON). */
    record Response(int status, Map<String, List<String>> headers, String text) {

        JsonObject json() {
            return text == null || text.isBlank() || !text.startsWith("{") ? null : new JsonObject(text);
        }

        /** {@code d} of a single-entity response. */
        JsonObject entity() {
            return json().getJsonObject("d");
        }

        /** {@code d.results} of a collection response. */
        JsonArray results() {
            return json().getJsonObject("d").getJsonArray("results");
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }

        /** {@code error.code} of an error response. */
        String errorCode() {
            return json().getJsonObject("error").getString("code");
        }

        /** {@code error.message.value} of an error response. */
        String errorMessage() {
            return json().getJsonObject("error").getJsonObject("message").getString("value");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String authorization;
    private String token;

    ErpClient(URI base, String user, String password) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
            .getBytes(StandardCharsets.UTF_8));
    }

    static ErpClient of(EmbeddedErp erp) {
        return new ErpClient(erp.baseUri(), erp.config().user(), erp.config().password());
    }

    /** GET {@code path} (relative to {@code .../sap/opu/odata/sap/}), query parameters encoded. */
    Response get(String path, String... query) {
        return send(HttpRequest.newBuilder(uri(path, query)).GET().header("Accept", "application/json")
            .header("Authorization", authorization));
    }

    /** Fetches a CSRF token as a bridge does (GET the service root with {@code x-csrf-token: Fetch}). */
    String fetchToken(String service) {
        Response response = send(HttpRequest.newBuilder(uri(service + "/", new String[0])).GET()
            .header("Authorization", authorization).header("x-csrf-token", "Fetch"));
        token = response.header("x-csrf-token");
        return token;
    }

    /** POST {@code body} with the CSRF token (fetched first if none) and a repeatability id (if not null). */
    Response post(String path, JsonObject body, String requestId) {
        if (token == null) {
            fetchToken(path.substring(0, path.indexOf('/')));
        }
        return postWith(path, body, requestId, token);
    }

    /** POST with exactly this token (null: none). */
    Response postWith(String path, JsonObject body, String requestId, String csrfToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path, new String[0]))
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .header("Content-Type", "application/json").header("Accept", "application/json")
            .header("Authorization", authorization);
        Optional.ofNullable(csrfToken).ifPresent(t -> request.header("x-csrf-token", t));
        if (requestId != null) {
            request.header("Repeatability-Request-ID", requestId)
                .header("Repeatability-First-Sent", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    ZonedDateTime.now(ZoneOffset.UTC)));
        }
        return send(request);
    }

    /** A request without the Authorization header. */
    Response getAnonymous(String path) {
        return send(HttpRequest.newBuilder(uri(path, new String[0])).GET());
    }

    private URI uri(String path, String[] query) {
        StringBuilder uri = new StringBuilder(base.toString()).append(path);
        for (int i = 0; i + 1 < query.length; i += 2) {
            uri.append(i == 0 ? '?' : '&').append(query[i]).append('=')
                .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return URI.create(uri.toString());
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("ERP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
