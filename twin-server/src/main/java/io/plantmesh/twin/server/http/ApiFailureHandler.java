package io.plantmesh.twin.server.http;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeExceptionBuilder;
import org.eclipse.ditto.base.model.exceptions.UnsupportedMediaTypeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayInternalErrorException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayMethodNotAllowedException;
import org.eclipse.ditto.messages.model.MessagePayloadSizeTooLargeException;
import org.eclipse.ditto.policies.model.PolicyTooLargeException;
import org.eclipse.ditto.things.model.ThingTooLargeException;

import io.plantmesh.twin.server.TwinServerConfig;
import io.plantmesh.twin.server.engine.JsonInvalidException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * The failure handler for everything under {@code /api/2}: a route's exception, or a bare status set by Vert.x itself
 * (the body handler's 413 for a body over the hard limit, a 400 for an unreadable request), becomes Ditto's error
 * JSON with Ditto's error code.
 */
final class ApiFailureHandler {

    private final TwinServerConfig config;

    ApiFailureHandler(TwinServerConfig config) {
        this.config = config;
    }

    void handle(RoutingContext rc) {
        Throwable failure = rc.failure();
        int status = rc.statusCode();
        if (failure instanceof HttpException http) {
            status = http.getStatusCode();
            failure = null;
        }
        HttpSupport.fail(rc, failure != null ? failure : forStatus(rc, status));
    }

    private DittoRuntimeException forStatus(RoutingContext rc, int status) {
        DittoHeaders headers = correlationOnly(rc);
        String path = rc.request().path();
        return switch (status) {
            case 413 -> tooLarge(rc, path).dittoHeaders(headers).build();
            case 404 -> UnknownPathHandler.unknown(path, headers);
            case 405 -> GatewayMethodNotAllowedException.newBuilder(rc.request().method().name())
                    .dittoHeaders(headers).build();
            case 415 -> UnsupportedMediaTypeException.builderForEmptyContentTypeHeader(
                    String.valueOf(rc.request().getHeader("Content-Type"))).dittoHeaders(headers).build();
            case 400 -> JsonInvalidException.of("The request could not be read.", headers);
            default -> GatewayInternalErrorException.newBuilder()
                    .message("The request failed with status " + status + ".")
                    .dittoHeaders(headers).build();
        };
    }

    private DittoRuntimeExceptionBuilder<? extends DittoRuntimeException> tooLarge(RoutingContext rc, String path) {
        long size = contentLength(rc);
        if (path.startsWith(PolicyRoutes.POLICIES)) {
            return PolicyTooLargeException.newBuilder(size, config.maxPolicyBytes());
        }
        if (path.contains("/inbox/") || path.contains("/outbox/")) {
            return MessagePayloadSizeTooLargeException.newBuilder(size, config.maxMessageBytes());
        }
        return ThingTooLargeException.newBuilder(size, config.maxThingBytes());
    }

    /** The announced body size; the hard limit plus one if the request streams without Content-Length. */
    private long contentLength(RoutingContext rc) {
        try {
            return Long.parseLong(rc.request().getHeader("Content-Length"));
        } catch (NumberFormatException e) {
            return RequestBodies.hardLimit(config.maxThingBytes(), config.maxPolicyBytes()) + 1;
        }
    }

    /** The request's headers may be the failure's cause, so only its correlation id is taken. */
    private static DittoHeaders correlationOnly(RoutingContext rc) {
        String id = rc.request().getHeader("correlation-id");
        return id == null ? DittoHeaders.empty() : DittoHeaders.newBuilder().correlationId(id).build();
    }
}
