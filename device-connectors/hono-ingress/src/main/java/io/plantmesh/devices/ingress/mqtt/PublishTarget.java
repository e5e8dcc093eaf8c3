package io.plantmesh.devices.ingress.mqtt;

import io.plantmesh.devices.ingress.registry.Device;
import io.plantmesh.devices.ingress.registry.Tenant;

/**
 * The device a PUBLISH is for, after authorization.
 *
 * @param tenant the device's tenant
 * @param device the device the message is for
 * @param gatewayId the gateway that published on the device's behalf, or null if the device published itself
 */
public record PublishTarget(Tenant tenant, Device device, String gatewayId) {

    public boolean viaGateway() {
        return gatewayId != null;
    }
}
