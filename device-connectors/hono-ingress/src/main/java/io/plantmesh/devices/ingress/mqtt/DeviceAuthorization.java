package io.plantmesh.devices.ingress.mqtt;

import java.util.Optional;

import io.plantmesh.devices.ingress.kafka.HonoHeaders;
import io.plantmesh.devices.ingress.metrics.RejectReason;
import io.plantmesh.devices.ingress.registry.Device;
import io.plantmesh.devices.ingress.registry.RegistryLookups;
import io.plantmesh.devices.ingress.registry.Tenant;
import io.vertx.core.Future;

/**
 * Decides for which device a connection publishes and whether it may: an authenticated device for itself (empty
 * tenant and device levels, or its own), a gateway for a device that lists the gateway in {@code via}, an
 * unauthenticated client only with tenant and device in the topic. The connection's own device or tenant having
 * been disabled or removed is a terminal failure.
 */
public final class DeviceAuthorization {

    private final RegistryLookups lookups;

    public DeviceAuthorization(RegistryLookups lookups) {
        this.lookups = lookups;
    }

    /**
     * @param authenticated the connection's device, or null if unauthenticated
     * @param topicTenant the tenant level of the topic ("" if empty)
     * @param topicDevice the device level of the topic ("" if empty)
     */
    public Future<PublishTarget> authorize(AuthenticatedDevice authenticated, String topicTenant, String topicDevice) {
        if (authenticated == null) {
            return authorizeUnauthenticated(topicTenant, topicDevice);
        }
        boolean otherTenant = !topicTenant.isEmpty() && !topicTenant.equals(authenticated.tenantId());
        if (otherTenant) {
            return Future.failedFuture(PublishFailure.of(RejectReason.NOT_AUTHORIZED, "device "
                    + authenticated.deviceId() + " of tenant " + authenticated.tenantId()
                    + " may not publish for tenant " + topicTenant));
        }
        String targetId = topicDevice.isEmpty() ? authenticated.deviceId() : topicDevice;
        return lookups.tenant(authenticated.tenantId())
                .compose(tenant -> usableTenant(tenant, authenticated.tenantId(), true))
                .compose(tenant -> lookups.device(tenant.id(), authenticated.deviceId())
                        .compose(own -> usableDevice(own, authenticated.deviceId(), true))
                        .compose(own -> {
                            if (targetId.equals(own.id())) {
                                return Future.succeededFuture(new PublishTarget(tenant, own, null));
                            }
                            return lookups.device(tenant.id(), targetId)
                                    .compose(target -> usableDevice(target, targetId, false))
                                    .compose(target -> gatewayMayActFor(tenant, target, own.id()));
                        }));
    }

    private Future<PublishTarget> gatewayMayActFor(Tenant tenant, Device target, String gatewayId) {
        if (!target.isVia(gatewayId)) {
            return Future.failedFuture(PublishFailure.of(RejectReason.NOT_AUTHORIZED, "gateway " + gatewayId
                    + " is not in the via list of device " + target.id()));
        }
        return Future.succeededFuture(new PublishTarget(tenant, target, gatewayId));
    }

    private Future<PublishTarget> authorizeUnauthenticated(String topicTenant, String topicDevice) {
        if (topicTenant.isEmpty() || topicDevice.isEmpty()) {
            return Future.failedFuture(PublishFailure.of(RejectReason.MALFORMED_TOPIC,
                    "an unauthenticated device must publish to <endpoint>/<tenant>/<device>"));
        }
        return lookups.tenant(topicTenant)
                .compose(tenant -> usableTenant(tenant, topicTenant, false))
                .compose(tenant -> lookups.device(topicTenant, topicDevice)
                        .compose(device -> usableDevice(device, topicDevice, false))
                        .map(device -> new PublishTarget(tenant, device, null)));
    }

    private static Future<Tenant> usableTenant(Optional<Tenant> tenant, String tenantId, boolean terminal) {
        boolean usable = tenant.isPresent() && tenant.get().enabled()
                && tenant.get().isAdapterEnabled(HonoHeaders.ADAPTER_TYPE_MQTT);
        if (!usable) {
            String message = "tenant " + tenantId + " does not exist, is disabled or has the MQTT adapter disabled";
            return Future.failedFuture(failure(message, terminal));
        }
        return Future.succeededFuture(tenant.get());
    }

    private static Future<Device> usableDevice(Optional<Device> device, String deviceId, boolean terminal) {
        boolean usable = device.isPresent() && device.get().enabled();
        if (!usable) {
            return Future.failedFuture(failure("device " + deviceId + " does not exist or is disabled", terminal));
        }
        return Future.succeededFuture(device.get());
    }

    private static PublishFailure failure(String message, boolean terminal) {
        return terminal ? PublishFailure.terminal(RejectReason.DEVICE_UNKNOWN_OR_DISABLED, message)
                : PublishFailure.of(RejectReason.DEVICE_UNKNOWN_OR_DISABLED, message);
    }
}
