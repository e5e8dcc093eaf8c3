package io.plantmesh.twin.model.machine;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.eclipse.ditto.json.JsonObject;

import io.plantmesh.twin.model.json.TwinJson;

/**
 * How a machine is reached ({@code attributes/device}): its Hono tenant and device id and, for OPC-UA machines, the
 * endpoint and the node id of each tag (tag name to node id, e.g. {@code spindleSpeed -> ns=2;s=M103.SpindleSpeed}).
 *
 * @param opcuaEndpoint null for machines without OPC-UA (MQTT sensors)
 */
public record DeviceBinding(String honoTenant, String deviceId, String opcuaEndpoint, Map<String, String> opcuaNodeIds) {

    public DeviceBinding {
        Objects.requireNonNull(honoTenant, "honoTenant");
        Objects.requireNonNull(deviceId, "deviceId");
        opcuaNodeIds = opcuaNodeIds == null ? Map.of() : Map.copyOf(opcuaNodeIds);
    }

    /** A device reached through Hono only (MQTT). */
    public static DeviceBinding hono(final String honoTenant, final String deviceId) {
        return new DeviceBinding(honoTenant, deviceId, null, Map.of());
    }

    JsonObject toJson() {
        final TwinJson.ObjectWriter nodes = TwinJson.object();
        new TreeMap<>(opcuaNodeIds).forEach(nodes::put);
        return TwinJson.object()
                .put("honoTenant", honoTenant)
                .put("deviceId", deviceId)
                .put("opcuaEndpoint", opcuaEndpoint)
                .put("opcuaNodeIds", opcuaNodeIds.isEmpty() ? null : nodes.build())
                .build();
    }

    static DeviceBinding fromJson(final TwinJson.Node node) {
        final Map<String, String> nodeIds = new TreeMap<>();
        node.optObject("opcuaNodeIds").ifPresent(ids -> ids.json().getKeys()
                .forEach(key -> nodeIds.put(key.toString(), ids.text(key.toString()))));
        return new DeviceBinding(node.text("honoTenant"), node.text("deviceId"), node.optText("opcuaEndpoint")
                .orElse(null), nodeIds);
    }
}
