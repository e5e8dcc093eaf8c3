package io.plantmesh.twin.server;

import io.plantmesh.twin.server.auth.AuthenticatorChain;
import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.events.TwinEventBus;
import io.plantmesh.twin.server.live.LiveSignalRouter;
import io.plantmesh.twin.server.search.ThingSearch;
import io.vertx.core.Vertx;

/** The parts of a running twin server that its endpoints (HTTP, WebSocket, SSE, search) share. */
public record TwinServerContext(Vertx vertx, TwinServerConfig config, TwinEngine engine, TwinEventBus events,
        AuthenticatorChain authenticator, ThingSearch search, LiveSignalRouter live) {
}
