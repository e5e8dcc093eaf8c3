package io.plantmesh.mes.oee;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;

/**
 * Each machine's state intervals and counter samples, in memory, built from what its twin says, and the machine's
 * and line's OEE from them. Feed it every time a machine twin is read or changes ({@link #observe}); repeated and
 * stale observations are harmless. No I/O: {@link OeeHistoryStore} persists it. Thread-safe (one lock per tracker;
 * every method is short and does no I/O).
 */
public final class OeeTracker {

    private static final Logger LOG = LoggerFactory.getLogger(OeeTracker.class);
    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final OeeConfig config;
    private final Map<ThingId, MachineLog> logs = new HashMap<>();

    public OeeTracker(final OeeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public OeeConfig config() {
        return config;
    }

    /**
     * Records what a machine twin says at {@code observedAt}.
     * <ul>
     * <li>An observation older than the machine's last one is ignored (returns false); one as old is applied
     * again, which changes nothing if it is the same.</li>
     * <li>The same state as the current one does not start a new interval, even with another {@code stateSince}.</li>
     * <li>Another state closes the current interval at {@code stateSince} (at the current interval's start if
     * {@code stateSince} is earlier than that) and starts the new one there.</li>
     * <li>The counters are kept as a sample at {@code observedAt} when they differ from the last sample.</li>
     * <li>Line and ideal cycle time are taken as the latest; history older than the retention is pruned.</li>
     * </ul>
     *
     * @param idealCycleTimeMs the twin's ideal cycle time; null (or not positive) means the configured default
     * @return true if applied, false if ignored as stale
     * @throws IllegalArgumentException if a count is negative
     */
    public synchronized boolean observe(final ThingId machine, final ThingId line, final MachineState state,
            final Instant stateSince, final long good, final long scrap, final Double idealCycleTimeMs,
            final Instant observedAt) {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stateSince, "stateSince");
        Objects.requireNonNull(observedAt, "observedAt");
        final CounterSample sample = new CounterSample(observedAt, good, scrap);
        MachineLog log = logs.get(machine);
        if (log == null) {
            log = new MachineLog(state, stateSince);
            logs.put(machine, log);
        } else {
            final boolean stale = observedAt.isBefore(log.lastObservedAt);
            if (stale) {
                LOG.debug("OEE: ignored observation of {} at {}, older than the last one at {}", machine,
                        observedAt, log.lastObservedAt);
                return false;
            }
            log.enter(state, stateSince);
        }
        log.line = line;
        log.idealCycleTimeMs = idealCycleTimeMs;
        log.lastObservedAt = observedAt;
        log.add(sample);
        log.prune(observedAt.minus(config.retention()));
        return true;
    }

    /**
     * The machine's {@code oee} feature: figures over the rolling window [{@code now} − window, {@code now}), window
     * as ISO-8601 (e.g. {@code PT1H}), computed at {@code now}, and the current shift's figures from its start to
     * {@code now} (shift null if no shift covers {@code now}). An unknown machine gets null figures.
     */
    public synchronized MachineTwin.Oee machineOee(final ThingId machine, final Instant now) {
        final OeeFigures window = machineFigures(machine, now.minus(config.window()), now);
        final ShiftCalendar.Shift shift = config.shifts().shiftAt(now);
        final MachineTwin.ShiftOee shiftOee = shift == null ? null
                : shiftOee(shift, machineFigures(machine, shift.start(), now));
        return new MachineTwin.Oee(window.availability(), window.performance(), window.quality(), window.oee(),
                config.window().toString(), now, shiftOee);
    }

    /**
     * The line's {@code kpi} feature: the sums of its machines' figures (machines whose last observation named this
     * line) over the rolling window and the current shift, throughput as good pieces per hour over the window (null
     * if no machine of the line is known), and the given {@code wip}.
     */
    public synchronized LineTwin.Kpi lineKpi(final ThingId line, final Instant now, final long wip) {
        final List<ThingId> machines = machinesOf(line);
        final OeeFigures window = lineFigures(machines, now.minus(config.window()), now);
        final ShiftCalendar.Shift shift = config.shifts().shiftAt(now);
        final MachineTwin.ShiftOee shiftOee = shift == null ? null
                : shiftOee(shift, lineFigures(machines, shift.start(), now));
        final Double throughput = machines.isEmpty() ? null : window.goodPerHour(config.window());
        return new LineTwin.Kpi(window.oee(), window.availability(), window.performance(), window.quality(),
                throughput, wip, config.window().toString(), now, shiftOee);
    }

    /** One machine's figures over [{@code from}, {@code to}); {@link OeeFigures#NONE} if it is unknown. */
    public synchronized OeeFigures machineFigures(final ThingId machine, final Instant from, final Instant to) {
        final MachineLog log = logs.get(machine);
        if (log == null) {
            return OeeFigures.NONE;
        }
        return OeeCalculator.machine(log.intervalsUntil(to), Collections.unmodifiableList(log.counters),
                idealCycleTime(log.idealCycleTimeMs), from, to);
    }

    /** The sum of the figures of the line's machines over [{@code from}, {@code to}). */
    public synchronized OeeFigures lineFigures(final ThingId line, final Instant from, final Instant to) {
        return lineFigures(machinesOf(line), from, to);
    }

    /** The machines whose last observation named {@code line}, in id order. */
    public synchronized List<ThingId> machinesOf(final ThingId line) {
        final Set<ThingId> machines = new TreeSet<>();
        logs.forEach((machine, log) -> {
            if (log.line.equals(line)) {
                machines.add(machine);
            }
        });
        return List.copyOf(machines);
    }

    /** A snapshot of what the tracker knows about the machine; empty if it was never observed. */
    public synchronized Optional<MachineHistory> history(final ThingId machine) {
        final MachineLog log = logs.get(machine);
        if (log == null) {
            return Optional.empty();
        }
        return Optional.of(new MachineHistory(machine, log.line, log.idealCycleTimeMs, log.lastObservedAt,
                log.closed, log.state, log.since, log.counters));
    }

    /**
     * Takes over a persisted history, unless the machine has been observed already (what was observed is newer, and
     * is kept).
     *
     * @return true if restored
     */
    public synchronized boolean restore(final MachineHistory history) {
        if (logs.containsKey(history.machine())) {
            return false;
        }
        final MachineLog log = new MachineLog(history.state(), history.since());
        log.line = history.line();
        log.idealCycleTimeMs = history.idealCycleTimeMs();
        log.lastObservedAt = history.lastObservedAt();
        log.closed.addAll(history.closed());
        log.counters.addAll(history.counters());
        logs.put(history.machine(), log);
        return true;
    }

    /** Drops every machine's history older than the retention before {@code now}. */
    public synchronized void prune(final Instant now) {
        final Instant cutoff = now.minus(config.retention());
        logs.values().forEach(log -> log.prune(cutoff));
    }

    private OeeFigures lineFigures(final List<ThingId> machines, final Instant from, final Instant to) {
        final List<OeeFigures> figures = new ArrayList<>(machines.size());
        for (final ThingId machine : machines) {
            figures.add(machineFigures(machine, from, to));
        }
        return OeeCalculator.line(figures);
    }

    private static MachineTwin.ShiftOee shiftOee(final ShiftCalendar.Shift shift, final OeeFigures figures) {
        return new MachineTwin.ShiftOee(shift.name(), shift.start(), figures.availability(), figures.performance(),
                figures.quality(), figures.oee());
    }

    private Duration idealCycleTime(final Double idealCycleTimeMs) {
        final boolean usable = idealCycleTimeMs != null && Double.isFinite(idealCycleTimeMs) && idealCycleTimeMs > 0;
        if (!usable) {
            return config.defaultIdealCycleTime();
        }
        final long nanos = Math.round(idealCycleTimeMs * NANOS_PER_MILLI);
        return nanos > 0 ? Duration.ofNanos(nanos) : config.defaultIdealCycleTime();
    }

    /** The mutable history of one machine; guarded by the tracker's lock. */
    private static final class MachineLog {

        private final List<StateInterval> closed = new ArrayList<>();
        private final List<CounterSample> counters = new ArrayList<>();
        private MachineState state;
        private Instant since;
        private ThingId line;
        private Double idealCycleTimeMs;
        private Instant lastObservedAt;

        MachineLog(final MachineState state, final Instant since) {
            this.state = state;
            this.since = since;
        }

        void enter(final MachineState next, final Instant nextSince) {
            if (next == state) {
                return;
            }
            // the current interval cannot end before it began: a change dated earlier takes effect at its start
            final Instant boundary = nextSince.isAfter(since) ? nextSince : since;
            if (boundary.isAfter(since)) {
                closed.add(new StateInterval(state, since, boundary));
            }
            state = next;
            since = boundary;
        }

        void add(final CounterSample sample) {
            final boolean changed = counters.isEmpty() || !counters.get(counters.size() - 1).sameCounts(sample);
            if (changed) {
                counters.add(sample);
            }
        }

        /** Drops intervals that ended by {@code cutoff} and samples before it, except the base sample at it. */
        void prune(final Instant cutoff) {
            int endedIntervals = 0;
            while (endedIntervals < closed.size() && !closed.get(endedIntervals).to().isAfter(cutoff)) {
                endedIntervals++;
            }
            closed.subList(0, endedIntervals).clear();
            int lastBase = -1;
            while (lastBase + 1 < counters.size() && !counters.get(lastBase + 1).at().isAfter(cutoff)) {
                lastBase++;
            }
            if (lastBase > 0) {
                counters.subList(0, lastBase).clear();
            }
        }

        List<StateInterval> intervalsUntil(final Instant until) {
            final List<StateInterval> all = new ArrayList<>(closed.size() + 1);
            all.addAll(closed);
            if (until.isAfter(since)) {
                all.add(new StateInterval(state, since, until));
            }
            return all;
        }
    }
}
