package io.plantmesh.mes.oee;

import java.time.Duration;

/**
 * Configuration of OEE. A null argument takes the default.
 *
 * @param window the rolling window of the {@code oee} and {@code kpi} figures; default 1 h
 * @param shifts the shift calendar of the per-shift figures; default {@link ShiftCalendar#defaults()}
 * @param defaultIdealCycleTime the ideal cycle time of a machine whose twin has none; default 60 s
 * @param retention how long history is kept; default the longer of the window and 24 h. At least the window and the
 * longest shift, since both figures need history back to their start.
 */
public record OeeConfig(Duration window, ShiftCalendar shifts, Duration defaultIdealCycleTime, Duration retention) {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final Duration DEFAULT_IDEAL_CYCLE_TIME = Duration.ofSeconds(60);
    public static final Duration MINIMUM_DEFAULT_RETENTION = Duration.ofHours(24);

    public OeeConfig {
        window = window == null ? DEFAULT_WINDOW : window;
        shifts = shifts == null ? ShiftCalendar.defaults() : shifts;
        defaultIdealCycleTime = defaultIdealCycleTime == null ? DEFAULT_IDEAL_CYCLE_TIME : defaultIdealCycleTime;
        retention = retention == null ? max(window, MINIMUM_DEFAULT_RETENTION) : retention;
        requirePositive("OEE window", window);
        requirePositive("default ideal cycle time", defaultIdealCycleTime);
        if (retention.compareTo(window) < 0) {
            throw new IllegalArgumentException("OEE history retention " + retention + " is shorter than the window "
                    + window + ": set it to at least the window, or leave it unset for the default");
        }
        final Duration longestShift = shifts.longestShift();
        if (retention.compareTo(longestShift) < 0) {
            throw new IllegalArgumentException("OEE history retention " + retention + " is shorter than the longest "
                    + "shift " + longestShift + ": set it to at least that, or leave it unset for the default");
        }
    }

    /** Every default: window 1 h, early/late/night shifts in UTC, ideal cycle time 60 s, retention 24 h. */
    public static OeeConfig defaults() {
        return new OeeConfig(null, null, null, null);
    }

    private static void requirePositive(final String what, final Duration value) {
        final boolean positive = !value.isZero() && !value.isNegative();
        if (!positive) {
            throw new IllegalArgumentException(what + " must be positive, not " + value);
        }
    }

    private static Duration max(final Duration a, final Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
