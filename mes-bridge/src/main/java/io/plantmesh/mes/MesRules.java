package io.plantmesh.mes;

import java.time.Duration;
import java.util.Objects;

/**
 * The tunable rules of the MES decisions. All durations are plant time.
 *
 * @param maxQueuePerMachine how many orders (running plus dispatched) a machine holds at most
 * @param defaultCycleTime cycle time per piece when a machine has no {@code idealCycleTimeMs}
 * @param setupTime changeover time planned before each dispatched order
 * @param progressInterval progress of a running order is written at most this often (and at once when the order
 * completes)
 * @param commandRetry a start or stop command that has not taken effect is sent again after this long
 * @param qualityWindow scrap rate window of a running order
 * @param qualityMinPieces pieces the window must hold before the scrap rate is judged
 * @param scrapThreshold scrap share (0..1) above which a running order goes on quality hold
 * @param rebalanceThreshold a queued order moves to another machine when that machine could start it at least this
 * much earlier
 */
public record MesRules(int maxQueuePerMachine, Duration defaultCycleTime, Duration setupTime,
        Duration progressInterval, Duration commandRetry, Duration qualityWindow, int qualityMinPieces,
        double scrapThreshold, Duration rebalanceThreshold) {

    public MesRules {
        Objects.requireNonNull(defaultCycleTime, "defaultCycleTime");
        Objects.requireNonNull(setupTime, "setupTime");
        Objects.requireNonNull(progressInterval, "progressInterval");
        Objects.requireNonNull(commandRetry, "commandRetry");
        Objects.requireNonNull(qualityWindow, "qualityWindow");
        Objects.requireNonNull(rebalanceThreshold, "rebalanceThreshold");
        if (maxQueuePerMachine < 1) {
            throw new IllegalArgumentException("maxQueuePerMachine must be at least 1, was " + maxQueuePerMachine);
        }
        if (!(scrapThreshold > 0 && scrapThreshold <= 1)) {
            throw new IllegalArgumentException("scrapThreshold must be in (0, 1], was " + scrapThreshold);
        }
        if (qualityMinPieces < 1) {
            throw new IllegalArgumentException("qualityMinPieces must be at least 1, was " + qualityMinPieces);
        }
    }

    /** The defaults documented in docs/configuration.md. */
    public static MesRules defaults() {
        return new MesRules(3, Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofSeconds(2),
                Duration.ofSeconds(15), Duration.ofMinutes(15), 20, 0.10, Duration.ofSeconds(60));
    }

    public MesRules withMaxQueuePerMachine(final int value) {
        return new MesRules(value, defaultCycleTime, setupTime, progressInterval, commandRetry, qualityWindow,
                qualityMinPieces, scrapThreshold, rebalanceThreshold);
    }

    public MesRules withQuality(final Duration window, final int minPieces, final double threshold) {
        return new MesRules(maxQueuePerMachine, defaultCycleTime, setupTime, progressInterval, commandRetry, window,
                minPieces, threshold, rebalanceThreshold);
    }

    public MesRules withProgressInterval(final Duration value) {
        return new MesRules(maxQueuePerMachine, defaultCycleTime, setupTime, value, commandRetry, qualityWindow,
                qualityMinPieces, scrapThreshold, rebalanceThreshold);
    }

    public MesRules withCommandRetry(final Duration value) {
        return new MesRules(maxQueuePerMachine, defaultCycleTime, setupTime, progressInterval, value, qualityWindow,
                qualityMinPieces, scrapThreshold, rebalanceThreshold);
    }
}
