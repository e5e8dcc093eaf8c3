package io.plantmesh.devices.simulator.mqtt;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.simulator.machine.MachineSnapshot;
import io.plantmesh.devices.simulator.machine.StateChange;

/**
 * PlantMesh machine payloads ({@value HonoTopics#MACHINE_CONTENT_TYPE}): {@code {"ts": <epoch ms>, "features":
 * {"<feature>": {"<property>": <value>}}}}, a partial update of the machine twin's feature properties.
 */
public final class MachinePayloads {

    private MachinePayloads() {
    }

    /** Telemetry: process values, counters, state and job. */
    public static Buffer telemetry(final MachineSnapshot snapshot) {
        final JsonObject telemetry = new JsonObject();
        if (snapshot.type().profile().hasSpindle()) {
            telemetry.put("spindleSpeed", snapshot.spindleSpeed());
        }
        telemetry.put("temperature", snapshot.temperature())
                .put("vibration", snapshot.vibration())
                .put("power", snapshot.power())
                .put("timestamp", snapshot.at().toString());
        // reported by machines with degradation on only
        if (snapshot.spindleLoad() != null) {
            telemetry.put("spindleLoad", snapshot.spindleLoad());
        }
        if (snapshot.hydraulicPressure() != null) {
            telemetry.put("hydraulicPressure", snapshot.hydraulicPressure());
        }
        if (snapshot.program() != null) {
            telemetry.put("program", snapshot.program());
        }
        final JsonObject features = new JsonObject()
                .put("telemetry", telemetry)
                .put("counters", counters(snapshot))
                .put("state", new JsonObject()
                        .put("state", snapshot.state().name())
                        .put("since", snapshot.stateSince().toString())
                        .put("reason", snapshot.stateReason()))
                .put("job", job(snapshot));
        return new JsonObject().put("ts", snapshot.at().toEpochMilli()).put("features", features).toBuffer();
    }

    /** Event for a state change: the new state, plus counters and job as they are now. */
    public static Buffer stateChanged(final StateChange change, final MachineSnapshot snapshot) {
        final JsonObject features = new JsonObject()
                .put("state", new JsonObject()
                        .put("state", change.to().name())
                        .put("since", change.at().toString())
                        .put("reason", change.reason()))
                .put("counters", counters(snapshot))
                .put("job", job(snapshot));
        return new JsonObject().put("ts", change.at().toEpochMilli()).put("features", features).toBuffer();
    }

    private static JsonObject counters(final MachineSnapshot snapshot) {
        return new JsonObject()
                .put("good", snapshot.good())
                .put("scrap", snapshot.scrap())
                .put("cycleTimeMs", snapshot.lastCycleTimeMs());
    }

    private static JsonObject job(final MachineSnapshot snapshot) {
        final boolean hasJob = snapshot.job() != null;
        return new JsonObject()
                .put("workOrder", hasJob ? snapshot.job().workOrder() : null)
                .put("operation", hasJob ? snapshot.job().operation() : null);
    }
}
