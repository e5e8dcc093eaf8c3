package io.plantmesh.mes.oee;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import io.plantmesh.twin.model.machine.MachineState;

/**
 * Computes OEE figures of a machine over a time range from its state intervals and counter samples, and of a line
 * from its machines' figures. Pure: no clock, no state. The definitions are in {@code docs/mes-oee.md}.
 */
public final class OeeCalculator {

    private OeeCalculator() {
    }

    /**
     * One machine's figures over [{@code from}, {@code to}).
     * <ul>
     * <li>planned time: the part of the range covered by a state interval other than MAINTENANCE (time with no
     * known state counts neither as planned nor as running);</li>
     * <li>running time: the part of the range covered by RUNNING intervals;</li>
     * <li>pieces: {@link #produced(List, Instant, Instant)};</li>
     * <li>ideal time: {@code idealCycleTime} × pieces.</li>
     * </ul>
     *
     * @param states in time order, not overlapping
     * @param counters in ascending order of {@code at}
     * @param idealCycleTime positive
     * @throws IllegalArgumentException if an argument breaks these rules
     */
    public static OeeFigures machine(final List<StateInterval> states, final List<CounterSample> counters,
            final Duration idealCycleTime, final Instant from, final Instant to) {
        requireRange(from, to);
        final boolean positiveCycle = !idealCycleTime.isZero() && !idealCycleTime.isNegative();
        if (!positiveCycle) {
            throw new IllegalArgumentException("ideal cycle time must be positive, not " + idealCycleTime);
        }
        requireOrdered(states);
        Duration planned = Duration.ZERO;
        Duration running = Duration.ZERO;
        for (final StateInterval interval : states) {
            final Duration inRange = interval.overlap(from, to);
            if (interval.state() != MachineState.MAINTENANCE) {
                planned = planned.plus(inRange);
            }
            if (interval.state() == MachineState.RUNNING) {
                running = running.plus(inRange);
            }
        }
        final Produced produced = produced(counters, from, to);
        return new OeeFigures(planned, running, idealCycleTime.multipliedBy(produced.pieces()), produced.good(),
                produced.scrap());
    }

    /**
     * Pieces produced in ({@code from}, {@code to}]: the sum, over every sample taken after {@code from} and at or
     * before {@code to}, of its increase over the sample before it (which may lie before {@code from}). A sample in
     * which good or scrap is lower than in the sample before means the counters were reset: that sample's good and
     * scrap are both counted from 0. The first sample of the list is a base only; what it counts was produced before
     * it.
     *
     * @param counters in ascending order of {@code at}
     */
    public static Produced produced(final List<CounterSample> counters, final Instant from, final Instant to) {
        requireRange(from, to);
        requireOrderedSamples(counters);
        long good = 0;
        long scrap = 0;
        for (int i = firstAfter(counters, from); i < counters.size(); i++) {
            final CounterSample sample = counters.get(i);
            if (sample.at().isAfter(to)) {
                break;
            }
            if (i == 0) {
                continue;
            }
            final CounterSample previous = counters.get(i - 1);
            final boolean reset = sample.good() < previous.good() || sample.scrap() < previous.scrap();
            good += reset ? sample.good() : sample.good() - previous.good();
            scrap += reset ? sample.scrap() : sample.scrap() - previous.scrap();
        }
        return new Produced(good, scrap);
    }

    /**
     * A line's figures: the sums of its machines' figures, so availability = Σrunning / Σplanned, performance =
     * Σ(ideal cycle time × pieces) / Σrunning (at most 1), quality = Σgood / Σpieces.
     */
    public static OeeFigures line(final Collection<OeeFigures> machines) {
        OeeFigures sum = OeeFigures.NONE;
        for (final OeeFigures machine : machines) {
            sum = sum.plus(machine);
        }
        return sum;
    }

    /** Good and scrap pieces produced in a time range. */
    public record Produced(long good, long scrap) {

        public long pieces() {
            return good + scrap;
        }
    }

    private static void requireRange(final Instant from, final Instant to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("OEE range ends at " + to + " before it starts at " + from
                    + ": pass from <= to");
        }
    }

    private static void requireOrdered(final List<StateInterval> states) {
        for (int i = 1; i < states.size(); i++) {
            final boolean ordered = !states.get(i).from().isBefore(states.get(i - 1).to());
            if (!ordered) {
                throw new IllegalArgumentException("state intervals overlap or are out of order: " + states.get(i - 1)
                        + " then " + states.get(i) + "; pass them in time order without overlap");
            }
        }
    }

    private static void requireOrderedSamples(final List<CounterSample> counters) {
        for (int i = 1; i < counters.size(); i++) {
            final boolean ordered = !counters.get(i).at().isBefore(counters.get(i - 1).at());
            if (!ordered) {
                throw new IllegalArgumentException("counter samples out of order: " + counters.get(i - 1) + " then "
                        + counters.get(i) + "; pass them in ascending order of 'at'");
            }
        }
    }

    /** Index of the first sample taken after {@code instant} (size if none), by binary search. */
    private static int firstAfter(final List<CounterSample> counters, final Instant instant) {
        int low = 0;
        int high = counters.size();
        while (low < high) {
            final int middle = (low + high) >>> 1;
            if (counters.get(middle).at().isAfter(instant)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }
}
