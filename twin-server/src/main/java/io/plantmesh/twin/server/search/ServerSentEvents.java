package io.plantmesh.twin.server.search;

import io.plantmesh.twin.server.TwinServerContext;
import io.vertx.ext.web.Router;

/** STUB: being implemented. */
public final class ServerSentEvents {

    private ServerSentEvents() {
    }

    public static void mount(Router router, TwinServerContext context) {
    }
}
