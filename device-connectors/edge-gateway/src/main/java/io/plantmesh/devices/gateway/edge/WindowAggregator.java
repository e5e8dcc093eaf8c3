package io.plantmesh.devices.gateway.edge;

import java.util.Objects;
import java.util.Optional;

import io.plantmesh.devices.gateway.mapping.AggregationSpec;

/**
 * Aggregates samples over tumbling windows of fixed width aligned to the epoch ({@code [k*w, (k+1)*w)} in epoch
 * milliseconds), producing the average, minimum or maximum of each window that had samples. A window closes when a
 * sample of a later window arrives ({@link #add}) or when the clock passes its end ({@link #closeIfDue}). Samples
 * older than the open window are folded into it (late OPC-UA notifications must not reopen a closed window).
 * Not thread-safe.
 */
public final class WindowAggregator {

    /** The aggregate of one closed window; {@code windowEnd} is exclusive, in epoch ms. */
    public record WindowResult(long windowStart, long windowEnd, double value, int samples) {
    }

    private final AggregationSpec.Function function;
    private final long width;
    private long windowStart = Long.MIN_VALUE;
    private int count;
    private double sum;
    private double min;
    private double max;

    public WindowAggregator(final AggregationSpec.Function function, final long windowMillis) {
        this.function = Objects.requireNonNull(function, "function");
        if (function == AggregationSpec.Function.NONE) {
            throw new IllegalArgumentException("a window aggregator needs avg, min or max");
        }
        if (windowMillis < 1) {
            throw new IllegalArgumentException("window must be >= 1 ms, got " + windowMillis);
        }
        this.width = windowMillis;
    }

    /** Adds a sample; returns the previous window's aggregate if this sample starts a new window. */
    public Optional<WindowResult> add(final long timestamp, final double value) {
        final long start = timestamp - Math.floorMod(timestamp, width);
        Optional<WindowResult> closed = Optional.empty();
        if (count == 0) {
            windowStart = start;
        } else if (start > windowStart) {
            closed = Optional.of(result());
            windowStart = start;
            count = 0;
        }
        include(value);
        return closed;
    }

    /** Closes the open window if {@code now} is at or past its end and it holds samples. */
    public Optional<WindowResult> closeIfDue(final long now) {
        final boolean due = count > 0 && now >= windowStart + width;
        if (!due) {
            return Optional.empty();
        }
        final WindowResult result = result();
        count = 0;
        return Optional.of(result);
    }

    private void include(final double value) {
        if (count == 0) {
            sum = value;
            min = value;
            max = value;
        } else {
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        count++;
    }

    private WindowResult result() {
        final double value = switch (function) {
            case AVG -> sum / count;
            case MIN -> min;
            case MAX -> max;
            case NONE -> throw new IllegalStateException("unreachable");
        };
        return new WindowResult(windowStart, windowStart + width, value, count);
    }
}
