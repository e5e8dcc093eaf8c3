package io.plantmesh.twin.server.http;

import java.util.Set;
import java.util.TreeSet;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayMethodNotAllowedException;

import io.vertx.ext.web.RoutingContext;

/** Ditto's 405 ({@code gateway:method.notallowed}) for a method a known resource does not offer, with {@code Allow}. */
final class MethodNotAllowed {

    private MethodNotAllowed() {
    }

    /** Throws the 405 unless the request's method is one of {@code allowed}. */
    static void check(RoutingContext rc, Set<String> allowed, DittoHeaders headers) {
        String method = rc.request().method().name();
        if (allowed.contains(method)) {
            return;
        }
        String allow = String.join(", ", new TreeSet<>(allowed));
        rc.response().putHeader("Allow", allow);
        throw error(method, allow, headers);
    }

    private static DittoRuntimeException error(String method, String allow, DittoHeaders headers) {
        return GatewayMethodNotAllowedException.newBuilder(method)
                .description("This resource supports " + allow + ".")
                .dittoHeaders(headers)
                .build();
    }
}
