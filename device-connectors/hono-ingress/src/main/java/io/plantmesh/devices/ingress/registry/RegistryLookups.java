package io.plantmesh.devices.ingress.registry;

import java.util.Optional;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Non-blocking access to the registry for event-loop code: answers from the cache when it can, otherwise runs the
 * blocking lookup on a worker thread.
 */
public final class RegistryLookups {

    private final Vertx vertx;
    private final DeviceRegistry registry;

    public RegistryLookups(Vertx vertx, DeviceRegistry registry) {
        this.vertx = vertx;
        this.registry = registry;
    }

    public Future<Optional<Tenant>> tenant(String tenantId) {
        Optional<Tenant> cached = registry.cachedTenant(tenantId);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return vertx.executeBlocking(() -> registry.tenant(tenantId), false);
    }

    public Future<Optional<Device>> device(String tenantId, String deviceId) {
        Optional<Device> cached = registry.cachedDevice(tenantId, deviceId);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return vertx.executeBlocking(() -> registry.device(tenantId, deviceId), false);
    }

    /** Checks a password on a worker thread (BCrypt is slow by design). */
    public Future<Optional<Credential>> verifyPassword(String tenantId, String authId, String password) {
        return vertx.executeBlocking(() -> registry.verifyPassword(tenantId, authId, password), false);
    }

    public DeviceRegistry registry() {
        return registry;
    }
}
