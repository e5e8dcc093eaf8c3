package io.plantmesh.twin.server.ws;

import io.plantmesh.twin.server.TwinServerContext;
import io.vertx.ext.web.Router;

/** STUB: being implemented. */
public final class WebSocketEndpoint {

    private WebSocketEndpoint() {
    }

    public static void mount(Router router, TwinServerContext context) {
    }
}
