package io.plantmesh.devices.ingress.mqtt;

import java.time.Duration;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.plantmesh.devices.ingress.kafka.HonoHeaders;
import io.plantmesh.devices.ingress.registry.RegistryLookups;
import io.vertx.core.Future;
import io.vertx.mqtt.MqttAuth;

/**
 * Authenticates a CONNECT by user name {@code <auth-id>@<tenant>} and password against the device's
 * {@code hashed-password} credentials. Unknown auth-id or wrong password: CONNACK 0x04 (bad user name or password);
 * disabled device, disabled tenant or the MQTT adapter disabled for the tenant: 0x05 (not authorized). Repeated bad
 * credentials for one user name lock it out for a while ({@link AuthFailureThrottle}): 0x05 without a password check.
 */
public final class ConnectAuthenticator {

    private final RegistryLookups lookups;
    private final boolean authenticationRequired;
    private final AuthFailureThrottle throttle;

    public ConnectAuthenticator(RegistryLookups lookups, boolean authenticationRequired,
            AuthFailureThrottle throttle) {
        this.lookups = lookups;
        this.authenticationRequired = authenticationRequired;
        this.throttle = throttle;
    }

    /**
     * @return the authenticated device, or null for an unauthenticated connection (only if authentication is not
     *         required and the client sent no user name); fails with {@link ConnectRefusal}
     */
    public Future<AuthenticatedDevice> authenticate(MqttAuth auth) {
        boolean anonymous = auth == null || auth.getUsername() == null || auth.getUsername().isEmpty();
        if (anonymous) {
            return authenticationRequired
                    ? Future.failedFuture(ConnectRefusal.badCredentials("no user name; use <auth-id>@<tenant>"))
                    : Future.succeededFuture(null);
        }
        String username = auth.getUsername();
        Duration locked = throttle.lockedFor(username);
        if (!locked.isZero()) {
            return Future.failedFuture(ConnectRefusal.throttled("user " + username + " is locked for another "
                    + Math.max(1, locked.toMillis()) + " ms after repeated failed authentications"));
        }
        return checkCredentials(auth, username).onComplete(ar -> {
            if (ar.succeeded()) {
                throttle.succeeded(username);
                return;
            }
            boolean badCredentials = ar.cause() instanceof ConnectRefusal refusal
                    && refusal.code() == MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
            if (badCredentials) {
                throttle.failed(username);
            }
        });
    }

    private Future<AuthenticatedDevice> checkCredentials(MqttAuth auth, String username) {
        int at = username.lastIndexOf('@');
        boolean wellFormed = at > 0 && at < username.length() - 1;
        if (!wellFormed) {
            return Future.failedFuture(ConnectRefusal.badCredentials(
                    "user name [" + username + "] is not <auth-id>@<tenant>"));
        }
        if (auth.getPassword() == null) {
            return Future.failedFuture(ConnectRefusal.badCredentials("no password for " + username));
        }
        String authId = username.substring(0, at);
        String tenantId = username.substring(at + 1);
        return lookups.verifyPassword(tenantId, authId, auth.getPassword())
                .compose(credential -> credential.isPresent()
                        ? Future.succeededFuture(new AuthenticatedDevice(tenantId, credential.get().deviceId(), authId))
                        : Future.failedFuture(ConnectRefusal.badCredentials(
                                "unknown auth-id or wrong password for " + username)))
                .compose(this::checkEnabled);
    }

    private Future<AuthenticatedDevice> checkEnabled(AuthenticatedDevice device) {
        return lookups.tenant(device.tenantId()).compose(tenant -> {
            if (tenant.isEmpty()) {
                return Future.failedFuture(ConnectRefusal.badCredentials("tenant " + device.tenantId()
                        + " does not exist"));
            }
            if (!tenant.get().enabled() || !tenant.get().isAdapterEnabled(HonoHeaders.ADAPTER_TYPE_MQTT)) {
                return Future.failedFuture(ConnectRefusal.notAuthorized("tenant " + device.tenantId()
                        + " is disabled or has the MQTT adapter disabled"));
            }
            return lookups.device(device.tenantId(), device.deviceId());
        }).compose(registered -> {
            if (registered.isEmpty()) {
                return Future.failedFuture(ConnectRefusal.badCredentials("device " + device.deviceId()
                        + " is not registered"));
            }
            if (!registered.get().enabled()) {
                return Future.failedFuture(ConnectRefusal.notAuthorized("device " + device.deviceId()
                        + " is disabled"));
            }
            return Future.succeededFuture(device);
        });
    }
}
