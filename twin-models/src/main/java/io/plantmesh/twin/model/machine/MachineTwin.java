package io.plantmesh.twin.model.machine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinFormatException;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.json.TwinJson;
import io.plantmesh.twin.model.json.TwinJson.Node;

/**
 * Typed view of a machine twin (definition {@code io.plantmesh:machine:1.0.0}). {@link #fromThing(Thing)} and
 * {@link #toThing()} round-trip every value this record models; properties the Thing Model does not name are not
 * carried (Ditto things are open, write those with Ditto's own API).
 *
 * @param vendor null if unknown
 * @param model null if unknown
 * @param capabilities what the machine can do (matched against a work order's {@code requiredCapability}); empty
 * means it can run any order of its line
 * @param idealCycleTimeMs the ideal (nameplate) cycle time per piece, for OEE performance; null if unknown
 * @param maintenance planned maintenance windows ({@code features/maintenance}), by start; empty if none
 */
public record MachineTwin(ThingId id, ThingId line, String name, String vendor, String model,
        List<String> capabilities, Double idealCycleTimeMs, DeviceBinding device, StateEntry state, Telemetry telemetry, Counters counters, Job job, Health health, Oee oee,
        List<MaintenanceWindow> maintenance) {

    public static final String STATE = "state";
    public static final String TELEMETRY = "telemetry";
    public static final String COUNTERS = "counters";
    public static final String JOB = "job";
    public static final String HEALTH = "health";
    public static final String OEE = "oee";
    public static final String MAINTENANCE = "maintenance";

    public MachineTwin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(state, "state");
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        telemetry = telemetry == null ? Telemetry.EMPTY : telemetry;
        counters = counters == null ? Counters.ZERO : counters;
        job = job == null ? Job.NONE : job;
        health = health == null ? Health.OK : health;
        oee = oee == null ? Oee.UNKNOWN : oee;
        maintenance = maintenance == null ? List.of()
                : maintenance.stream().sorted(MaintenanceWindow.BY_START).toList();
    }

    /** A machine without maintenance windows (the record before {@code features/maintenance} existed). */
    public MachineTwin(final ThingId id, final ThingId line, final String name, final String vendor,
            final String model, final List<String> capabilities, final Double idealCycleTimeMs,
            final DeviceBinding device, final StateEntry state, final Telemetry telemetry, final Counters counters,
            final Job job, final Health health, final Oee oee) {
        this(id, line, name, vendor, model, capabilities, idealCycleTimeMs, device, state, telemetry, counters, job,
                health, oee, List.of());
    }

    /**
     * A freshly provisioned machine: IDLE since {@code now}, counters at zero, no job, no alarms, no telemetry yet.
     *
     * @throws io.plantmesh.twin.model.InvalidPlantThingIdException if {@code id} is not a machine id or {@code line}
     * is not the line the machine id names
     */
    public static MachineTwin initial(final ThingId id, final ThingId line, final String name,
            final DeviceBinding device, final Instant now) {
        final ThingId lineOfId = PlantThingIds.lineOfMachine(id);
        if (!lineOfId.equals(line)) {
            throw new IllegalArgumentException("machine " + id + " belongs to " + lineOfId + ", not " + line);
        }
        return new MachineTwin(id, line, name, null, null, List.of(), null, device, new StateEntry(MachineState.IDLE, now, null),
                Telemetry.EMPTY, Counters.ZERO, Job.NONE, Health.OK, Oee.UNKNOWN);
    }

    /** Reads a machine twin. @throws io.plantmesh.twin.model.TwinFormatException naming the offending path */
    public static MachineTwin fromThing(final Thing thing) {
        final ThingId id = TwinJson.requireKind(thing, TwinKind.MACHINE);
        final Node attributes = TwinJson.attributes(thing);
        final Node deviceNode = attributes.optObject("device")
                .orElseThrow(() -> new TwinFormatException("/attributes/device: required value is missing"));
        return new MachineTwin(id,
                attributes.thingId("line"),
                attributes.text("name"),
                attributes.optText("vendor").orElse(null),
                attributes.optText("model").orElse(null),
                attributes.texts("capabilities"),
                attributes.optNumber("idealCycleTimeMs").orElse(null),
                DeviceBinding.fromJson(deviceNode),
                StateEntry.fromJson(TwinJson.properties(thing, STATE)),
                Telemetry.fromJson(TwinJson.properties(thing, TELEMETRY)),
                Counters.fromJson(TwinJson.properties(thing, COUNTERS)),
                new Job(Assignment.fromJson(TwinJson.desiredProperties(thing, JOB)),
                        Assignment.fromJson(TwinJson.properties(thing, JOB))),
                Health.fromJson(TwinJson.properties(thing, HEALTH)),
                Oee.fromJson(TwinJson.properties(thing, OEE)),
                MaintenanceWindow.listFromJson(TwinJson.properties(thing, MAINTENANCE)));
    }

    /**
     * The Ditto thing with the machine definition, attributes and all six features, plus {@code maintenance} if it has
     * windows.
     */
    public Thing toThing() {
        final JsonObject attributes = TwinJson.object()
                .put("line", line)
                .put("name", name)
                .put("vendor", vendor)
                .put("model", model)
                .putArray("capabilities", capabilities.isEmpty() ? null : capabilities, JsonValue::of)
                .put("idealCycleTimeMs", idealCycleTimeMs)
                .put("device", device.toJson())
                .build();
        final List<org.eclipse.ditto.things.model.Feature> features = new java.util.ArrayList<>(List.of(
                TwinJson.feature(STATE, state.toJson(), null),
                TwinJson.feature(TELEMETRY, telemetry.toJson(), null),
                TwinJson.feature(COUNTERS, counters.toJson(), null),
                TwinJson.feature(JOB, job.reported().toJson(), job.desired().toJson()),
                TwinJson.feature(HEALTH, health.toJson(), null),
                TwinJson.feature(OEE, oee.toJson(), null)));
        if (!maintenance.isEmpty()) {
            features.add(TwinJson.feature(MAINTENANCE, MaintenanceWindow.listToJson(maintenance), null));
        }
        return TwinJson.thing(id, TwinKind.MACHINE, attributes, features);
    }

    /**
     * The same machine in another state, entered at {@code at}.
     *
     * @throws io.plantmesh.twin.model.IllegalTransitionException if the state machine forbids the move
     */
    public MachineTwin withState(final MachineState next, final Instant at, final String reason) {
        return withStateEntry(state.transitionTo(next, at, reason));
    }

    public MachineTwin withStateEntry(final StateEntry newState) {
        return new MachineTwin(id, line, name, vendor, model, capabilities, idealCycleTimeMs, device, newState, telemetry, counters, job, health, oee, maintenance);
    }

    public MachineTwin withVendorAndModel(final String newVendor, final String newModel) {
        return new MachineTwin(id, line, name, newVendor, newModel, capabilities, idealCycleTimeMs, device, state, telemetry, counters, job, health,
                oee, maintenance);
    }

    /** The same machine with other capabilities and ideal cycle time (null if unknown). */
    public MachineTwin withCapabilities(final List<String> newCapabilities, final Double newIdealCycleTimeMs) {
        return new MachineTwin(id, line, name, vendor, model, newCapabilities, newIdealCycleTimeMs, device, state,
                telemetry, counters, job, health, oee, maintenance);
    }

    /** True if the machine can run an order needing {@code requiredCapability} (null: any order of the line). */
    public boolean canRun(final String requiredCapability) {
        return requiredCapability == null || capabilities.isEmpty() || capabilities.contains(requiredCapability);
    }

    public MachineTwin withTelemetry(final Telemetry newTelemetry) {
        return new MachineTwin(id, line, name, vendor, model, capabilities, idealCycleTimeMs, device, state, newTelemetry, counters, job, health, oee, maintenance);
    }

    public MachineTwin withCounters(final Counters newCounters) {
        return new MachineTwin(id, line, name, vendor, model, capabilities, idealCycleTimeMs, device, state, telemetry, newCounters, job, health, oee, maintenance);
    }

    public MachineTwin withJob(final Job newJob) {
        return new MachineTwin(id, line, name, vendor, model, capabilities, idealCycleTimeMs, device, state, telemetry, counters, newJob, health, oee, maintenance);
    }

    public MachineTwin withHealth(final Health newHealth) {
        return new MachineTwin(id, line, name, vendor, model, capabilities, idealCycleTimeMs, device, state, telemetry, counters, job, newHealth, oee, maintenance);
    }

    public MachineTwin withOee(final Oee newOee) {
        return new MachineTwin(id, line, name, vendor, model, capabilities, idealCycleTimeMs, device, state, telemetry, counters, job, health, newOee, maintenance);
    }

    /** The same machine with other maintenance windows. */
    public MachineTwin withMaintenance(final List<MaintenanceWindow> windows) {
        return new MachineTwin(id, line, name, vendor, model, capabilities, idealCycleTimeMs, device, state, telemetry,
                counters, job, health, oee, windows);
    }

    /** The maintenance window active at {@code now}, if any. */
    public java.util.Optional<MaintenanceWindow> maintenanceAt(final Instant now) {
        return maintenance.stream().filter(w -> w.activeAt(now)).findFirst();
    }

    /** {@code features/state}: the current state, since when, and why (null reason if none given). */
    public record StateEntry(MachineState state, Instant since, String reason) {

        public StateEntry {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(since, "since");
        }

        /** @throws io.plantmesh.twin.model.IllegalTransitionException if the move is not allowed */
        public StateEntry transitionTo(final MachineState next, final Instant at, final String why) {
            return new StateEntry(state.transitionTo(next), at, why);
        }

        JsonObject toJson() {
            return TwinJson.object().put("state", state).put("since", since).put("reason", reason).build();
        }

        static StateEntry fromJson(final Node node) {
            return new StateEntry(node.enumValue("state", MachineState.class), node.instant("since"),
                    node.optText("reason").orElse(null));
        }
    }

    /**
     * {@code features/telemetry}: the latest process values; null where not measured. Units are fixed by the Thing
     * Model: spindle speed rpm, temperature °C, vibration mm/s, power kW.
     */
    public record Telemetry(Double spindleSpeed, Double temperature, Double vibration, Double power,
            Instant timestamp) {

        public static final Telemetry EMPTY = new Telemetry(null, null, null, null, null);

        JsonObject toJson() {
            return TwinJson.object()
                    .put("spindleSpeed", spindleSpeed)
                    .put("temperature", temperature)
                    .put("vibration", vibration)
                    .put("power", power)
                    .put("timestamp", timestamp)
                    .build();
        }

        static Telemetry fromJson(final Node node) {
            return new Telemetry(node.optNumber("spindleSpeed").orElse(null),
                    node.optNumber("temperature").orElse(null),
                    node.optNumber("vibration").orElse(null),
                    node.optNumber("power").orElse(null),
                    node.optInstant("timestamp").orElse(null));
        }
    }

    /** {@code features/counters}: good and scrap parts, and the last cycle time in ms (null before the first). */
    public record Counters(long good, long scrap, Double cycleTimeMs) {

        public static final Counters ZERO = new Counters(0, 0, null);

        public Counters {
            final boolean nonNegative = good >= 0 && scrap >= 0;
            if (!nonNegative) {
                throw new IllegalArgumentException("counters must not be negative: good=" + good + ", scrap="
                        + scrap);
            }
        }

        JsonObject toJson() {
            return TwinJson.object().put("good", good).put("scrap", scrap).put("cycleTimeMs", cycleTimeMs).build();
        }

        static Counters fromJson(final Node node) {
            return new Counters(node.integer("good"), node.integer("scrap"),
                    node.optNumber("cycleTimeMs").orElse(null));
        }
    }

    /** A work order and operation; both null means none. */
    public record Assignment(String workOrder, String operation) {

        public static final Assignment NONE = new Assignment(null, null);

        JsonObject toJson() {
            return TwinJson.object().put("workOrder", workOrder).put("operation", operation).build();
        }

        static Assignment fromJson(final Node node) {
            return new Assignment(node.optText("workOrder").orElse(null), node.optText("operation").orElse(null));
        }
    }

    /**
     * {@code features/job}: {@code desired} is what the MES dispatched (Ditto desired properties), {@code reported}
     * what the machine says it runs (properties).
     */
    public record Job(Assignment desired, Assignment reported) {

        public static final Job NONE = new Job(Assignment.NONE, Assignment.NONE);

        public Job {
            desired = desired == null ? Assignment.NONE : desired;
            reported = reported == null ? Assignment.NONE : reported;
        }

        /** True when the machine reports what was dispatched. */
        public boolean inSync() {
            return desired.equals(reported);
        }
    }

    /** Severity of a machine alarm. */
    public enum Severity {
        INFO,
        WARNING,
        CRITICAL
    }

    /** An active alarm. @param message null if none; @param since null if unknown */
    public record Alarm(String code, Severity severity, String message, Instant since) {

        public Alarm {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(severity, "severity");
        }

        JsonObject toJson() {
            return TwinJson.object().put("code", code).put("severity", severity).put("message", message)
                    .put("since", since).build();
        }

        static Alarm fromJson(final Node node) {
            return new Alarm(node.text("code"), node.enumValue("severity", Severity.class),
                    node.optText("message").orElse(null), node.optInstant("since").orElse(null));
        }
    }

    /**
     * A predicted failure. @param failureMode null if unknown; @param probability 0..1 (of the failure within the
     * predictor's horizon), null if unknown; @param earliest, latest bounds of the confidence interval of {@code at},
     * null if unknown
     */
    public record PredictedFailure(Instant at, String failureMode, Double probability, Instant earliest,
            Instant latest) {

        public PredictedFailure {
            Objects.requireNonNull(at, "at");
        }

        /** Without confidence interval. */
        public PredictedFailure(final Instant at, final String failureMode, final Double probability) {
            this(at, failureMode, probability, null, null);
        }

        JsonObject toJson() {
            return TwinJson.object().put("at", at).put("failureMode", failureMode).put("probability", probability)
                    .put("earliest", earliest).put("latest", latest).build();
        }

        static PredictedFailure fromJson(final Node node) {
            return new PredictedFailure(node.instant("at"), node.optText("failureMode").orElse(null),
                    node.optNumber("probability").orElse(null), node.optInstant("earliest").orElse(null),
                    node.optInstant("latest").orElse(null));
        }
    }

    /**
     * {@code features/health}. @param anomalyScore 0..1, null before the first evaluation;
     * @param predictedFailure null if none is predicted; @param suspectedMode the degradation mode the maintenance
     * service suspects (e.g. {@code BEARING_WEAR}), null if none
     */
    public record Health(Double anomalyScore, List<Alarm> alarms, PredictedFailure predictedFailure,
            String suspectedMode) {

        public static final Health OK = new Health(null, List.of(), null, null);

        public Health {
            alarms = alarms == null ? List.of() : List.copyOf(alarms);
        }

        /** Without a suspected mode. */
        public Health(final Double anomalyScore, final List<Alarm> alarms, final PredictedFailure predictedFailure) {
            this(anomalyScore, alarms, predictedFailure, null);
        }

        JsonObject toJson() {
            return TwinJson.object()
                    .put("anomalyScore", anomalyScore)
                    .putArray("alarms", alarms, Alarm::toJson)
                    .put("predictedFailure", predictedFailure == null ? null : predictedFailure.toJson())
                    .put("suspectedMode", suspectedMode)
                    .build();
        }

        static Health fromJson(final Node node) {
            return new Health(node.optNumber("anomalyScore").orElse(null),
                    node.objects("alarms").stream().map(Alarm::fromJson).toList(),
                    node.optObject("predictedFailure").map(PredictedFailure::fromJson).orElse(null),
                    node.optText("suspectedMode").orElse(null));
        }
    }

    /**
     * {@code features/oee}: availability, performance, quality and their product over a rolling {@code window}
     * (fractions 0..1, null until computed), when they were computed, and the same figures for the current shift.
     *
     * @param window ISO-8601 duration of the rolling window, e.g. {@code PT1H}; null if unknown
     * @param computedAt null until computed
     * @param shift null until computed
     */
    public record Oee(Double availability, Double performance, Double quality, Double oee, String window,
            Instant computedAt, ShiftOee shift) {

        public static final Oee UNKNOWN = new Oee(null, null, null, null, null, null, null);

        /** availability × performance × quality, no window, no shift. */
        public static Oee of(final double availability, final double performance, final double quality) {
            return new Oee(availability, performance, quality, availability * performance * quality, null, null,
                    null);
        }

        public JsonObject toJson() {
            return TwinJson.object()
                    .put("availability", availability)
                    .put("performance", performance)
                    .put("quality", quality)
                    .put("oee", oee)
                    .put("window", window)
                    .put("computedAt", computedAt)
                    .put("shift", shift == null ? null : shift.toJson())
                    .build();
        }

        static Oee fromJson(final Node node) {
            return new Oee(node.optNumber("availability").orElse(null), node.optNumber("performance").orElse(null),
                    node.optNumber("quality").orElse(null), node.optNumber("oee").orElse(null),
                    node.optText("window").orElse(null), node.optInstant("computedAt").orElse(null),
                    node.optObject("shift").map(ShiftOee::fromJson).orElse(null));
        }
    }

    /**
     * OEE of one shift so far. @param name e.g. {@code early}; @param start when the shift began; figures null if
     * not computable yet
     */
    public record ShiftOee(String name, Instant start, Double availability, Double performance, Double quality,
            Double oee) {

        public ShiftOee {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(start, "start");
        }

        public JsonObject toJson() {
            return TwinJson.object()
                    .put("name", name)
                    .put("start", start)
                    .put("availability", availability)
                    .put("performance", performance)
                    .put("quality", quality)
                    .put("oee", oee)
                    .build();
        }

        public static ShiftOee fromJson(final Node node) {
            return new ShiftOee(node.text("name"), node.instant("start"), node.optNumber("availability").orElse(null),
                    node.optNumber("performance").orElse(null), node.optNumber("quality").orElse(null),
                    node.optNumber("oee").orElse(null));
        }
    }
}
