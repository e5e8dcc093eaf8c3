package io.plantmesh.twin.server.http;

import java.util.Set;

import org.eclipse.ditto.base.model.exceptions.UnsupportedMediaTypeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;

import io.plantmesh.twin.server.engine.JsonInvalidException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * Request bodies of the things and policies API: JSON, with RFC 7396 merge patches for {@code PATCH}. The body
 * handler only caps the size loosely (see {@link #hardLimit}); the engine checks Ditto's exact entity size limits.
 */
final class RequestBodies {

    static final String MERGE_PATCH = "application/merge-patch+json";

    private RequestBodies() {
    }

    /**
     * The largest body the HTTP layer reads at all: twice the entity limit, so pretty-printed JSON of an entity just
     * within Ditto's limit still reaches the engine, which measures the entity itself.
     */
    static long hardLimit(long maxThingBytes, long maxPolicyBytes) {
        return 2 * Math.max(maxThingBytes, maxPolicyBytes);
    }

    /** The body as JSON; null if there is none (the engine answers 400 where a body is required). */
    static JsonValue json(RoutingContext rc, DittoHeaders headers) {
        Buffer body = rc.body() == null ? null : rc.body().buffer();
        if (body == null || body.length() == 0) {
            return null;
        }
        String text = body.toString();
        if (text.isBlank()) {
            return null;
        }
        try {
            return JsonFactory.readFrom(text);
        } catch (JsonRuntimeException | IllegalArgumentException e) {
            throw JsonInvalidException.of("The request body is not valid JSON: " + e.getMessage(), headers);
        }
    }

    /** A merge patch must be sent as {@code application/merge-patch+json}; anything else is Ditto's 415. */
    static void requireMergePatch(RoutingContext rc, DittoHeaders headers) {
        String contentType = rc.request().getHeader("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase();
        if (!mediaType.equals(MERGE_PATCH)) {
            throw UnsupportedMediaTypeException
                    .withDetailedInformationBuilder(contentType == null ? "none" : contentType, Set.of(MERGE_PATCH))
                    .dittoHeaders(headers)
                    .build();
        }
    }
}
