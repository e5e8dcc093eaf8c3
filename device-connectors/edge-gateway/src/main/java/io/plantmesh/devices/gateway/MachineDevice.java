package io.plantmesh.devices.gateway;

import java.util.Objects;

import io.plantmesh.twin.model.PlantThingId;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;

/**
 * A machine the gateway serves: its thing id (= Hono device id), the OPC-UA endpoint of its line server, its
 * machine type (which mapping applies) and its machine key on that server ({@code L1M03}).
 */
public record MachineDevice(String thingId, String opcuaEndpoint, String machineType, String machineKey) {

    public MachineDevice {
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(opcuaEndpoint, "opcuaEndpoint");
        Objects.requireNonNull(machineType, "machineType");
        Objects.requireNonNull(machineKey, "machineKey");
    }

    /**
     * A machine with the key derived from its thing id: {@code plant1:machine-1-03} has key {@code L1M03}.
     *
     * @throws io.plantmesh.twin.model.InvalidPlantThingIdException if the id is not a PlantMesh machine id
     */
    public static MachineDevice of(final String thingId, final String opcuaEndpoint, final String machineType) {
        return new MachineDevice(thingId, opcuaEndpoint, machineType, keyOf(thingId));
    }

    /** {@code plant1:machine-1-03} gives {@code L1M03}. */
    public static String keyOf(final String thingId) {
        final PlantThingId parsed = PlantThingIds.parse(thingId, TwinKind.MACHINE);
        final String[] parts = parsed.key().split("-");
        return "L" + parts[0] + "M" + parts[1];
    }
}
