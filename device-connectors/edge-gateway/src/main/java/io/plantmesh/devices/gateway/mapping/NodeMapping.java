package io.plantmesh.devices.gateway.mapping;

import java.util.List;
import java.util.Objects;

/**
 * One OPC-UA variable of a machine type and where its value goes in the twin.
 *
 * @param node relative node name with the machine key placeholder, e.g. {@code {key}.SpindleSpeed}
 * @param feature twin feature id, e.g. {@code telemetry}
 * @param property property of that feature, e.g. {@code spindleSpeed}
 * @param sourceUnit unit the machine reports in; null for unit-less values
 * @param twinUnit unit the twin expects; null for unit-less values
 * @param sinceProperty if not null, a change of this node also sets this property of the same feature to the
 *                      ISO-8601 source time (e.g. {@code state/since})
 * @param split if not null, the (string) value is split into this node's property and a second property of the same
 *              feature (e.g. {@code JobId} into {@code job/workOrder} and {@code job/operation})
 */
public record NodeMapping(String node, String feature, String property, MessageKind kind, ValueType valueType,
        String sourceUnit, String twinUnit, double samplingIntervalMs, int queueSize, DeadbandSpec deadband,
        AggregationSpec aggregation, List<AlarmRule> alarms, String sinceProperty, SplitSpec split) {

    public static final String KEY_PLACEHOLDER = "{key}";

    public NodeMapping {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(valueType, "valueType");
        deadband = deadband == null ? DeadbandSpec.NONE : deadband;
        aggregation = aggregation == null ? AggregationSpec.NONE : aggregation;
        alarms = alarms == null ? List.of() : List.copyOf(alarms);
    }

    /** The node's string identifier for a machine, e.g. {@code L1M03.SpindleSpeed}. */
    public String nodeIdFor(final String machineKey) {
        return node.replace(KEY_PLACEHOLDER, machineKey);
    }

    /** {@code telemetry/spindleSpeed}. */
    public String path() {
        return feature + "/" + property;
    }

    /** The Ditto JSON pointer of the property: {@code features/telemetry/properties/spindleSpeed}. */
    public String twinPointer() {
        return "features/" + feature + "/properties/" + property;
    }
}
