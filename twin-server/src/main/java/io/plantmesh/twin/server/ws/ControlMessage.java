package io.plantmesh.twin.server.ws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A plain-text control message of Ditto's WebSocket protocol, e.g.
 * {@code START-SEND-EVENTS?namespaces=a,b&filter=gt(attributes/x,5)&extraFields=attributes/y}, or
 * {@code JWT-TOKEN?jwtToken=...}.
 *
 * @param command the part before {@code ?}
 * @param params URL-decoded query parameters
 */
public record ControlMessage(String command, Map<String, String> params) {

    /** The streams a session can start and stop. */
    public enum Stream {
        EVENTS, MESSAGES, LIVE_COMMANDS, LIVE_EVENTS, POLICY_ANNOUNCEMENTS
    }

    /** Parses a frame that is not JSON; empty if it is no control message Ditto knows. */
    public static Optional<ControlMessage> parse(String frame) {
        String text = frame.strip();
        int q = text.indexOf('?');
        String command = q < 0 ? text : text.substring(0, q);
        boolean known = command.equals("JWT-TOKEN") || stream(command).isPresent();
        if (!known) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : text.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.put(key, value);
            }
        }
        return Optional.of(new ControlMessage(command, params));
    }

    public boolean isStart() {
        return command.startsWith("START-SEND-");
    }

    public boolean isJwtRefresh() {
        return command.equals("JWT-TOKEN");
    }

    public Optional<Stream> stream() {
        return stream(command);
    }

    /** Ditto's reply: the command followed by {@code :ACK}. */
    public String ack() {
        return command + ":ACK";
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name)).filter(v -> !v.isBlank());
    }

    private static Optional<Stream> stream(String command) {
        String name;
        if (command.startsWith("START-SEND-")) {
            name = command.substring("START-SEND-".length());
        } else if (command.startsWith("STOP-SEND-")) {
            name = command.substring("STOP-SEND-".length());
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(Stream.valueOf(name.replace('-', '_')));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
