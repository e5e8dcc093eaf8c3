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

import io.plantmesh.twin.model.machine.MachineState;

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

    private enum Event { FAILURE, REPAIR_START, REPAIR_END, SETUP_END, RESTART, CYCLE_END }

    private final String machineId;
    private final String key;
    private final MachineType type;
    private final MachineProfile profile;
    private final Random events;
    private final Random noise;
    private final List<MachineListener> listeners = new CopyOnWriteArrayList<>();
    private final List<FaultRecord> faults = new ArrayList<>();

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

    private SimulatedMachine(final String machineId, final String key, final MachineType type,
            final MachineProfile profile, final long seed, final Instant start) {
        this.machineId = Objects.requireNonNull(machineId, "machineId");
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.now = Objects.requireNonNull(start, "start");
        this.events = new Random(streamSeed(seed, machineId, 1));
        this.noise = new Random(streamSeed(seed, machineId, 2));
        this.stateSince = start;
        this.stateReason = "simulation started";
        this.bodyTemperature = profile.temperatureIdle();
        beginLife(start);
        sample();
    }

    /** An IDLE machine with its type's default profile at plant time {@code start}. */
    public static SimulatedMachine create(final String machineId, final String key, final MachineType type,
            final long seed, final Instant start) {
        return new SimulatedMachine(machineId, key, type, type.profile(), seed, start);
    }

    /** An IDLE machine with a custom profile (e.g. a shorter MTBF for tests). */
    public static SimulatedMachine create(final String machineId, final String key, final MachineType type,
            final MachineProfile profile, final long seed, final Instant start) {
        return new SimulatedMachine(machineId, key, type, profile, seed, start);
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
                lastCycleTimeMs, spindleSpeed, temperature, vibration, power, job, jobHeld);
    }

    public synchronized MachineState state() {
        return state;
    }

    /** Ground truth: every failure so far, oldest first (the last one may still be under repair). */
    public synchronized List<FaultRecord> faultLog() {
        return List.copyOf(faults);
    }

    /** Ground truth: the failure the machine is heading for; empty while it is DOWN or in MAINTENANCE. */
    public synchronized Optional<PendingFailure> nextFailure() {
        if (failureAt == null) {
            return Optional.empty();
        }
        return Optional.of(new PendingFailure(machineId, nextMode, lifeStart, driftOnset, failureAt));
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
        }
    }

    private void fail() {
        final FailureMode mode = nextMode;
        faults.add(new FaultRecord(machineId, mode, lifeStart, driftOnset, now, null));
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

    private FaultRecord openFault() {
        return faults.get(faults.size() - 1);
    }

    private void completePart() {
        final double cycleMs = Duration.between(cycleStartedAt, now).toNanos() / 1e6;
        final double scrapProbability = profile.scrapRate() * (1 + 3 * drift(now));
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
        lifeStart = start;
        final double uniform = events.nextDouble();
        final Duration timeToFailure = scale(profile.mtbf(), -Math.log(1 - uniform));
        failureAt = start.plus(timeToFailure);
        driftOnset = start.plus(scale(timeToFailure, 1 - DRIFT_FRACTION));
        nextMode = profile.failureModes().get(events.nextInt(profile.failureModes().size()));
    }

    private void transition(final MachineState next, final String reason) {
        final MachineState from = state;
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
        final boolean drifting = failureAt != null && !at.isBefore(driftOnset);
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

    private double thermalTarget() {
        return switch (state) {
            case RUNNING -> profile.temperatureRunning();
            case IDLE, SETUP -> profile.temperatureIdle();
            case DOWN, MAINTENANCE -> AMBIENT_TEMPERATURE;
        };
    }

    private void sample() {
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
