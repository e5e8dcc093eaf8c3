package io.plantmesh.mes.oee;

import java.time.Duration;
import java.util.Objects;

/**
 * The sums OEE is computed from, for one machine or a line over one time range, and the factors derived from them.
 * Sums of several machines ({@link #plus(OeeFigures)}) give the line's figures.
 *
 * @param plannedTime time with a known state that was not MAINTENANCE (planned production time)
 * @param runningTime time in RUNNING
 * @param idealTime ideal cycle time × pieces produced (good + scrap)
 * @param good good pieces produced
 * @param scrap scrap pieces produced
 */
public record OeeFigures(Duration plannedTime, Duration runningTime, Duration idealTime, long good, long scrap) {

    /** Nothing known: every factor is null. */
    public static final OeeFigures NONE = new OeeFigures(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0);

    private static final double NANOS_PER_HOUR = Duration.ofHours(1).toNanos();

    public OeeFigures {
        Objects.requireNonNull(plannedTime, "plannedTime");
        Objects.requireNonNull(runningTime, "runningTime");
        Objects.requireNonNull(idealTime, "idealTime");
        final boolean nonNegative = !plannedTime.isNegative() && !runningTime.isNegative() && !idealTime.isNegative()
                && good >= 0 && scrap >= 0;
        if (!nonNegative) {
            throw new IllegalArgumentException("OEE figures must not be negative: planned=" + plannedTime
                    + ", running=" + runningTime + ", ideal=" + idealTime + ", good=" + good + ", scrap=" + scrap);
        }
    }

    /** good + scrap. */
    public long pieces() {
        return good + scrap;
    }

    /** running / planned; null if there was no planned production time. */
    public Double availability() {
        if (plannedTime.isZero()) {
            return null;
        }
        return ratio(runningTime, plannedTime);
    }

    /** ideal time / running time, at most 1; null if the machine did not run. */
    public Double performance() {
        if (runningTime.isZero()) {
            return null;
        }
        return Math.min(1.0, ratio(idealTime, runningTime));
    }

    /** good / (good + scrap); null if no piece was produced. */
    public Double quality() {
        if (pieces() == 0) {
            return null;
        }
        return (double) good / pieces();
    }

    /**
     * availability × performance × quality. If a factor is null the product is 0 when another factor is 0 (a machine
     * that was planned but never ran, or ran and produced nothing), and null otherwise.
     */
    public Double oee() {
        final Double availability = availability();
        final Double performance = performance();
        final Double quality = quality();
        final boolean allKnown = availability != null && performance != null && quality != null;
        if (allKnown) {
            return availability * performance * quality;
        }
        final boolean someFactorZero = isZero(availability) || isZero(performance) || isZero(quality);
        return someFactorZero ? 0.0 : null;
    }

    /** Good pieces per hour over {@code period}. */
    public double goodPerHour(final Duration period) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("throughput needs a positive period, not " + period);
        }
        return good * NANOS_PER_HOUR / period.toNanos();
    }

    /** The sums of both, e.g. two machines of a line. */
    public OeeFigures plus(final OeeFigures other) {
        return new OeeFigures(plannedTime.plus(other.plannedTime), runningTime.plus(other.runningTime),
                idealTime.plus(other.idealTime), good + other.good, scrap + other.scrap);
    }

    private static double ratio(final Duration numerator, final Duration denominator) {
        return (double) numerator.toNanos() / denominator.toNanos();
    }

    private static boolean isZero(final Double factor) {
        return factor != null && factor == 0.0;
    }
}
