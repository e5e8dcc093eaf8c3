package io.plantmesh.twin.server.http;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayInternalErrorException;
import org.eclipse.ditto.json.JsonArrayBuilder;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.server.auth.Authentication;
import io.plantmesh.twin.server.engine.JsonInvalidException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Shared HTTP plumbing for every endpoint: the authenticated requester, Ditto headers from HTTP headers and query
 * parameters, and Ditto's error JSON on every failure.
 */
public final class HttpSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSupport.class);

    /** Key under which the authentication handler stores the requester's {@link AuthorizationContext}. */
    public static final String AUTH_KEY = "plantmesh.auth";
    /** Key of the requester's full {@link Authentication} (with its access token, if any). */
    public static final String AUTHENTICATION_KEY = "plantmesh.authentication";

    /** Ditto headers that may also be given as query parameters. */
    private static final Set<String> HEADER_PARAMS = Set.of("correlation-id", "response-required", "requested-acks",
            "timeout", "condition", "live-channel-condition", "live-channel-timeout-strategy", "if-match",
            "if-none-match", "put-metadata", "channel", "allow-policy-lockout");

    /** Headers Ditto sets itself; a client may not send them. */
    private static final Set<String> IGNORED = Set.of("ditto-originator", "read-subjects", "subject",
            "authorization", "host", "connection", "content-length", "accept-encoding", "user-agent", "accept",
            "x-ditto-pre-authenticated", "cookie");

    private HttpSupport() {
    }

    public static AuthorizationContext auth(RoutingContext rc) {
        return rc.get(AUTH_KEY);
    }

    public static Authentication authentication(RoutingContext rc) {
        return rc.get(AUTHENTICATION_KEY);
    }

    /**
     * Ditto headers of a request: its HTTP headers and the Ditto header query parameters; a correlation id is made up
     * if the request has none. Invalid values fail with Ditto's {@code header.invalid} (400).
     */
    public static DittoHeaders dittoHeaders(RoutingContext rc) {
        DittoHeadersBuilder<?, ?> b = DittoHeaders.newBuilder();
        for (Map.Entry<String, String> e : rc.request().headers()) {
            String name = e.getKey().toLowerCase();
            if (!IGNORED.contains(name) && !name.startsWith("ditto-") && !name.startsWith("x-forwarded")) {
                b.putHeader(name, headerValue(name, e.getValue()));
            }
        }
        for (Map.Entry<String, String> e : rc.queryParams()) {
            String name = e.getKey().toLowerCase();
            if (HEADER_PARAMS.contains(name)) {
                b.putHeader(name, headerValue(name, e.getValue()));
            }
        }
        DittoHeaders headers = b.build();
        if (headers.getCorrelationId().isEmpty()) {
            headers = DittoHeaders.of(headers.toBuilder().randomCorrelationId().build());
        }
        return headers;
    }

    /**
     * Ditto's gateway accepts {@code requested-acks} as a comma-separated list ({@code twin-persisted,my-ack}) as well
     * as the JSON array its headers hold; the list is turned into the array.
     */
    private static String headerValue(String name, String value) {
        if (!name.equals("requested-acks") || value.trim().startsWith("[")) {
            return value;
        }
        JsonArrayBuilder labels = JsonFactory.newArrayBuilder();
        for (String label : value.split(",")) {
            if (!label.isBlank()) {
                labels.add(label.trim());
            }
        }
        return labels.build().toString();
    }

    /** Writes Ditto's error JSON with the exception's status and the request's correlation id. */
    public static void fail(RoutingContext rc, Throwable error) {
        DittoRuntimeException e = toDitto(error);
        HttpServerResponse response = rc.response();
        if (response.ended()) {
            return;
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        response.setStatusCode(e.getHttpStatus().getCode());
        Optional.ofNullable(e.getDittoHeaders()).flatMap(DittoHeaders::getCorrelationId)
                .or(() -> Optional.ofNullable(rc.request().getHeader("correlation-id")))
                .ifPresent(id -> response.putHeader("correlation-id", id));
        Optional.ofNullable(e.getDittoHeaders()).flatMap(DittoHeaders::getETag)
                .ifPresent(tag -> response.putHeader("ETag", tag.toString()));
        if (e.getHttpStatus().getCode() == 304) {
            response.end();
            return;
        }
        response.putHeader("Content-Type", "application/json");
        response.end(e.toJson().toString());
    }

    /** Any failure as a Ditto exception; anything unexpected is logged and becomes a 500 that says so. */
    public static DittoRuntimeException toDitto(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof DittoRuntimeException dre) {
            return dre;
        }
        if (t instanceof JsonRuntimeException jre) {
            return JsonInvalidException.of("The body is not valid JSON: " + jre.getMessage(), DittoHeaders.empty());
        }
        LOG.error("Unexpected error while handling a request", t);
        return GatewayInternalErrorException.newBuilder()
                .message("Internal error: " + t)
                .description("This is a bug in the twin server; the request changed nothing it did not confirm.")
                .build();
    }
}
