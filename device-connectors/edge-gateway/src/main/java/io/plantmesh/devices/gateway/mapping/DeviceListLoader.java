package io.plantmesh.devices.gateway.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.plantmesh.devices.gateway.MachineDevice;
import io.plantmesh.twin.model.InvalidPlantThingIdException;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Reads a per-plant device list: {@code {"plant":"plant1","devices":[{"thingId":"plant1:machine-1-01",
 * "endpoint":"opc.tcp://127.0.0.1:4841/plantmesh","machineType":"cnc-spindle"}]}} (optional {@code "key"} overrides
 * the machine key derived from the thing id). Machine types are checked against the mappings given.
 */
public final class DeviceListLoader {

    private DeviceListLoader() {
    }

    public static List<MachineDevice> fromFile(final Path file, final Set<String> machineTypes) {
        try {
            return parse(file.toString(), Files.readString(file), machineTypes);
        } catch (final IOException e) {
            throw new MappingException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    public static List<MachineDevice> fromClasspath(final String resource, final Set<String> machineTypes) {
        try (InputStream in = DeviceListLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new MappingException(resource + ": no such resource on the classpath");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8), machineTypes);
        } catch (final IOException e) {
            throw new MappingException(resource + ": cannot be read: " + e.getMessage(), e);
        }
    }

    public static List<MachineDevice> parse(final String source, final String text, final Set<String> machineTypes) {
        final JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (final DecodeException e) {
            throw new MappingException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        final JsonEntry root = new JsonEntry(source, json);
        root.allowOnly("plant", "description", "devices");
        final String plant = root.text("plant");
        final List<MachineDevice> devices = new ArrayList<>();
        final Set<String> ids = new HashSet<>();
        for (final JsonEntry entry : root.array("devices", true)) {
            entry.allowOnly("thingId", "endpoint", "machineType", "key");
            final String thingId = entry.text("thingId");
            try {
                final String namespace = PlantThingIds.parse(thingId, TwinKind.MACHINE).plant();
                if (!namespace.equals(plant)) {
                    throw entry.error("thing id '" + thingId + "' is not in plant '" + plant + "'");
                }
            } catch (final InvalidPlantThingIdException e) {
                throw entry.error(e.getMessage());
            }
            if (!ids.add(thingId)) {
                throw entry.error("thing id '" + thingId + "' is listed twice");
            }
            final String endpoint = entry.text("endpoint");
            if (!endpoint.startsWith("opc.tcp://")) {
                throw entry.error("endpoint '" + endpoint + "' must be an opc.tcp:// URL");
            }
            final String type = entry.text("machineType");
            if (!machineTypes.contains(type)) {
                throw entry.error("machine type '" + type + "' has no mapping (known: " + String.join(", ",
                        machineTypes) + ")");
            }
            final String key = entry.optText("key").orElseGet(() -> MachineDevice.keyOf(thingId));
            devices.add(new MachineDevice(thingId, endpoint, type, key));
        }
        return devices;
    }
}
