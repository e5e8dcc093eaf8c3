package io.plantmesh.devices.gateway.mapping;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The declarative mapping of one machine type: its nodes and its commands. Built by {@link MappingLoader}. */
public record MachineMapping(String machineType, String source, List<NodeMapping> nodes,
        Map<String, CommandMapping> commands) {

    public MachineMapping {
        nodes = List.copyOf(nodes);
        commands = Map.copyOf(commands);
    }

    public Optional<CommandMapping> command(final String name) {
        return Optional.ofNullable(commands.get(name));
    }
}
