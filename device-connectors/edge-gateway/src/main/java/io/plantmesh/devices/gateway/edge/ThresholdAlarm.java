package io.plantmesh.devices.gateway.edge;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.plantmesh.devices.gateway.mapping.AlarmRule;

/**
 * A warning/critical threshold alarm with hysteresis on one numeric value. Levels go up as soon as the value is
 * beyond a threshold (strictly), and down only once it is back by more than the hysteresis: with warning 80,
 * critical 95 and hysteresis 2 (direction above), 81 raises a warning, 96 makes it critical, 94 keeps it critical,
 * 92.9 steps down to warning, 78.5 still holds the warning and 77.9 clears it. Every level change yields one
 * {@link AlarmEvent}. Not thread-safe.
 */
public final class ThresholdAlarm {

    private enum Level {
        NONE,
        WARNING,
        CRITICAL
    }

    private final AlarmRule rule;
    private final String path;
    private final String label;
    private final String unit;
    private final double sign;
    private Level level = Level.NONE;

    /**
     * @param path the twin pointer the alarm is about, e.g. {@code features/telemetry/properties/temperature}
     * @param label what is measured, for messages, e.g. {@code temperature}
     * @param unit the twin unit, for messages; null or empty if none
     */
    public ThresholdAlarm(final AlarmRule rule, final String path, final String label, final String unit) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.path = Objects.requireNonNull(path, "path");
        this.label = Objects.requireNonNull(label, "label");
        this.unit = unit == null || unit.isEmpty() ? "" : " " + unit;
        this.sign = rule.direction() == AlarmRule.Direction.ABOVE ? 1 : -1;
    }

    /** Evaluates a new value; returns the event if the alarm level changed. */
    public Optional<AlarmEvent> evaluate(final double value, final long ts) {
        final Level next = nextLevel(value);
        if (next == level) {
            return Optional.empty();
        }
        final Level previous = level;
        level = next;
        if (next == Level.NONE) {
            final AlarmEvent.Severity cleared = severity(previous);
            final double threshold = threshold(previous);
            return Optional.of(new AlarmEvent(ts, rule.code(), cleared, false, path, value, threshold,
                    label + " " + format(value) + unit + " back " + (sign > 0 ? "below " : "above ")
                            + format(threshold) + unit + ": " + cleared.json() + " cleared"));
        }
        final double threshold = threshold(next);
        return Optional.of(new AlarmEvent(ts, rule.code(), severity(next), true, path, value, threshold,
                label + " " + format(value) + unit + (sign > 0 ? " above " : " below ") + severity(next).json()
                        + " threshold " + format(threshold) + unit));
    }

    /** True while a warning or critical level is active. */
    public boolean active() {
        return level != Level.NONE;
    }

    private Level nextLevel(final double value) {
        final double v = sign * value;
        final Level entering = beyond(v, rule.critical()) ? Level.CRITICAL
                : beyond(v, rule.warning()) ? Level.WARNING
                : Level.NONE;
        if (entering.ordinal() >= level.ordinal()) {
            return entering;
        }
        // going down: a level holds until the value is back by more than the hysteresis
        final boolean holdsCritical = holds(v, rule.critical());
        final boolean holdsWarning = holds(v, rule.warning());
        if (level == Level.CRITICAL && holdsCritical) {
            return Level.CRITICAL;
        }
        return holdsWarning ? Level.WARNING : Level.NONE;
    }

    /** Strictly beyond the threshold: the level is entered. */
    private boolean beyond(final double signedValue, final Double threshold) {
        return threshold != null && signedValue > sign * threshold;
    }

    /** Not yet back by more than the hysteresis: an active level holds. */
    private boolean holds(final double signedValue, final Double threshold) {
        return threshold != null && signedValue >= sign * threshold - rule.hysteresis();
    }

    private double threshold(final Level of) {
        return of == Level.CRITICAL ? rule.critical() : rule.warning();
    }

    private static AlarmEvent.Severity severity(final Level of) {
        return of == Level.CRITICAL ? AlarmEvent.Severity.CRITICAL : AlarmEvent.Severity.WARNING;
    }

    private static String format(final double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
