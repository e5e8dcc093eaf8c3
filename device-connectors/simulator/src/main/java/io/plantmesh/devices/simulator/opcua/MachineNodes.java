package io.plantmesh.devices.simulator.opcua;

import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

import io.plantmesh.devices.simulator.machine.MachineSnapshot;

/**
 * The variable nodes of one machine ({@code L1M03.State}, {@code L1M03.SpindleSpeed}, ...) and how a snapshot fills
 * them. Only changed values are written, with the plant time as source timestamp.
 */
final class MachineNodes {

    /** Variable names in the order of the node layout contract. */
    enum Tag {
        State, StateReason, GoodCount, ScrapCount, CycleTimeMs, SpindleSpeed, Temperature, Vibration, Power, JobId,
        SpindleLoad, HydraulicPressure, Program
    }

    private final Map<Tag, UaVariableNode> variables = new LinkedHashMap<>();
    private final Map<Tag, Variant> shown = new LinkedHashMap<>();

    void add(final Tag tag, final UaVariableNode node) {
        variables.put(tag, node);
    }

    synchronized void show(final MachineSnapshot snapshot) {
        final DateTime sourceTime = new DateTime(snapshot.at());
        set(Tag.State, Variant.ofString(snapshot.state().name()), sourceTime);
        set(Tag.StateReason, Variant.ofString(snapshot.stateReason() == null ? "" : snapshot.stateReason()),
                sourceTime);
        set(Tag.GoodCount, Variant.ofInt64(snapshot.good()), sourceTime);
        set(Tag.ScrapCount, Variant.ofInt64(snapshot.scrap()), sourceTime);
        set(Tag.CycleTimeMs, Variant.ofDouble(snapshot.lastCycleTimeMs() == null ? 0.0 : snapshot.lastCycleTimeMs()),
                sourceTime);
        set(Tag.SpindleSpeed, Variant.ofDouble(snapshot.spindleSpeed()), sourceTime);
        set(Tag.Temperature, Variant.ofDouble(snapshot.temperature()), sourceTime);
        set(Tag.Vibration, Variant.ofDouble(snapshot.vibration()), sourceTime);
        set(Tag.Power, Variant.ofDouble(snapshot.power()), sourceTime);
        set(Tag.JobId, Variant.ofString(snapshot.jobId()), sourceTime);
        // only machines with degradation on report these; the others show 0 and an empty program
        set(Tag.SpindleLoad, Variant.ofDouble(snapshot.spindleLoad() == null ? 0.0 : snapshot.spindleLoad()),
                sourceTime);
        set(Tag.HydraulicPressure, Variant.ofDouble(snapshot.hydraulicPressure() == null ? 0.0
                : snapshot.hydraulicPressure()), sourceTime);
        set(Tag.Program, Variant.ofString(snapshot.program() == null ? "" : snapshot.program()), sourceTime);
    }

    private void set(final Tag tag, final Variant value, final DateTime sourceTime) {
        final boolean changed = !value.equals(shown.get(tag));
        if (changed) {
            shown.put(tag, value);
            variables.get(tag).setValue(new DataValue(value, StatusCode.GOOD, sourceTime, DateTime.now()));
        }
    }
}
