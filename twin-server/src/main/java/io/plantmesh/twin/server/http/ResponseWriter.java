package io.plantmesh.twin.server.http;

import java.util.Optional;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.json.JsonValue;

import io.plantmesh.twin.server.live.AggregatedAcks;
import io.plantmesh.twin.server.policies.PolicyResult;
import io.plantmesh.twin.server.things.ThingResult;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes successful answers the way Ditto's gateway does: the result's status, a JSON body for 200 and 201, the
 * resource's {@code ETag}, {@code Location} for 201 and the request's {@code correlation-id}.
 */
final class ResponseWriter {

    private ResponseWriter() {
    }

    static void thing(RoutingContext rc, DittoHeaders headers, ThingResult result, String location) {
        write(rc, headers, result.status(), result.value(), result.entityTag(), location);
    }

    static void policy(RoutingContext rc, DittoHeaders headers, PolicyResult result, String location) {
        write(rc, headers, result.status(), result.value(), result.entityTag(), location);
    }

    /** 202 without body: the request said it needs no response ({@code response-required=false}). */
    static void accepted(RoutingContext rc, DittoHeaders headers) {
        HttpServerResponse response = start(rc, headers);
        if (response != null) {
            response.setStatusCode(HttpStatus.ACCEPTED.getCode()).end();
        }
    }

    static void json(RoutingContext rc, DittoHeaders headers, HttpStatus status, JsonValue body) {
        write(rc, headers, status, Optional.of(body), Optional.empty(), null);
    }

    /**
     * Requested acknowledgements: one label is answered with that acknowledgement's status and payload, several with
     * Ditto's combined status and a body label -> {status, payload, headers}.
     */
    static void acknowledgements(RoutingContext rc, DittoHeaders headers, AggregatedAcks acks) {
        if (acks.acknowledgements().size() == 1) {
            Acknowledgement ack = acks.acknowledgements().get(0);
            write(rc, headers, ack.getHttpStatus(), ack.getEntity(), Optional.empty(), null);
        } else {
            write(rc, headers, acks.status(), Optional.of(acks.toHttpJson()), Optional.empty(), null);
        }
    }

    private static void write(RoutingContext rc, DittoHeaders headers, HttpStatus status, Optional<JsonValue> body,
            Optional<EntityTag> tag, String location) {
        HttpServerResponse response = start(rc, headers);
        if (response == null) {
            return;
        }
        response.setStatusCode(status.getCode());
        tag.ifPresent(t -> response.putHeader("ETag", t.toString()));
        if (status.getCode() == HttpStatus.CREATED.getCode() && location != null) {
            response.putHeader("Location", location);
        }
        boolean withBody = body.isPresent() && (status.getCode() == 200 || status.getCode() == 201
                || status.getCode() >= 400);
        if (withBody) {
            response.putHeader("Content-Type", "application/json").end(body.get().toString());
        } else {
            response.end();
        }
    }

    /** The response with the correlation id set; null if the client went away or it was already answered. */
    private static HttpServerResponse start(RoutingContext rc, DittoHeaders headers) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return null;
        }
        headers.getCorrelationId().ifPresent(id -> response.putHeader("correlation-id", id));
        return response;
    }
}
