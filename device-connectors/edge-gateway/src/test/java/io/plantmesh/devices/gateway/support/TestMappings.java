package io.plantmesh.devices.gateway.support;

import io.plantmesh.devices.gateway.mapping.MachineMapping;
import io.plantmesh.devices.gateway.mapping.MappingLoader;

/** A machine type whose PLC reports rad/s, °F and W, so unit normalisation is visible in the twin payloads. */
public final class TestMappings {

    public static final String RETROFIT = "retrofit-mill";

    private TestMappings() {
    }

    public static MachineMapping retrofit() {
        return MappingLoader.fromClasspath("mappings/retrofit-mill.json");
    }
}
