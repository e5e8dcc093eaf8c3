package io.plantmesh.twin.server.http;

import io.plantmesh.twin.server.TwinServerConfig;
import io.plantmesh.twin.server.TwinServerContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Ditto's HTTP API v2 for things, policies and the requester: {@code /api/2/things[/...]},
 * {@code /api/2/policies/...}, {@code /api/2/whoami}; plus Ditto's 404 for every other {@code /api/2} path and
 * Ditto's error JSON for every failure under {@code /api/2}. Mount it last: it answers whatever the endpoints mounted
 * before it pass on.
 */
public final class ThingsApi {

    private ThingsApi() {
    }

    /** Mounts the API; acknowledgements other than {@code twin-persisted} time out (no subscriber can issue them). */
    public static void mount(Router router, TwinServerContext context) {
        mount(router, context, new NoSubscriberAcknowledgements());
    }

    /** Mounts the API with the given way to wait for custom acknowledgements (see {@link AcknowledgementWaiter}). */
    public static void mount(Router router, TwinServerContext context, AcknowledgementWaiter acknowledgements) {
        TwinServerConfig config = context.config();
        // a loose cap only: the engine checks Ditto's exact entity size limits
        BodyHandler body = BodyHandler.create(false)
                .setBodyLimit(RequestBodies.hardLimit(config.maxThingBytes(), config.maxPolicyBytes()));
        ThingRoutes things = new ThingRoutes(context, acknowledgements);
        PolicyRoutes policies = new PolicyRoutes(context);

        router.route(ThingRoutes.THINGS).handler(body).handler(things::collection);
        router.route(ThingRoutes.THINGS + "/*").handler(body).handler(things::resource);
        router.route(PolicyRoutes.POLICIES + "/*").handler(body).handler(policies::resource);
        router.route(WhoAmIRoute.WHOAMI).handler(WhoAmIRoute::handle);
        router.route("/api/2/*").handler(UnknownPathHandler::handle);
        router.route("/api/2/*").failureHandler(new ApiFailureHandler(config)::handle);
    }
}
