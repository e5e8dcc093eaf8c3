package io.plantmesh.launcher.shopfloor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.ingress.registry.Device;
import io.plantmesh.devices.ingress.registry.DeviceRegistry;
import io.plantmesh.launcher.shopfloor.ShopFloorPlan.FloorMachine;

/**
 * Registers the shop floor in Hono's device registry: the tenant, one gateway device per line with OPC-UA machines,
 * every machine as a device with a password; OPC-UA machines list their line's gateway in {@code via}. Idempotent: a
 * device whose registration is already right is left alone (same version), and a password that already verifies is
 * not hashed again, so a restart changes nothing.
 */
final class DeviceProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceProvisioner.class);

    /** What a provisioning run did. */
    record Report(int devices, int created, int updated, int unchanged) {

        String summary() {
            return "device registry: " + devices + " devices (" + created + " created, " + updated + " updated, "
                    + unchanged + " unchanged)";
        }
    }

    private final DeviceRegistry registry;
    private final String password;

    DeviceProvisioner(DeviceRegistry registry, String password) {
        this.registry = registry;
        this.password = password;
    }

    /** Blocking (MongoDB, BCrypt); {@code progress} gets (done, total) after each device. */
    Report provision(ShopFloorPlan plan, BiConsumer<Integer, Integer> progress) {
        registry.ensureTenant(plan.tenant(), new JsonObject().put("enabled", true));
        List<Registration> registrations = new ArrayList<>();
        plan.opcUaMachinesByLine().keySet().forEach(line -> registrations.add(
                new Registration(plan.gatewayId(line), new JsonObject().put("enabled", true)
                        .put("ext", new JsonObject().put("plantmesh-role", "edge-gateway").put("line", String.valueOf(line))))));
        for (FloorMachine m : plan.machines()) {
            JsonObject config = new JsonObject().put("enabled", true)
                    .put("ext", new JsonObject().put("plantmesh-role", "machine").put("protocol", m.protocol().name()));
            if (m.opcUa()) {
                config.put("via", new JsonArray().add(plan.gatewayId(m.line())));
            }
            registrations.add(new Registration(m.thingId(), config));
        }
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        int done = 0;
        for (Registration r : registrations) {
            Optional<Device> existing = registry.device(plan.tenant(), r.deviceId());
            if (existing.isEmpty()) {
                registry.putDevice(plan.tenant(), r.deviceId(), r.config());
                created++;
            } else if (!sameRegistration(existing.get().config(), r.config())) {
                registry.putDevice(plan.tenant(), r.deviceId(), r.config());
                updated++;
            } else {
                unchanged++;
            }
            registry.setPassword(plan.tenant(), r.deviceId(), ShopFloorPlan.authId(r.deviceId()), password);
            progress.accept(++done, registrations.size());
        }
        Report report = new Report(registrations.size(), created, updated, unchanged);
        LOG.info("{} in tenant {}", report.summary(), plan.tenant());
        return report;
    }

    private static boolean sameRegistration(JsonObject stored, JsonObject wanted) {
        for (String field : wanted.fieldNames()) {
            if (!wanted.getValue(field).equals(stored.getValue(field))) {
                return false;
            }
        }
        return !stored.containsKey("via") || wanted.containsKey("via");
    }

    private record Registration(String deviceId, JsonObject config) {
    }
}
