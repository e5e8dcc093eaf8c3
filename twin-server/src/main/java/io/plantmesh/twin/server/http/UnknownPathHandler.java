package io.plantmesh.twin.server.http;

import org.eclipse.ditto.base.model.headers.DittoHeaders;

import io.vertx.ext.web.RoutingContext;

/** The last handler under {@code /api/2}: any request no endpoint took is Ditto's 404 {@code path.unknown}. */
final class UnknownPathHandler {

    private UnknownPathHandler() {
    }

    static void handle(RoutingContext rc) {
        DittoHeaders headers;
        try {
            headers = HttpSupport.dittoHeaders(rc);
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
            return;
        }
        HttpSupport.fail(rc, unknown(rc.request().path(), headers));
    }

    static UnknownPathException unknown(String rawPath, DittoHeaders headers) {
        return UnknownPathException.of(rawPath, "Ditto's HTTP API v2 has /api/2/things, /api/2/policies, "
                + "/api/2/search/things and /api/2/whoami. Check the path.", headers);
    }
}
