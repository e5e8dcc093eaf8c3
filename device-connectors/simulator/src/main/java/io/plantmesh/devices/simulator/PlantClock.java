package io.plantmesh.devices.simulator;

import java.time.Instant;

/**
 * The simulated plant's time: starts at {@code start} and runs {@code timeScale} times as fast as the wall clock
 * (1 = real time, 60 = an hour per minute).
 */
public final class PlantClock {

    private final Instant start;
    private final long startNanos;
    private final double timeScale;

    PlantClock(final Instant start, final double timeScale) {
        final boolean validScale = timeScale > 0 && !Double.isInfinite(timeScale);
        if (!validScale) {
            throw new IllegalArgumentException("time scale must be a positive number, got " + timeScale);
        }
        this.start = start;
        this.startNanos = System.nanoTime();
        this.timeScale = timeScale;
    }

    public Instant now() {
        final long elapsed = System.nanoTime() - startNanos;
        return start.plusNanos(Math.round(elapsed * timeScale));
    }

    public double timeScale() {
        return timeScale;
    }
}
