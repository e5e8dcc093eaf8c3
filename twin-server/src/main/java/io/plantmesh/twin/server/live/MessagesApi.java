package io.plantmesh.twin.server.live;

import io.plantmesh.twin.server.TwinServerContext;
import io.vertx.ext.web.Router;

/** STUB: being implemented. */
public final class MessagesApi {

    private MessagesApi() {
    }

    public static void mount(Router router, TwinServerContext context) {
    }
}
