package io.plantmesh.devices.gateway.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.gateway.MachineDevice;
import io.plantmesh.devices.gateway.mapping.MappingLoader;
import io.plantmesh.devices.gateway.mqtt.CommandRequest;
import io.plantmesh.devices.gateway.opcua.MachineMethodInvoker;
import io.plantmesh.devices.gateway.opcua.MethodOutcome;
import io.plantmesh.devices.gateway.opcua.OpcUaUnavailableException;

class CommandDispatcherTest {

    private static final String DEVICE = "plant1:machine-1-01";
    private final List<String> calls = new ArrayList<>();
    private CompletableFuture<MethodOutcome> next;

    private final MachineMethodInvoker invoker = (device, method, inputs) -> {
        calls.add(device.machineKey() + "." + method + inputs);
        return next;
    };

    private final CommandDispatcher dispatcher = new CommandDispatcher(Map.of(DEVICE, new CommandDispatcher.Target(
            MachineDevice.of(DEVICE, "opc.tcp://127.0.0.1:4841/plantmesh", "cnc-spindle"),
            MappingLoader.bundled().get("cnc-spindle"), invoker)));

    @Test
    void acceptedCallAnswers200() {
        next = CompletableFuture.completedFuture(new MethodOutcome(true, 0, "Good", List.of(true, "job started")));
        final CommandOutcome outcome = dispatch("startJob", "{\"workOrder\":\"wo-100001\",\"operation\":\"0010\"}");
        assertThat(calls).containsExactly("L1M01.StartJob[wo-100001, 0010]");
        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.body().encode()).isEqualTo("{\"accepted\":true,\"message\":\"job started\"}");
    }

    @Test
    void machineRejectionAnswers409() {
        next = CompletableFuture.completedFuture(new MethodOutcome(true, 0, "Good", List.of(false, "machine DOWN")));
        assertThat(dispatch("holdJob", "").status()).isEqualTo(409);
        next = CompletableFuture.completedFuture(new MethodOutcome(false, StatusCodes.Bad_InvalidState,
                "Bad_InvalidState", List.of()));
        assertThat(dispatch("stopJob", null).status()).isEqualTo(409);
    }

    @Test
    void badPayloadsAnswer400WithoutCallingTheMachine() {
        assertThat(dispatch("startJob", "not json").status()).isEqualTo(400);
        final CommandOutcome missing = dispatch("startJob", "{\"workOrder\":\"wo-1\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().getString("message")).contains("needs 'operation'");
        assertThat(dispatch("startJob", "{\"workOrder\":1,\"operation\":\"0010\"}").status()).isEqualTo(400);
        assertThat(calls).isEmpty();
        next = CompletableFuture.completedFuture(new MethodOutcome(false, StatusCodes.Bad_InvalidArgument,
                "Bad_InvalidArgument", List.of()));
        assertThat(dispatch("startJob", "{\"workOrder\":\"\",\"operation\":\"\"}").status()).isEqualTo(400);
    }

    @Test
    void unknownDeviceOrCommandAnswers404() {
        assertThat(dispatcher.dispatch(new CommandRequest("plant1:machine-9-09", "1", "startJob", null)).join()
                .status()).isEqualTo(404);
        final CommandOutcome unknown = dispatch("selfDestruct", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().getString("message")).contains("startJob");
    }

    @Test
    void unreachableMachineAnswers503() {
        next = CompletableFuture.failedFuture(new OpcUaUnavailableException("not connected", null));
        assertThat(dispatch("stopJob", "").status()).isEqualTo(503);
    }

    private CommandOutcome dispatch(final String command, final String payload) {
        return dispatcher.dispatch(new CommandRequest(DEVICE, "42", command,
                payload == null ? null : payload.getBytes(StandardCharsets.UTF_8))).join();
    }
}
