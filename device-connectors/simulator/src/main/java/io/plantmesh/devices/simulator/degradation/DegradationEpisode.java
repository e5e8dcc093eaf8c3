package io.plantmesh.devices.simulator.degradation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.plantmesh.devices.simulator.machine.FailureMode;

/**
 * Ground truth of one degradation episode: which mode, when it starts, when it would end in a failure, and how its
 * level rises ({@code severity * p^exponent}, {@code p} the progress from onset to failure). Never written to a twin.
 */
public record DegradationEpisode(String machineId, DegradationMode mode, FailureMode failure, Instant onset,
        Instant failureAt, double exponent, double severity) {

    public DegradationEpisode {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(onset, "onset");
        Objects.requireNonNull(failureAt, "failureAt");
        if (!failureAt.isAfter(onset)) {
            throw new IllegalArgumentException("an episode fails after its onset: " + onset + " .. " + failureAt);
        }
    }

    /** The degradation level at {@code at}: 0 before the onset, {@code severity * p^exponent} up to the failure. */
    public double level(final Instant at) {
        if (at.isBefore(onset)) {
            return 0;
        }
        final double window = Duration.between(onset, failureAt).toNanos();
        final double progress = Math.min(1, Duration.between(onset, at).toNanos() / window);
        return severity * Math.pow(progress, exponent);
    }

    /** True from the onset on. */
    public boolean started(final Instant at) {
        return !at.isBefore(onset);
    }
}
