package io.plantmesh.maintenance.mes;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.plantmesh.security.client.AccessToken;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.tls.ClientTrust;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Asks the MES for maintenance windows through the MES API ({@code POST <mesApi>/machines/{id}/maintenance-windows}).
 * The answer becomes the request record the service keeps with the model and shows in the health feature:
 * {@code {"status": "REQUESTED", "windowId", "start", "end", "requestedAt"}} when the MES planned it (201), or
 * {@code {"status": "EXISTING", ...}} when the machine already has a window then (409 {@code mes:maintenance.overlap}:
 * someone planned one already). Any other answer fails the future with a message naming the status and the MES's
 * error. With a token client, each request carries {@code Authorization: Bearer <token>} (the MES API lets the
 * {@code svc-maintenance} role plan windows); with a trust, an {@code https://} MES API is verified against it.
 */
public final class MaintenanceRequester implements AutoCloseable {

    private final WebClient client;
    private final URI mesApi;
    private final TokenClient tokens;

    public MaintenanceRequester(final Vertx vertx, final URI mesApi) {
        this(vertx, mesApi, null, null);
    }

    /**
     * @param tokens access tokens for the MES API (null: requests without {@code Authorization}, for an open MES API)
     * @param trust CAs an {@code https://} MES API is verified against (null: the JVM's default trust store)
     */
    public MaintenanceRequester(final Vertx vertx, final URI mesApi, final TokenClient tokens,
            final ClientTrust trust) {
        this.mesApi = Objects.requireNonNull(mesApi, "mesApi");
        this.tokens = tokens;
        final WebClientOptions options = new WebClientOptions().setConnectTimeout(5000).setIdleTimeout(30);
        if (trust != null) {
            options.setTrustOptions(trust.vertxTrustOptions()).setVerifyHost(true);
        }
        this.client = WebClient.create(vertx, options);
    }

    private Future<String> authorization() {
        if (tokens == null) {
            return Future.succeededFuture(null);
        }
        final Context context = Vertx.currentContext();
        return (context == null ? Future.fromCompletionStage(tokens.tokenAsync())
                : Future.fromCompletionStage(tokens.tokenAsync(), context)).map(AccessToken::authorization);
    }

    public URI mesApi() {
        return mesApi;
    }

    /**
     * Requests a window of {@code length} from now on {@code machineId}.
     *
     * @param now plant time of the request, for the record
     */
    public Future<JsonObject> request(final String machineId, final Duration length, final String reason,
            final String failureMode, final Instant now) {
        final String base = mesApi.toString().endsWith("/") ? mesApi.toString() : mesApi + "/";
        final URI target = URI.create(base + "machines/" + machineId + "/maintenance-windows");
        final JsonObject body = new JsonObject()
                .put("reason", reason)
                .put("duration", length.toString())
                .put("requestedBy", "maintenance")
                .put("failureMode", failureMode);
        return authorization().recover(failure -> Future.failedFuture("no access token for the MES API from client '"
                        + tokens.config().clientId() + "': " + failure.getMessage()))
                .compose(authorization -> {
                    final var request = client.requestAbs(io.vertx.core.http.HttpMethod.POST, target.toString())
                            .putHeader("Content-Type", "application/json")
                            .timeout(10_000);
                    if (authorization != null) {
                        request.putHeader("Authorization", authorization);
                    }
                    return request.sendJsonObject(body);
                })
                .compose(response -> {
                    final JsonObject answer = parse(response.bodyAsString());
                    if (response.statusCode() == 201) {
                        return Future.succeededFuture(new JsonObject()
                                .put("status", "REQUESTED")
                                .put("windowId", answer.getString("id"))
                                .put("start", answer.getString("start"))
                                .put("end", answer.getString("end"))
                                .put("requestedAt", now.toString()));
                    }
                    if (response.statusCode() == 409 && "mes:maintenance.overlap".equals(answer.getString("error"))) {
                        return Future.succeededFuture(new JsonObject()
                                .put("status", "EXISTING")
                                .put("message", answer.getString("message"))
                                .put("requestedAt", now.toString()));
                    }
                    return Future.failedFuture("the MES API at " + target + " answered " + response.statusCode()
                            + " " + answer.getString("error", "") + ": " + answer.getString("message",
                            response.bodyAsString()));
                });
    }

    private static JsonObject parse(final String body) {
        try {
            return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
        } catch (final RuntimeException e) {
            return new JsonObject().put("message", body);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
