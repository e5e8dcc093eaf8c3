package io.plantmesh.twin.server.auth;

import java.util.function.Function;

/**
 * What a request offers to authenticate with: its headers and, for the WebSocket handshake only, its query parameters
 * (Ditto accepts a token as {@code ?access_token=} there, because browsers cannot set headers on a WebSocket).
 *
 * @param header looks up a request header by name (case-insensitive), null if absent
 * @param queryParameter looks up a query parameter, null if absent (always null outside the WebSocket handshake)
 */
public record RequestCredentials(Function<String, String> header, Function<String, String> queryParameter) {

    /** Credentials from headers only (HTTP API requests). */
    public static RequestCredentials headersOnly(Function<String, String> header) {
        return new RequestCredentials(header, name -> null);
    }

    public String header(String name) {
        return header.apply(name);
    }

    public String queryParameter(String name) {
        return queryParameter.apply(name);
    }
}
