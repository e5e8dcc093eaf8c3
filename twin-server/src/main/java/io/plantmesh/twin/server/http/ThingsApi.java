package io.plantmesh.twin.server.http;

import io.plantmesh.twin.server.TwinServerContext;
import io.vertx.ext.web.Router;

/** STUB: being implemented. */
public final class ThingsApi {

    private ThingsApi() {
    }

    public static void mount(Router router, TwinServerContext context) {
    }
}
