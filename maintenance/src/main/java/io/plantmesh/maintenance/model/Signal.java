package io.plantmesh.maintenance.model;

/**
 * A machine signal the health model looks at: where it is in the machine twin and its unit. {@link #SCRAP_RATE} is
 * derived from the counters (scrap share of recent parts).
 */
public enum Signal {

    VIBRATION("telemetry", "vibration", "mm/s"),
    TEMPERATURE("telemetry", "temperature", "°C"),
    POWER("telemetry", "power", "kW"),
    SPINDLE_LOAD("telemetry", "spindleLoad", "%"),
    HYDRAULIC_PRESSURE("telemetry", "hydraulicPressure", "bar"),
    CYCLE_TIME("counters", "cycleTimeMs", "ms"),
    SCRAP_RATE("counters", "scrap / (good + scrap)", "");

    private final String feature;
    private final String property;
    private final String unit;

    Signal(final String feature, final String property, final String unit) {
        this.feature = feature;
        this.property = property;
        this.unit = unit;
    }

    /** The machine twin's feature the signal comes from. */
    public String feature() {
        return feature;
    }

    /** The property of that feature (for {@link #SCRAP_RATE} a formula). */
    public String property() {
        return property;
    }

    public String unit() {
        return unit;
    }

    /** A short name for reasons, e.g. {@code vibration}, {@code spindle load}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
