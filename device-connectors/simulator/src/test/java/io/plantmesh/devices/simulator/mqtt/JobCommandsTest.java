package io.plantmesh.devices.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.twin.model.machine.MachineState;

class JobCommandsTest {

    private final SimulatedMachine machine = SimulatedMachine.create("plant1:machine-1-08", "L1M08",
            MachineType.ASSEMBLY_CELL, MachineType.ASSEMBLY_CELL.profile().withMtbf(Duration.ofHours(1)), 4,
            Instant.parse("2026-11-26T08:00:00Z"));

    @Test
    void startHoldAndStopAnswerWithStatusAndMessage() {
        final JobCommands.Answer start = JobCommands.run(machine, "startJob",
                Buffer.buffer("{\"workOrder\":\"plant1:wo-100001\",\"operation\":\"0010\"}"));
        assertThat(start.status()).isEqualTo(200);
        assertThat(start.payload().toJsonObject().getBoolean("accepted")).isTrue();
        assertThat(machine.state()).isEqualTo(MachineState.SETUP);

        assertThat(JobCommands.run(machine, "hold-job", Buffer.buffer()).status()).isEqualTo(200);
        assertThat(JobCommands.run(machine, "STOP_JOB", Buffer.buffer()).status()).isEqualTo(200);
        final JobCommands.Answer again = JobCommands.run(machine, "stopJob", Buffer.buffer());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.payload().toJsonObject().getString("message")).contains("no job");
    }

    @Test
    void badCommandsAreRejectedWithBadRequest() {
        assertThat(JobCommands.run(machine, "startJob", Buffer.buffer("not json")).status()).isEqualTo(400);
        assertThat(JobCommands.run(machine, "startJob", Buffer.buffer("{\"workOrder\":1}")).status())
                .isEqualTo(400);
        final JobCommands.Answer unknown = JobCommands.run(machine, "calibrate", Buffer.buffer());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.outcome().message()).contains("startJob, holdJob, stopJob");
        assertThat(machine.state()).isEqualTo(MachineState.IDLE);
    }

    @Test
    void startWhileDownIsAConflict() {
        while (machine.state() != MachineState.DOWN) {
            machine.advance(Duration.ofMinutes(1));
        }
        final JobCommands.Answer start = JobCommands.run(machine, "startJob",
                Buffer.buffer("{\"workOrder\":\"plant1:wo-100001\",\"operation\":\"0010\"}"));
        assertThat(start.status()).isEqualTo(409);
        assertThat(start.outcome().message()).contains("DOWN");
    }

    @Test
    void startMaintenanceTakesADurationAndAReason() {
        final JobCommands.Answer bad = JobCommands.run(machine, "startMaintenance",
                Buffer.buffer("{\"durationMinutes\":0}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.outcome().message()).contains("durationMinutes");

        final JobCommands.Answer ok = JobCommands.run(machine, "startMaintenance",
                Buffer.buffer("{\"durationMinutes\":45,\"reason\":\"predicted bearing failure\"}"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(machine.state()).isEqualTo(MachineState.MAINTENANCE);
        assertThat(machine.snapshot().stateReason()).isEqualTo("planned maintenance: predicted bearing failure");
        assertThat(JobCommands.run(machine, "startMaintenance", Buffer.buffer("{\"durationMinutes\":45}"))
                .status()).isEqualTo(409);
        machine.advance(Duration.ofMinutes(45));
        assertThat(machine.state()).isEqualTo(MachineState.IDLE);
        assertThat(machine.snapshot().stateReason()).isEqualTo("maintenance done: predicted bearing failure");
    }
}
