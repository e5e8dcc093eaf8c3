package io.plantmesh.devices.ingress.mqtt;

/**
 * The device (or gateway) a connection authenticated as.
 *
 * @param tenantId its tenant
 * @param deviceId its device id
 * @param authId the auth-id it used ({@code <auth-id>@<tenant>})
 */
public record AuthenticatedDevice(String tenantId, String deviceId, String authId) {
}
