package io.plantmesh.devices.gateway.command;

import io.vertx.core.json.JsonObject;

/**
 * The answer to a command: an HTTP-style status (200 accepted, 400 bad payload, 404 unknown command or device, 409
 * rejected by the machine, 503 OPC-UA unreachable) and a JSON body.
 */
public record CommandOutcome(int status, JsonObject body) {

    public static CommandOutcome of(final int status, final boolean accepted, final String message) {
        return new CommandOutcome(status, new JsonObject().put("accepted", accepted).put("message", message));
    }
}
