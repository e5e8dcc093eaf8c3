package io.plantmesh.devices.gateway.edge;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Converts a value from the unit a machine reports in to the unit the twin expects (rad/s to rpm, °F to °C, W to kW,
 * in/s to mm/s, ...). Units are looked up in a small table, case-sensitively ({@code mW} is not {@code MW}); each
 * unit belongs to one dimension and is defined by {@code base = value * factor + offset}.
 */
public final class UnitNormalizer {

    private record Unit(String dimension, double factor, double offset) {
    }

    private static final Map<String, Unit> UNITS = new LinkedHashMap<>();

    static {
        // rotational speed, base rpm
        define("rotational speed", 1, 0, "rpm", "1/min", "min-1");
        define("rotational speed", 60.0 / (2 * Math.PI), 0, "rad/s");
        define("rotational speed", 60, 0, "Hz", "rps", "1/s");
        // temperature, base °C
        define("temperature", 1, 0, "°C", "degC", "C");
        define("temperature", 5.0 / 9.0, -32.0 * 5.0 / 9.0, "°F", "degF", "F");
        define("temperature", 1, -273.15, "K");
        // power, base kW
        define("power", 0.001, 0, "W");
        define("power", 1, 0, "kW");
        define("power", 1000, 0, "MW");
        define("power", 0.745699872, 0, "hp");
        // vibration velocity, base mm/s
        define("velocity", 1, 0, "mm/s");
        define("velocity", 25.4, 0, "in/s");
        define("velocity", 1000, 0, "m/s");
        define("velocity", 0.001, 0, "µm/s", "um/s");
        // time, base ms
        define("time", 1, 0, "ms");
        define("time", 1000, 0, "s");
        define("time", 60_000, 0, "min");
        // counts, base pieces
        define("count", 1, 0, "pcs", "count", "1");
    }

    private final String source;
    private final String target;
    private final Unit from;
    private final Unit to;

    private UnitNormalizer(final String source, final String target, final Unit from, final Unit to) {
        this.source = source;
        this.target = target;
        this.from = from;
        this.to = to;
    }

    /**
     * A converter from {@code source} to {@code target}.
     *
     * @throws IllegalArgumentException if a unit is unknown or the two measure different things
     */
    public static UnitNormalizer between(final String source, final String target) {
        final Unit from = lookup(source);
        final Unit to = lookup(target);
        final boolean sameDimension = from.dimension().equals(to.dimension());
        if (!sameDimension) {
            throw new IllegalArgumentException("cannot convert " + from.dimension() + " '" + source + "' to "
                    + to.dimension() + " '" + target + "'");
        }
        return new UnitNormalizer(source, target, from, to);
    }

    /** The identity conversion, for values without a unit. */
    public static UnitNormalizer identity() {
        final Unit none = new Unit("none", 1, 0);
        return new UnitNormalizer("", "", none, none);
    }

    public static boolean isKnown(final String unit) {
        return UNITS.containsKey(unit);
    }

    public static Set<String> knownUnits() {
        return UNITS.keySet();
    }

    public double apply(final double value) {
        final double base = value * from.factor() + from.offset();
        return (base - to.offset()) / to.factor();
    }

    public boolean isIdentity() {
        return from.equals(to);
    }

    @Override
    public String toString() {
        return source + " -> " + target;
    }

    private static Unit lookup(final String unit) {
        final Unit found = UNITS.get(Objects.requireNonNull(unit, "unit"));
        if (found == null) {
            throw new IllegalArgumentException("unknown unit '" + unit + "' (known: " + String.join(", ",
                    UNITS.keySet()) + ")");
        }
        return found;
    }

    private static void define(final String dimension, final double factor, final double offset,
            final String... names) {
        for (final String name : names) {
            UNITS.put(name, new Unit(dimension, factor, offset));
        }
    }
}
