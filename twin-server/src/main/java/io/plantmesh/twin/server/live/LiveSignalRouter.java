package io.plantmesh.twin.server.live;

/**
 * Routes live signals (messages to and from things, their responses, acknowledgements) between the HTTP API and the
 * WebSocket sessions that subscribed to them. STUB: being implemented.
 */
public final class LiveSignalRouter {
}
