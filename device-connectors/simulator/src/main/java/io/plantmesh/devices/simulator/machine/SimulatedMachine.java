package io.plantmesh.devices.simulator.machine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import io.plantmesh.devices.simulator.degradation.DegradationEpisode;
import io.plantmesh.devices.simulator.degradation.DegradationMode;
import io.plantmesh.devices.simulator.degradation.DegradationProfile;
import io.plantmesh.devices.simulator.degradation.DegradationSettings;
import io.plantmesh.devices.simulator.degradation.GroundTruthEvent;
import io.plantmesh.devices.simulator.degradation.OperatingProgram;
import io.plantmesh.twin.model.machine.MachineState;
import io.vertx.core.json.JsonObject;

/**
 * One simulated machine: pure Java, no I/O, no clock of its own. {@link #step(Instant)} moves it to a plant time the
 * caller chooses, so tests run hours of plant time in milliseconds and the shop floor runs it in (scaled) real time.
 *
 * <p>Under the same seed, machine id and sequence of calls, two machines behave identically. Events (part completions,
 * scrap, failures, repair times) come from one random stream and process noise from another, so the events do not
 * depend on how often the caller samples.
 *
 * <p>Behaviour (see the module README for the formulas):
 * <ul>
 *     <li>States follow {@link MachineState}'s transitions: IDLE -> SETUP (StartJob) -> RUNNING; RUNNING -> IDLE
 *     (HoldJob, StopJob); any up state -> DOWN (fault) -> MAINTENANCE (technician on site) -> IDLE; a job that was
 *     running when the fault came restarts through SETUP after the repair.</li>
 *     <li>While RUNNING a part completes every cycle (normal around the nominal cycle time, bounded to 0.8..1.3 x);
 *     it is scrap with the profile's scrap rate, raised up to 4x inside the drift window.</li>
 *     <li>The time to the next failure is exponential with mean MTBF, counted from the end of the last repair; in the
 *     last {@value #DRIFT_FRACTION} of it vibration and temperature rise with the square of the progress through
 *     that window.</li>
 *     <li>With {@link DegradationSettings degradation} on, failures come from degradation episodes with
 *     mode-specific signals (and sudden faults without warning) instead, the machine reports its program, spindle
 *     load and hydraulic pressure, and its signals carry noise, warm-up after cold starts and glitches; planned
 *     maintenance ({@link #startMaintenance}) ends an episode before its failure. See the module README.</li>
 * </ul>
 * Thread-safe: every public method locks the machine; listeners are called while it is locked.
 */
public final class SimulatedMachine {

    /** Share of the time to failure in which vibration and temperature drift before the failure. */
    public static final double DRIFT_FRACTION = 0.15;
    /** Workshop ambient temperature, °C. */
    public static final double AMBIENT_TEMPERATURE = 22.0;
    /** The machine body approaches its state's temperature with this time constant. */
    public static final Duration THERMAL_TIME_CONSTANT = Duration.ofMinutes(15);
    /** Share of the repair time the machine waits DOWN for the technician before MAINTENANCE begins. */
    public static final double REPAIR_RESPONSE_SHARE = 0.25;
    /** After a repair, a job that was interrupted goes back into SETUP after this pause. */
    public static final Duration RESTART_DELAY = Duration.ofMinutes(2);
    /** Bounds of the cycle time as multiples of the nominal cycle. */
    public static final double MIN_CYCLE_FACTOR = 0.8;
    public static final double MAX_CYCLE_FACTOR = 1.3;
    /** Bounds of the repair time as multiples of MTTR. */
    public static final double MIN_REPAIR_FACTOR = 0.3;
    public static final double MAX_REPAIR_FACTOR = 3.0;

    private enum Event { FAILURE, REPAIR_START, REPAIR_END, SETUP_END, RESTART, CYCLE_END, MAINTENANCE_END }

    /** Version of the saved state's JSON ({@link #saveState()}). */
    public static final int STATE_VERSION = 1;

    private final String machineId;
    private final long seed;
    private final String key;
    private final MachineType type;
    private final MachineProfile profile;
    private final Random events;
    private final Random noise;
    private final List<MachineListener> listeners = new CopyOnWriteArrayList<>();
    private final List<FaultRecord> faults = new ArrayList<>();
    private final DegradationSettings degradation;
    private final DegradationProfile wearProfile;
    private final Random wear;
    private final Random suddenFaults;
    private final Random nuisance;
    private final List<GroundTruthEvent> groundTruth = new ArrayList<>();

    private Instant now;
    private MachineState state = MachineState.IDLE;
    private Instant stateSince;
    private String stateReason;

    private JobAssignment job;
    private boolean jobHeld;
    private boolean resumeAfterRepair;

    private Instant cycleStartedAt;
    private Instant cycleEndsAt;
    private Instant setupEndsAt;
    private Instant repairStartsAt;
    private Instant repairEndsAt;
    private Instant restartAt;

    private long good;
    private long scrap;
    private Double lastCycleTimeMs;

    private Instant lifeStart;
    private Instant driftOnset;
    private Instant failureAt;
    private FailureMode nextMode;

    private double bodyTemperature;
    private double spindleSpeed;
    private double temperature;
    private double vibration;
    private double power;

    // degradation mode only
    private DegradationEpisode episode;
    private boolean episodeFailure;
    private Instant suddenAt;
    private Duration suddenLeft;
    private FailureMode suddenFailure;
    private Instant maintenanceStartedAt;
    private Instant maintenanceEndsAt;
    private String maintenanceReason;
    private boolean maintenanceDuringEpisode;
    private Instant runningSince;
    private Instant lastRunningAt;
    private boolean coldStart;
    private Double spindleLoad;
    private Double hydraulicPressure;
    private String program;

    private SimulatedMachine(final String machineId, final String key, final MachineType type,
            final MachineProfile profile, final long seed, final Instant start,
            final DegradationSettings degradation) {
        this.machineId = Objects.requireNonNull(machineId, "machineId");
        this.seed = seed;
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.now = Objects.requireNonNull(start, "start");
        this.degradation = Objects.requireNonNull(degradation, "degradation");
        this.wearProfile = degradation.enabled() ? DegradationProfile.of(type) : null;
        this.events = new Random(streamSeed(seed, machineId, 1));
        this.noise = new Random(streamSeed(seed, machineId, 2));
        this.wear = new Random(streamSeed(seed, machineId, 3));
        this.suddenFaults = new Random(streamSeed(seed, machineId, 4));
        this.nuisance = new Random(streamSeed(seed, machineId, 5));
        this.stateSince = start;
        this.stateReason = "simulation started";
        this.bodyTemperature = profile.temperatureIdle();
        beginLife(start);
        sample();
    }

    /** An IDLE machine with its type's default profile at plant time {@code start}. */
    public static SimulatedMachine create(final String machineId, final String key, final MachineType type,
            final long seed, final Instant start) {
        return new SimulatedMachine(machineId, key, type, type.profile(), seed, start, DegradationSettings.OFF);
    }

    /** An IDLE machine with a custom profile (e.g. a shorter MTBF for tests). */
    public static SimulatedMachine create(final String machineId, final String key, final MachineType type,
            final MachineProfile profile, final long seed, final Instant start) {
        return new SimulatedMachine(machineId, key, type, profile, seed, start, DegradationSettings.OFF);
    }

    /**
     * An IDLE machine with a custom profile and degradation settings ({@link DegradationSettings#OFF} gives the same
     * machine as {@link #create(String, String, MachineType, MachineProfile, long, Instant)}).
     */
    public static SimulatedMachine create(final String machineId, final String key, final MachineType type,
            final MachineProfile profile, final long seed, final Instant start,
            final DegradationSettings degradation) {
        return new SimulatedMachine(machineId, key, type, profile, seed, start, degradation);
    }

    public String machineId() {
        return machineId;
    }

    public String key() {
        return key;
    }

    public MachineType type() {
        return type;
    }

    public MachineProfile profile() {
        return profile;
    }

    public DegradationSettings degradation() {
        return degradation;
    }

    /** What wears on this machine; empty with degradation off. */
    public Optional<DegradationProfile> degradationProfile() {
        return Optional.ofNullable(wearProfile);
    }

    public void addListener(final MachineListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(final MachineListener listener) {
        listeners.remove(listener);
    }

    /** The plant time the machine has been advanced to. */
    public synchronized Instant now() {
        return now;
    }

    /**
     * Advances the machine to plant time {@code target}: every event due until then happens at its exact time, then
     * the process values are sampled at {@code target}. A target before the machine's time is ignored (the plant
     * clock never runs backwards).
     */
    public synchronized void step(final Instant target) {
        if (target.isBefore(now)) {
            return;
        }
        while (true) {
            final Event next = nextEvent();
            if (next == null) {
                break;
            }
            final Instant at = eventTime(next);
            if (at.isAfter(target)) {
                break;
            }
            advanceTo(at);
            handle(next);
        }
        advanceTo(target);
        sample();
    }

    /** Same as {@code step(now().plus(duration))}. */
    public synchronized void advance(final Duration duration) {
        step(now.plus(duration));
    }

    /** What the machine shows now. */
    public synchronized MachineSnapshot snapshot() {
        return new MachineSnapshot(machineId, key, type, now, state, stateSince, stateReason, good, scrap,
                lastCycleTimeMs, spindleSpeed, temperature, vibration, power, job, jobHeld, spindleLoad,
                hydraulicPressure, program);
    }

    public synchronized MachineState state() {
        return state;
    }

    /** Ground truth: every failure so far, oldest first (the last one may still be under repair). */
    public synchronized List<FaultRecord> faultLog() {
        return List.copyOf(faults);
    }

    /**
     * Ground truth (degradation on): the episode the machine is in or heading for, from before its onset until it
     * fails or maintenance ends it; empty with degradation off.
     */
    public synchronized Optional<DegradationEpisode> currentEpisode() {
        return Optional.ofNullable(episode);
    }

    /** Ground truth (degradation on): every ended episode, sudden fault and planned maintenance so far, in order. */
    public synchronized List<GroundTruthEvent> groundTruth() {
        return List.copyOf(groundTruth);
    }

    /** Ground truth: the failure the machine is heading for; empty while it is DOWN or in MAINTENANCE. */
    public synchronized Optional<PendingFailure> nextFailure() {
        if (failureAt == null) {
            return Optional.empty();
        }
        return Optional.of(new PendingFailure(machineId, nextMode, lifeStart, driftOnset, failureAt));
    }

    // ----- saved state (survives a restart of the simulator) -----

    /**
     * Everything that makes this machine what it is now, as JSON: plant time, state and reason, counters, job,
     * scheduled events (cycle, setup, repair, restart, maintenance), the failure it is heading for, the degradation
     * episode and the thermal state. Not included: the positions of the random streams (a restored machine draws from
     * streams re-seeded by its seed, id and saved plant time: deterministic for the same saved state, but not the
     * numbers an uninterrupted run would have drawn), listeners, the fault log and ground truth before now (the open
     * fault of a machine under repair is kept).
     */
    public synchronized JsonObject saveState() {
        final JsonObject json = new JsonObject()
                .put("version", STATE_VERSION)
                .put("type", type.name())
                .put("degradation", degradation.enabled())
                .put("now", text(now))
                .put("state", state.name())
                .put("stateSince", text(stateSince))
                .put("stateReason", stateReason)
                .put("good", good)
                .put("scrap", scrap)
                .put("lastCycleTimeMs", lastCycleTimeMs)
                .put("jobHeld", jobHeld)
                .put("resumeAfterRepair", resumeAfterRepair)
                .put("cycleStartedAt", text(cycleStartedAt))
                .put("cycleEndsAt", text(cycleEndsAt))
                .put("setupEndsAt", text(setupEndsAt))
                .put("repairStartsAt", text(repairStartsAt))
                .put("repairEndsAt", text(repairEndsAt))
                .put("restartAt", text(restartAt))
                .put("lifeStart", text(lifeStart))
                .put("driftOnset", text(driftOnset))
                .put("failureAt", text(failureAt))
                .put("nextMode", mode(nextMode))
                .put("bodyTemperature", bodyTemperature)
                .put("episodeFailure", episodeFailure)
                .put("suddenAt", text(suddenAt))
                .put("suddenLeftMs", suddenLeft == null ? null : suddenLeft.toMillis())
                .put("suddenFailure", mode(suddenFailure))
                .put("maintenanceStartedAt", text(maintenanceStartedAt))
                .put("maintenanceEndsAt", text(maintenanceEndsAt))
                .put("maintenanceReason", maintenanceReason)
                .put("maintenanceDuringEpisode", maintenanceDuringEpisode)
                .put("runningSince", text(runningSince))
                .put("lastRunningAt", text(lastRunningAt))
                .put("coldStart", coldStart);
        if (job != null) {
            json.put("job", new JsonObject().put("workOrder", job.workOrder()).put("operation", job.operation()));
        }
        if (episode != null) {
            json.put("episode", new JsonObject()
                    .put("mode", episode.mode().name())
                    .put("failure", mode(episode.failure()))
                    .put("onset", text(episode.onset()))
                    .put("failureAt", text(episode.failureAt()))
                    .put("exponent", episode.exponent())
                    .put("severity", episode.severity()));
        }
        if (!faults.isEmpty() && !openFault().repaired()) {
            final FaultRecord open = openFault();
            json.put("openFault", new JsonObject()
                    .put("mode", mode(open.mode()))
                    .put("lifeStart", text(open.lifeStart()))
                    .put("driftOnset", text(open.driftOnset()))
                    .put("failedAt", text(open.failedAt())));
        }
        return json;
    }

    /**
     * Continues from a state saved by {@link #saveState()} of the same machine (same id and type): afterwards the
     * machine is where it was when saved, and {@link #step} moves it on from the saved plant time. Counters never go
     * back. Only for a machine that has not been stepped or commanded yet.
     * <p>
     * If the state was saved with degradation modes switched the other way, only the counters and the job are taken
     * (the job held, the machine IDLE, a new life drawn), since the failure model differs.
     *
     * @throws IllegalArgumentException if the state is of another machine type or version, or malformed; the message
     * says which field
     */
    public synchronized void restoreState(final JsonObject json) {
        try {
            final int version = json.getInteger("version", -1);
            if (version != STATE_VERSION) {
                throw new IllegalArgumentException("saved state version " + version + ", expected " + STATE_VERSION);
            }
            final String savedType = json.getString("type");
            if (!type.name().equals(savedType)) {
                throw new IllegalArgumentException("saved for machine type " + savedType + ", but " + machineId
                        + " is now a " + type.name());
            }
            // the machine continues from the saved plant time; the next step() catches up with the clock, so a
            // running job keeps producing through the time the simulator was stopped (as a real plant's PLCs do)
            final Instant savedNow = instant(json, "now");
            now = savedNow;
            good = Math.max(good, json.getLong("good", 0L));
            scrap = Math.max(scrap, json.getLong("scrap", 0L));
            lastCycleTimeMs = json.getDouble("lastCycleTimeMs");
            final JsonObject savedJob = json.getJsonObject("job");
            job = savedJob == null ? null : new JsonJob(savedJob).job();
            bodyTemperature = json.getDouble("bodyTemperature", bodyTemperature);
            reseed(savedNow);
            final boolean sameModel = json.getBoolean("degradation", false) == degradation.enabled();
            if (!sameModel) {
                restoreCountersOnly();
                return;
            }
            state = MachineState.valueOf(json.getString("state"));
            stateSince = instant(json, "stateSince");
            stateReason = json.getString("stateReason");
            jobHeld = json.getBoolean("jobHeld", false);
            resumeAfterRepair = json.getBoolean("resumeAfterRepair", false);
            cycleStartedAt = instant(json, "cycleStartedAt");
            cycleEndsAt = instant(json, "cycleEndsAt");
            setupEndsAt = instant(json, "setupEndsAt");
            repairStartsAt = instant(json, "repairStartsAt");
            repairEndsAt = instant(json, "repairEndsAt");
            restartAt = instant(json, "restartAt");
            lifeStart = instant(json, "lifeStart");
            driftOnset = instant(json, "driftOnset");
            failureAt = instant(json, "failureAt");
            nextMode = mode(json.getJsonObject("nextMode"));
            episodeFailure = json.getBoolean("episodeFailure", false);
            suddenAt = instant(json, "suddenAt");
            final Long suddenLeftMs = json.getLong("suddenLeftMs");
            suddenLeft = suddenLeftMs == null ? null : Duration.ofMillis(suddenLeftMs);
            suddenFailure = mode(json.getJsonObject("suddenFailure"));
            maintenanceStartedAt = instant(json, "maintenanceStartedAt");
            maintenanceEndsAt = instant(json, "maintenanceEndsAt");
            maintenanceReason = json.getString("maintenanceReason");
            maintenanceDuringEpisode = json.getBoolean("maintenanceDuringEpisode", false);
            runningSince = instant(json, "runningSince");
            lastRunningAt = instant(json, "lastRunningAt");
            coldStart = json.getBoolean("coldStart", false);
            final JsonObject savedEpisode = json.getJsonObject("episode");
            episode = savedEpisode == null ? null : new DegradationEpisode(machineId,
                    DegradationMode.valueOf(savedEpisode.getString("mode")), mode(savedEpisode.getJsonObject("failure")),
                    instant(savedEpisode, "onset"), instant(savedEpisode, "failureAt"),
                    savedEpisode.getDouble("exponent"), savedEpisode.getDouble("severity"));
            final JsonObject open = json.getJsonObject("openFault");
            faults.clear();
            if (open != null) {
                faults.add(new FaultRecord(machineId, mode(open.getJsonObject("mode")), instant(open, "lifeStart"),
                        instant(open, "driftOnset"), instant(open, "failedAt"), null));
            }
            final boolean underRepair = repairStartsAt != null || repairEndsAt != null;
            if (underRepair && faults.isEmpty()) {
                throw new IllegalArgumentException("a repair is scheduled but the open fault is missing");
            }
            final boolean jobMissing = job == null && (setupEndsAt != null || cycleEndsAt != null || restartAt != null);
            if (jobMissing) {
                throw new IllegalArgumentException("production is scheduled but the job is missing");
            }
            sample();
        } catch (final RuntimeException e) {
            throw e instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith("saved") ? iae
                    : new IllegalArgumentException("saved state of " + machineId + " is malformed: " + e, e);
        }
    }

    private void restoreCountersOnly() {
        state = MachineState.IDLE;
        stateSince = now;
        stateReason = "simulation restarted with degradation modes " + (degradation.enabled() ? "on" : "off");
        jobHeld = job != null;
        resumeAfterRepair = false;
        cancelProduction();
        repairStartsAt = null;
        repairEndsAt = null;
        restartAt = null;
        maintenanceEndsAt = null;
        episode = null;
        suddenAt = null;
        suddenLeft = null;
        faults.clear();
        beginLife(now);
        sample();
    }

    private void reseed(final Instant savedNow) {
        final long mixed = seed ^ savedNow.toEpochMilli();
        events.setSeed(streamSeed(mixed, machineId, 1));
        noise.setSeed(streamSeed(mixed, machineId, 2));
        wear.setSeed(streamSeed(mixed, machineId, 3));
        suddenFaults.setSeed(streamSeed(mixed, machineId, 4));
        nuisance.setSeed(streamSeed(mixed, machineId, 5));
    }

    private record JsonJob(JsonObject json) {
        JobAssignment job() {
            return new JobAssignment(json.getString("workOrder"), json.getString("operation"));
        }
    }

    private static String text(final Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(final JsonObject json, final String key) {
        final String value = json.getString(key);
        return value == null ? null : Instant.parse(value);
    }

    private static JsonObject mode(final FailureMode mode) {
        return mode == null ? null : new JsonObject().put("code", mode.code()).put("description", mode.description());
    }

    private static FailureMode mode(final JsonObject json) {
        return json == null ? null : new FailureMode(json.getString("code"), json.getString("description"));
    }

    /**
     * Starts (or resumes) a job. A new job goes through SETUP, then RUNNING; a held job with the same work order and
     * operation resumes at once. Rejected while DOWN or in MAINTENANCE, and while another job is set up or running.
     */
    public synchronized CommandOutcome startJob(final String workOrder, final String operation) {
        final boolean complete = workOrder != null && !workOrder.isBlank() && operation != null
                && !operation.isBlank();
        if (!complete) {
            return CommandOutcome.rejected("StartJob needs a work order and an operation, e.g. workOrder="
                    + "plant1:wo-100001 and operation=0010");
        }
        final JobAssignment requested = new JobAssignment(workOrder.trim(), operation.trim());
        final boolean sameJob = requested.equals(job);
        switch (state) {
            case DOWN, MAINTENANCE:
                return CommandOutcome.rejected("cannot start job " + requested.jobId() + ": " + key + " is " + state
                        + " (" + stateReason + "); start it again once the machine is IDLE");
            case RUNNING, SETUP:
                if (sameJob) {
                    return CommandOutcome.accepted("job " + requested.jobId() + " is already "
                            + (state == MachineState.RUNNING ? "running" : "in setup"));
                }
                return CommandOutcome.rejected(key + " is busy with job " + job.jobId()
                        + "; hold or stop it before starting " + requested.jobId());
            default:
                break;
        }
        if (sameJob && jobHeld) {
            jobHeld = false;
            transition(MachineState.RUNNING, "resumed job " + requested.jobId());
            startCycle();
            return CommandOutcome.accepted("job " + requested.jobId() + " resumed");
        }
        if (sameJob && restartAt != null) {
            restartAt = null;
            transition(MachineState.SETUP, "restart after repair: " + requested.jobId());
            setupEndsAt = now.plus(scale(drawSetup(), 0.5));
            return CommandOutcome.accepted("job " + requested.jobId() + " restarting after the repair");
        }
        final String replaced = job == null ? "" : " (replaces held job " + job.jobId() + ")";
        job = requested;
        jobHeld = false;
        restartAt = null;
        transition(MachineState.SETUP, "changeover for job " + requested.jobId());
        setupEndsAt = now.plus(drawSetup());
        return CommandOutcome.accepted("setting up for job " + requested.jobId() + replaced);
    }

    /** Holds the job: the machine stops producing (IDLE) but keeps the job until StartJob resumes or StopJob ends it. */
    public synchronized CommandOutcome holdJob() {
        if (job == null) {
            return CommandOutcome.rejected(key + " has no job to hold");
        }
        final String jobId = job.jobId();
        if (jobHeld) {
            return CommandOutcome.accepted("job " + jobId + " is already held");
        }
        jobHeld = true;
        resumeAfterRepair = false;
        if (state == MachineState.RUNNING || state == MachineState.SETUP) {
            cancelProduction();
            transition(MachineState.IDLE, "job held: " + jobId);
            return CommandOutcome.accepted("job " + jobId + " held");
        }
        restartAt = null;
        return CommandOutcome.accepted("job " + jobId + " held; it will not restart after the repair");
    }

    /** Ends the job: the machine stops producing (IDLE) and forgets it. */
    public synchronized CommandOutcome stopJob() {
        if (job == null) {
            return CommandOutcome.rejected(key + " has no job to stop");
        }
        final String jobId = job.jobId();
        job = null;
        jobHeld = false;
        resumeAfterRepair = false;
        restartAt = null;
        if (state == MachineState.RUNNING || state == MachineState.SETUP) {
            cancelProduction();
            transition(MachineState.IDLE, "job stopped: " + jobId);
        }
        return CommandOutcome.accepted("job " + jobId + " stopped");
    }

    /**
     * Planned maintenance: an IDLE machine goes into MAINTENANCE for {@code duration}, then IDLE again with its wear
     * reset (a degradation episode, started or not, ends; a held job stays held). Rejected while the machine runs or
     * sets up a job (stop or hold it first), is DOWN or already in MAINTENANCE.
     */
    public synchronized CommandOutcome startMaintenance(final Duration duration, final String reason) {
        final boolean positive = duration != null && !duration.isNegative() && !duration.isZero();
        if (!positive) {
            return CommandOutcome.rejected("planned maintenance needs a positive duration, e.g. 90 minutes; got "
                    + duration);
        }
        final String why = reason == null || reason.isBlank() ? "planned maintenance" : reason.strip();
        switch (state) {
            case DOWN, MAINTENANCE:
                return CommandOutcome.rejected("cannot start maintenance on " + key + ": it is " + state + " ("
                        + stateReason + "); planned maintenance starts from IDLE");
            case RUNNING, SETUP:
                return CommandOutcome.rejected("cannot start maintenance on " + key + ": it is busy with job "
                        + job.jobId() + "; hold or stop the job first");
            default:
                break;
        }
        maintenanceStartedAt = now;
        maintenanceEndsAt = now.plus(duration);
        maintenanceReason = why;
        maintenanceDuringEpisode = episode != null && episode.started(now);
        if (degradation.enabled()) {
            // sudden faults count over up time: the time left waits while the machine is maintained
            suddenLeft = suddenAt == null ? null : Duration.between(now, suddenAt);
            suddenAt = null;
        }
        failureAt = null;
        driftOnset = null;
        restartAt = null;
        transition(MachineState.MAINTENANCE, "planned maintenance: " + why);
        return CommandOutcome.accepted("planned maintenance of " + key + " until " + maintenanceEndsAt);
    }

    // ----- events -----

    private Event nextEvent() {
        Event next = null;
        Instant best = null;
        // the order of this list breaks ties: a failure wins over a part finishing at the same instant
        for (final Event candidate : Event.values()) {
            final Instant at = eventTime(candidate);
            final boolean earlier = at != null && (best == null || at.isBefore(best));
            if (earlier) {
                next = candidate;
                best = at;
            }
        }
        return next;
    }

    private Instant eventTime(final Event event) {
        return switch (event) {
            case FAILURE -> failureAt;
            case REPAIR_START -> repairStartsAt;
            case REPAIR_END -> repairEndsAt;
            case SETUP_END -> setupEndsAt;
            case RESTART -> restartAt;
            case CYCLE_END -> cycleEndsAt;
            case MAINTENANCE_END -> maintenanceEndsAt;
        };
    }

    private void handle(final Event event) {
        switch (event) {
            case FAILURE -> fail();
            case REPAIR_START -> {
                repairStartsAt = null;
                transition(MachineState.MAINTENANCE, "repair: " + openFault().mode().code());
            }
            case REPAIR_END -> finishRepair();
            case SETUP_END -> {
                setupEndsAt = null;
                transition(MachineState.RUNNING, "producing job " + job.jobId());
                startCycle();
            }
            case RESTART -> {
                restartAt = null;
                transition(MachineState.SETUP, "restart after repair: " + job.jobId());
                setupEndsAt = now.plus(scale(drawSetup(), 0.5));
            }
            case CYCLE_END -> completePart();
            case MAINTENANCE_END -> finishMaintenance();
        }
    }

    private void fail() {
        final FailureMode mode = nextMode;
        faults.add(new FaultRecord(machineId, mode, lifeStart, driftOnset, now, null));
        if (degradation.enabled()) {
            if (episodeFailure) {
                emit(new GroundTruthEvent.EpisodeEnded(machineId, type, episode, GroundTruthEvent.Outcome.FAILED,
                        now));
                episode = null;
                suddenLeft = suddenAt == null ? null : Duration.between(now, suddenAt);
            } else {
                emit(new GroundTruthEvent.SuddenFault(machineId, type, mode, now));
                suddenLeft = null;
            }
            suddenAt = null;
        }
        resumeAfterRepair = job != null && !jobHeld;
        cancelProduction();
        restartAt = null;
        failureAt = null;
        driftOnset = null;
        transition(MachineState.DOWN, mode.reason());
        final Duration repair = drawRepair();
        repairStartsAt = now.plus(scale(repair, REPAIR_RESPONSE_SHARE));
        repairEndsAt = now.plus(repair);
    }

    private void finishRepair() {
        repairEndsAt = null;
        final FaultRecord fault = openFault();
        faults.set(faults.size() - 1, fault.repairedAt(now));
        transition(MachineState.IDLE, "repaired: " + fault.mode().code());
        beginLife(now);
        final boolean restart = job != null && resumeAfterRepair && !jobHeld;
        resumeAfterRepair = false;
        if (restart) {
            restartAt = now.plus(RESTART_DELAY);
        } else if (job != null) {
            jobHeld = true;
        }
    }

    private void finishMaintenance() {
        maintenanceEndsAt = null;
        if (degradation.enabled()) {
            if (maintenanceDuringEpisode) {
                emit(new GroundTruthEvent.EpisodeEnded(machineId, type, episode,
                        GroundTruthEvent.Outcome.MAINTAINED, maintenanceStartedAt));
            }
            emit(new GroundTruthEvent.Maintenance(machineId, type, maintenanceStartedAt, now, maintenanceReason,
                    maintenanceDuringEpisode));
            // the wear is reset, started or not
            episode = null;
            suddenAt = suddenLeft == null ? null : now.plus(suddenLeft);
            suddenLeft = null;
        }
        transition(MachineState.IDLE, "maintenance done: " + maintenanceReason);
        beginLife(now);
        if (job != null) {
            jobHeld = true;
        }
    }

    private void emit(final GroundTruthEvent event) {
        groundTruth.add(event);
        listeners.forEach(l -> l.groundTruth(event));
    }

    private FaultRecord openFault() {
        return faults.get(faults.size() - 1);
    }

    private void completePart() {
        final double cycleMs = Duration.between(cycleStartedAt, now).toNanos() / 1e6;
        final double scrapProbability = degradation.enabled()
                ? profile.scrapRate() * (1 + 6 * wearLevel(DegradationMode.TOOL_WEAR)
                        + 0.5 * wearLevel(DegradationMode.BEARING_WEAR))
                : profile.scrapRate() * (1 + 3 * drift(now));
        final boolean isGood = events.nextDouble() >= scrapProbability;
        if (isGood) {
            good++;
        } else {
            scrap++;
        }
        lastCycleTimeMs = cycleMs;
        final PartCompleted part = new PartCompleted(machineId, now, isGood, cycleMs);
        listeners.forEach(l -> l.partCompleted(part));
        startCycle();
    }

    private void startCycle() {
        cycleStartedAt = now;
        cycleEndsAt = now.plus(drawCycle());
    }

    private void cancelProduction() {
        cycleStartedAt = null;
        cycleEndsAt = null;
        setupEndsAt = null;
    }

    private void beginLife(final Instant start) {
        if (degradation.enabled()) {
            beginWornLife(start);
            return;
        }
        lifeStart = start;
        final double uniform = events.nextDouble();
        final Duration timeToFailure = scale(profile.mtbf(), -Math.log(1 - uniform));
        failureAt = start.plus(timeToFailure);
        driftOnset = start.plus(scale(timeToFailure, 1 - DRIFT_FRACTION));
        nextMode = profile.failureModes().get(events.nextInt(profile.failureModes().size()));
    }

    /** A life with degradation: keeps an episode already under way, draws what is missing, picks the earlier. */
    private void beginWornLife(final Instant start) {
        lifeStart = start;
        if (episode == null) {
            episode = drawEpisode(start);
        }
        if (suddenAt == null) {
            if (suddenLeft != null) {
                suddenAt = start.plus(suddenLeft);
                suddenLeft = null;
            } else {
                final double uniform = suddenFaults.nextDouble();
                suddenAt = start.plus(scale(profile.mtbf(), degradation.suddenMtbfFactor() * -Math.log(1 - uniform)));
                suddenFailure = wearProfile.suddenModes().get(suddenFaults.nextInt(wearProfile.suddenModes().size()));
            }
        }
        episodeFailure = !episode.failureAt().isAfter(suddenAt);
        final Instant due = episodeFailure ? episode.failureAt() : suddenAt;
        // an episode can come due while the machine was repaired for something else: it fails at once then
        failureAt = due.isBefore(start) ? start : due;
        nextMode = episodeFailure ? episode.failure() : suddenFailure;
        driftOnset = episodeFailure ? episode.onset() : failureAt;
    }

    private DegradationEpisode drawEpisode(final Instant from) {
        final Duration toOnset = scale(degradation.meanTimeToOnset(), -Math.log(1 - wear.nextDouble()));
        final List<DegradationProfile.ModeFailure> modes = wearProfile.modes();
        final DegradationProfile.ModeFailure chosen = modes.get(wear.nextInt(modes.size()));
        final double spread = degradation.durationSpread();
        // log-normal with mean 1, bounded
        final double factor = clamp(Math.exp(spread * wear.nextGaussian() - spread * spread / 2), 0.4, 2.5);
        final double exponent = 1.6 + 1.2 * wear.nextDouble();
        final double severity = 0.85 + 0.35 * wear.nextDouble();
        final Instant onset = from.plus(toOnset);
        return new DegradationEpisode(machineId, chosen.mode(), chosen.failure(), onset,
                onset.plus(scale(chosen.mode().meanDuration(), factor)), exponent, severity);
    }

    private void transition(final MachineState next, final String reason) {
        final MachineState from = state;
        if (from == MachineState.RUNNING) {
            lastRunningAt = now;
        }
        if (next == MachineState.RUNNING) {
            runningSince = now;
            coldStart = lastRunningAt == null
                    || Duration.between(lastRunningAt, now).compareTo(degradation.coldAfter()) >= 0;
        }
        state = from.transitionTo(next);
        stateSince = now;
        stateReason = reason;
        final StateChange change = new StateChange(machineId, from, next, now, reason);
        listeners.forEach(l -> l.stateChanged(change));
    }

    // ----- draws -----

    private Duration drawCycle() {
        final double factor = clamp(1 + profile.cycleVariation() * events.nextGaussian(), MIN_CYCLE_FACTOR,
                MAX_CYCLE_FACTOR);
        if (degradation.enabled()) {
            // the program sets the normal cycle; a hydraulic leak stretches it
            final double programCycle = job == null ? 1 : OperatingProgram.forWorkOrder(job.workOrder()).cycle();
            return scale(profile.nominalCycle(), factor * programCycle
                    * (1 + 0.3 * wearLevel(DegradationMode.HYDRAULIC_LEAK)));
        }
        return scale(profile.nominalCycle(), factor);
    }

    private Duration drawSetup() {
        return scale(profile.setupTime(), clamp(1 + 0.15 * events.nextGaussian(), 0.7, 1.5));
    }

    private Duration drawRepair() {
        // log-normal with mean 1 (mu = -sigma^2 / 2, sigma = 0.4), bounded
        final double factor = clamp(Math.exp(0.4 * events.nextGaussian() - 0.08), MIN_REPAIR_FACTOR,
                MAX_REPAIR_FACTOR);
        return scale(profile.mttr(), factor);
    }

    // ----- process values -----

    /** Drift level in [0, 1]: 0 before the onset, then (progress through the drift window)^2. */
    private double drift(final Instant at) {
        final boolean drifting = !degradation.enabled() && failureAt != null && !at.isBefore(driftOnset);
        if (!drifting) {
            return 0;
        }
        final double window = Duration.between(driftOnset, failureAt).toNanos();
        final double progress = window <= 0 ? 1 : clamp(Duration.between(driftOnset, at).toNanos() / window, 0, 1);
        return progress * progress;
    }

    private void advanceTo(final Instant target) {
        final double seconds = Duration.between(now, target).toNanos() / 1e9;
        if (seconds > 0) {
            final double settle = Math.exp(-seconds / THERMAL_TIME_CONSTANT.toSeconds());
            final double goal = thermalTarget();
            bodyTemperature = goal + (bodyTemperature - goal) * settle;
        }
        now = target;
    }

    /** The level of {@code mode}'s episode now (0 without one, before its onset, or for another mode). */
    private double wearLevel(final DegradationMode mode) {
        return episode != null && episode.mode() == mode ? episode.level(now) : 0;
    }

    private double programLoad() {
        return job == null ? 1.0 : OperatingProgram.forWorkOrder(job.workOrder()).load();
    }

    private double thermalTarget() {
        if (degradation.enabled() && state == MachineState.RUNNING) {
            // a heavier program heats the machine more
            return profile.temperatureIdle() + (profile.temperatureRunning() - profile.temperatureIdle())
                    * (0.8 + 0.2 * programLoad());
        }
        return switch (state) {
            case RUNNING -> profile.temperatureRunning();
            case IDLE, SETUP -> profile.temperatureIdle();
            case DOWN, MAINTENANCE -> AMBIENT_TEMPERATURE;
        };
    }

    private void sample() {
        if (degradation.enabled()) {
            sampleWorn();
            return;
        }
        final double d = drift(now);
        final boolean running = state == MachineState.RUNNING;
        spindleSpeed = running && profile.hasSpindle()
                ? round(profile.spindleRpm() * (1 + 0.005 * noise.nextGaussian()), 1)
                : 0.0;
        final double vibrationBase = switch (state) {
            case RUNNING -> profile.vibrationRunning();
            case SETUP -> 0.3 * profile.vibrationRunning();
            case IDLE -> profile.vibrationIdle();
            case DOWN, MAINTENANCE -> 0.02;
        };
        final double vibrationNoise = 0.04 * profile.vibrationRunning() * noise.nextGaussian();
        vibration = round(Math.max(0, vibrationBase + profile.vibrationRunning() * profile.vibrationDriftGain() * d
                + vibrationNoise), 3);
        temperature = round(bodyTemperature + profile.temperatureDriftRise() * d + 0.25 * noise.nextGaussian(), 2);
        final double powerBase = switch (state) {
            case RUNNING -> profile.powerRunning() * (1 + 0.08 * d);
            case SETUP -> 0.3 * profile.powerRunning();
            case IDLE -> profile.powerIdle();
            case DOWN -> 0.1 * profile.powerIdle();
            case MAINTENANCE -> 0.05 * profile.powerIdle();
        };
        power = round(Math.max(0, powerBase * (1 + 0.03 * noise.nextGaussian())), 2);
    }

    /** Process values with degradation on: program, wear signatures, noise, warm-up, glitches. */
    private void sampleWorn() {
        final double load = programLoad();
        final double bearing = wearLevel(DegradationMode.BEARING_WEAR);
        final double tool = wearLevel(DegradationMode.TOOL_WEAR);
        final double leak = wearLevel(DegradationMode.HYDRAULIC_LEAK);
        final boolean running = state == MachineState.RUNNING;
        final boolean up = running || state == MachineState.IDLE || state == MachineState.SETUP;
        final double warmUpSeconds = degradation.warmUp().toSeconds();
        final double warm = running && coldStart && warmUpSeconds > 0
                ? Math.exp(-Duration.between(runningSince, now).toSeconds() / warmUpSeconds) : 0;
        final double relativeNoise = degradation.noise();
        program = job == null ? null : OperatingProgram.forWorkOrder(job.workOrder()).name();
        spindleSpeed = running && profile.hasSpindle()
                ? round(profile.spindleRpm() * (1 + 0.005 * noise.nextGaussian()), 1)
                : 0.0;
        final double vibrationBase = switch (state) {
            case RUNNING -> profile.vibrationRunning() * (0.85 + 0.15 * load) * (1 + 0.3 * warm);
            case SETUP -> 0.3 * profile.vibrationRunning();
            case IDLE -> profile.vibrationIdle();
            case DOWN, MAINTENANCE -> 0.02;
        };
        final double vibrationWear = up ? 1 + profile.vibrationDriftGain() * bearing + 0.15 * tool : 1;
        double vib = Math.max(0, vibrationBase * vibrationWear * (1 + relativeNoise * noise.nextGaussian()));
        double temp = bodyTemperature + (up ? profile.temperatureDriftRise() * (running ? bearing : 0.3 * bearing)
                + 0.4 * profile.temperatureDriftRise() * leak : 0) + 0.25 * noise.nextGaussian();
        final double powerBase = switch (state) {
            case RUNNING -> profile.powerRunning() * (0.6 + 0.4 * load)
                    * (1 + 0.25 * tool + 0.05 * bearing + 0.08 * leak);
            case SETUP -> 0.3 * profile.powerRunning();
            case IDLE -> profile.powerIdle();
            case DOWN -> 0.1 * profile.powerIdle();
            case MAINTENANCE -> 0.05 * profile.powerIdle();
        };
        double pow = Math.max(0, powerBase * (1 + relativeNoise * noise.nextGaussian()));
        Double spindle = null;
        if (wearProfile.hasSpindleLoad()) {
            spindle = running ? Math.max(0, wearProfile.spindleLoadPercent() * load * (1 + 0.7 * tool)
                    * (1 + 0.15 * warm) * (1 + relativeNoise * noise.nextGaussian()))
                    : state == MachineState.SETUP ? 3.0 : 0.0;
        }
        Double pressure = null;
        if (wearProfile.hasHydraulics()) {
            pressure = up ? Math.max(0, wearProfile.hydraulicPressureBar() * (running ? 0.85 + 0.15 * load : 0.85)
                    * (1 - 0.35 * leak) + noise.nextGaussian()) : 0.0;
        }
        if (nuisance.nextDouble() < degradation.glitchProbability()) {
            // one sensor shows nonsense for one sample: zero, or several times the real value
            final double factor = nuisance.nextBoolean() ? 0 : 3 + 3 * nuisance.nextDouble();
            final int signals = 3 + (spindle != null ? 1 : 0) + (pressure != null ? 1 : 0);
            int pick = nuisance.nextInt(signals);
            if (pick == 0) {
                vib *= factor;
            } else if (pick == 1) {
                temp *= factor;
            } else if (pick == 2) {
                pow *= factor;
            } else {
                pick -= 3;
                if (spindle != null && pick == 0) {
                    spindle *= factor;
                } else if (pressure != null) {
                    pressure *= factor;
                }
            }
        }
        vibration = round(vib, 3);
        temperature = round(temp, 2);
        power = round(pow, 2);
        spindleLoad = spindle == null ? null : round(spindle, 1);
        hydraulicPressure = pressure == null ? null : round(pressure, 1);
    }

    // ----- helpers -----

    private static Duration scale(final Duration duration, final double factor) {
        return Duration.ofNanos(Math.round(duration.toNanos() * factor));
    }

    private static double clamp(final double value, final double min, final double max) {
        return Math.max(min, Math.min(max, value));
    }

    private static double round(final double value, final int decimals) {
        final double factor = Math.pow(10, decimals);
        return Math.round(value * factor) / factor;
    }

    /** Independent, reproducible streams per machine: same seed and id, same numbers, on every JVM. */
    private static long streamSeed(final long seed, final String machineId, final int stream) {
        final long mixed = seed * 0x9E3779B97F4A7C15L + machineId.hashCode() * 31L + stream;
        return new SplittableRandom(mixed).nextLong();
    }
}
