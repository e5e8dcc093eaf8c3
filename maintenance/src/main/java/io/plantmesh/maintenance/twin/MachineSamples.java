package io.plantmesh.maintenance.twin;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;

import io.plantmesh.maintenance.model.MachineSample;
import io.plantmesh.maintenance.model.Signal;
import io.plantmesh.twin.model.machine.MachineState;

/**
 * Reads a machine twin as a {@link MachineSample}: {@code features/state} (state, since, reason), the numbers of
 * {@code features/telemetry} (vibration, temperature, power, spindleLoad, hydraulicPressure) and its {@code program},
 * {@code features/counters} (good, scrap, cycleTimeMs), and {@code attributes/model} as the machine class. Reads the
 * raw JSON (not {@code MachineTwin}) so that telemetry properties beyond the Thing Model are seen. Values that are
 * missing or not numbers are left out; a twin without a readable state gives no sample.
 */
public final class MachineSamples {

    private static final Map<Signal, JsonPointer> TELEMETRY = new EnumMap<>(Map.of(
            Signal.VIBRATION, JsonPointer.of("features/telemetry/properties/vibration"),
            Signal.TEMPERATURE, JsonPointer.of("features/telemetry/properties/temperature"),
            Signal.POWER, JsonPointer.of("features/telemetry/properties/power"),
            Signal.SPINDLE_LOAD, JsonPointer.of("features/telemetry/properties/spindleLoad"),
            Signal.HYDRAULIC_PRESSURE, JsonPointer.of("features/telemetry/properties/hydraulicPressure"),
            Signal.CYCLE_TIME, JsonPointer.of("features/counters/properties/cycleTimeMs")));

    private MachineSamples() {
    }

    /** The sample the twin shows at plant time {@code at}; empty if it has no readable state. */
    public static Optional<MachineSample> of(final Thing thing, final Instant at) {
        final JsonObject json = thing.toJson();
        final Optional<String> state = text(json, "features/state/properties/state");
        final Optional<String> since = text(json, "features/state/properties/since");
        final String id = thing.getEntityId().map(Object::toString).orElse(null);
        if (id == null || state.isEmpty() || since.isEmpty()) {
            return Optional.empty();
        }
        final MachineState machineState;
        final Instant stateSince;
        try {
            machineState = MachineState.valueOf(state.get());
            stateSince = Instant.parse(since.get());
        } catch (final RuntimeException e) {
            return Optional.empty();
        }
        final Map<Signal, Double> values = new EnumMap<>(Signal.class);
        TELEMETRY.forEach((signal, pointer) -> json.getValue(pointer)
                .filter(JsonValue::isNumber)
                .ifPresent(v -> values.put(signal, v.asDouble())));
        final Long good = json.getValue(JsonPointer.of("features/counters/properties/good"))
                .filter(JsonValue::isNumber).map(JsonValue::asLong).orElse(null);
        final Long scrap = json.getValue(JsonPointer.of("features/counters/properties/scrap"))
                .filter(JsonValue::isNumber).map(JsonValue::asLong).orElse(null);
        // a sample is never "before" the state it reports (clocks of device and service may differ a little)
        final Instant sampleTime = at.isBefore(stateSince) ? stateSince : at;
        return Optional.of(new MachineSample(id, text(json, "attributes/model").orElse(null), sampleTime,
                machineState, stateSince, text(json, "features/state/properties/reason").orElse(null),
                text(json, "features/telemetry/properties/program").orElse(null), values, good, scrap));
    }

    /**
     * What of the twin matters to the model (state, telemetry, counters): two changes with the same fingerprint
     * (e.g. the service's own health write) are one sample.
     */
    public static String fingerprint(final Thing thing) {
        final JsonObject json = thing.toJson();
        return json.getValue(JsonPointer.of("features/state/properties")).map(JsonValue::toString).orElse("") + "|"
                + json.getValue(JsonPointer.of("features/telemetry/properties")).map(JsonValue::toString).orElse("")
                + "|" + json.getValue(JsonPointer.of("features/counters/properties")).map(JsonValue::toString)
                .orElse("");
    }

    private static Optional<String> text(final JsonObject json, final String pointer) {
        return json.getValue(JsonPointer.of(pointer)).filter(JsonValue::isString).map(JsonValue::asString)
                .filter(s -> !s.isBlank());
    }
}
