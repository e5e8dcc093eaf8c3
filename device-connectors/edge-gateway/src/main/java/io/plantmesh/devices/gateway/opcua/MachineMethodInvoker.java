package io.plantmesh.devices.gateway.opcua;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.plantmesh.devices.gateway.MachineDevice;

/** Calls a method on a machine's folder object; fails with {@link OpcUaUnavailableException} if unreachable. */
public interface MachineMethodInvoker {

    CompletableFuture<MethodOutcome> call(MachineDevice device, String method, List<Object> inputs);
}
