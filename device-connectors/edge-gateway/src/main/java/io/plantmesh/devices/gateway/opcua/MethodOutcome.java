package io.plantmesh.devices.gateway.opcua;

import java.util.List;

/**
 * What an OPC-UA method call returned: {@code good} with its output arguments, or the bad status code and its
 * symbolic name (e.g. {@code Bad_InvalidArgument}).
 */
public record MethodOutcome(boolean good, long statusCode, String statusName, List<Object> outputs) {

    public MethodOutcome {
        outputs = outputs == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(
                outputs));
    }
}
