package io.plantmesh.launcher.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One scenario run's settings (the options of {@code plantmesh scenario}, see docs/scenario.md).
 *
 * @param modes the modes to run, in order, each on a fresh plant with the same seed
 * @param duration measured wall-clock time per mode (after the warm-up)
 * @param warmUp wall-clock time per mode before measuring (connections, first dispatch)
 * @param ratePerHour device messages per hour the MQTT machines are paced for (their telemetry interval)
 * @param devices simulated machines (the first ones of each line, spread evenly)
 * @param lines production lines (one MES bridge instance each)
 * @param seed seed of the plant, its machines (faults, scrap), and the orders
 * @param timeScale plant seconds per wall second
 * @param mesPoll baseline: how often (plant time) the MES re-reads machine state
 * @param erpBatch baseline: how often (plant time) the ERP receives its batch (postings and stock)
 * @param sampleInterval how often (wall time) consistency is sampled
 * @param mtbf mean time between failures of every machine (plant time)
 * @param mttr mean time to repair (plant time)
 * @param orderWork the seeded orders are sized to about this much plant time on one machine (shorter orders mean
 *     more changeovers, where the baseline's polling costs time)
 */
public record ScenarioSettings(List<ScenarioMode> modes, Duration duration, Duration warmUp, double ratePerHour,
        int devices, int lines, long seed, double timeScale, Duration mesPoll, Duration erpBatch,
        Duration sampleInterval, Duration mtbf, Duration mttr, Duration orderWork) {

    /** The paper's rate: 10,000 device messages per hour. */
    public static final double PAPER_RATE = 10_000;
    public static final int MAX_LINES = 5;
    public static final int MAX_DEVICES = 50;

    public ScenarioSettings {
        modes = List.copyOf(modes);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmUp, "warmUp");
        Objects.requireNonNull(mesPoll, "mesPoll");
        Objects.requireNonNull(erpBatch, "erpBatch");
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        Objects.requireNonNull(mtbf, "mtbf");
        Objects.requireNonNull(mttr, "mttr");
        Objects.requireNonNull(orderWork, "orderWork");
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("--mode names no mode: use mesh, baseline or both");
        }
        if (lines < 1 || lines > MAX_LINES) {
            throw new IllegalArgumentException("--lines must be 1.." + MAX_LINES + " (the demo plant's lines), was "
                    + lines);
        }
        if (devices < lines || devices > MAX_DEVICES) {
            throw new IllegalArgumentException("--devices must be at least --lines (" + lines + ") and at most "
                    + MAX_DEVICES + " (the demo plant's machines), was " + devices);
        }
        if (!(ratePerHour > 0)) {
            throw new IllegalArgumentException("--rate must be positive (device messages per hour), was "
                    + ratePerHour);
        }
        if (!(timeScale >= 1)) {
            throw new IllegalArgumentException("--time-scale must be at least 1 (plant seconds per second), was "
                    + timeScale);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, e.g. 10m, was " + duration);
        }
    }

    /**
     * Defaults: both modes, 10 minutes measured after 20 s of warm-up, 10,000 messages/h, 50 machines on 5 lines,
     * seed 42, plant time 60x (10 plant hours), MES poll 60 s and ERP batch 15 min (plant time), a consistency
     * sample every second, MTBF 4 h and MTTR 20 min, orders of about an hour's work.
     */
    public static ScenarioSettings defaults() {
        return new ScenarioSettings(List.of(ScenarioMode.BASELINE, ScenarioMode.MESH), Duration.ofMinutes(10),
                Duration.ofSeconds(20), PAPER_RATE, MAX_DEVICES, MAX_LINES, 42, 60, Duration.ofSeconds(60),
                Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofHours(4), Duration.ofMinutes(20),
                Duration.ofHours(1));
    }

    public ScenarioSettings withModes(final List<ScenarioMode> value) {
        return new ScenarioSettings(value, duration, warmUp, ratePerHour, devices, lines, seed, timeScale, mesPoll,
                erpBatch, sampleInterval, mtbf, mttr, orderWork);
    }

    public ScenarioSettings withDuration(final Duration value) {
        return new ScenarioSettings(modes, value, warmUp, ratePerHour, devices, lines, seed, timeScale, mesPoll,
                erpBatch, sampleInterval, mtbf, mttr, orderWork);
    }

    public ScenarioSettings withWarmUp(final Duration value) {
        return new ScenarioSettings(modes, duration, value, ratePerHour, devices, lines, seed, timeScale, mesPoll,
                erpBatch, sampleInterval, mtbf, mttr, orderWork);
    }

    public ScenarioSettings withRate(final double value) {
        return new ScenarioSettings(modes, duration, warmUp, value, devices, lines, seed, timeScale, mesPoll,
                erpBatch, sampleInterval, mtbf, mttr, orderWork);
    }

    public ScenarioSettings withPlant(final int deviceCount, final int lineCount) {
        return new ScenarioSettings(modes, duration, warmUp, ratePerHour, deviceCount, lineCount, seed, timeScale,
                mesPoll, erpBatch, sampleInterval, mtbf, mttr, orderWork);
    }

    public ScenarioSettings withSeed(final long value) {
        return new ScenarioSettings(modes, duration, warmUp, ratePerHour, devices, lines, value, timeScale, mesPoll,
                erpBatch, sampleInterval, mtbf, mttr, orderWork);
    }

    public ScenarioSettings withTimeScale(final double value) {
        return new ScenarioSettings(modes, duration, warmUp, ratePerHour, devices, lines, seed, value, mesPoll,
                erpBatch, sampleInterval, mtbf, mttr, orderWork);
    }

    public ScenarioSettings withBaseline(final Duration poll, final Duration batch) {
        return new ScenarioSettings(modes, duration, warmUp, ratePerHour, devices, lines, seed, timeScale, poll,
                batch, sampleInterval, mtbf, mttr, orderWork);
    }

    public ScenarioSettings withSampleInterval(final Duration value) {
        return new ScenarioSettings(modes, duration, warmUp, ratePerHour, devices, lines, seed, timeScale, mesPoll,
                erpBatch, value, mtbf, mttr, orderWork);
    }

    public ScenarioSettings withFaults(final Duration meanTimeBetween, final Duration meanTimeToRepair) {
        return new ScenarioSettings(modes, duration, warmUp, ratePerHour, devices, lines, seed, timeScale, mesPoll,
                erpBatch, sampleInterval, meanTimeBetween, meanTimeToRepair, orderWork);
    }

    public ScenarioSettings withOrderWork(final Duration value) {
        return new ScenarioSettings(modes, duration, warmUp, ratePerHour, devices, lines, seed, timeScale, mesPoll,
                erpBatch, sampleInterval, mtbf, mttr, value);
    }

    /** A plant-time interval as wall-clock time at this time scale (at least 1 ms). */
    public Duration wall(final Duration plant) {
        return Duration.ofMillis(Math.max(1, Math.round(plant.toMillis() / timeScale)));
    }
}
