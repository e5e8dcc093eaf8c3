package io.plantmesh.bench.mes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.things.model.ThingId;

/**
 * The twins of one provisioned plant: its namespace, its lines with their machines, and the line of each work
 * order (all in creation order).
 */
public record PlantLayout(String namespace, Map<ThingId, List<ThingId>> machinesByLine,
        Map<ThingId, ThingId> lineOfOrder) {

    public PlantLayout {
        machinesByLine = Collections.unmodifiableMap(new LinkedHashMap<>(machinesByLine));
        lineOfOrder = Collections.unmodifiableMap(new LinkedHashMap<>(lineOfOrder));
    }

    public List<ThingId> lines() {
        return List.copyOf(machinesByLine.keySet());
    }

    public List<String> machineIds() {
        return machinesByLine.values().stream().flatMap(List::stream).map(ThingId::toString).toList();
    }

    public int machines() {
        return machinesByLine.values().stream().mapToInt(List::size).sum();
    }
}
