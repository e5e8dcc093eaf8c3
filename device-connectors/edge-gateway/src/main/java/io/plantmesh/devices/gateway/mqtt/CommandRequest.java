package io.plantmesh.devices.gateway.mqtt;

/**
 * A command Hono delivered to the gateway for one of its devices.
 *
 * @param requestId empty for a one-way command (no response expected)
 */
public record CommandRequest(String deviceId, String requestId, String command, byte[] payload) {

    public boolean oneWay() {
        return requestId.isEmpty();
    }
}
