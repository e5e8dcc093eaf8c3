package io.plantmesh.devices.gateway.mapping;

/**
 * A node's deadband: a new value is reported only when it differs from the last reported one by more than
 * {@code value} (absolute, in the twin unit) or by more than {@code value} percent of the last reported value.
 */
public record DeadbandSpec(Type type, double value) {

    public enum Type {
        NONE,
        ABSOLUTE,
        PERCENT
    }

    public static final DeadbandSpec NONE = new DeadbandSpec(Type.NONE, 0);

    public static DeadbandSpec absolute(final double value) {
        return new DeadbandSpec(Type.ABSOLUTE, value);
    }

    public static DeadbandSpec percent(final double value) {
        return new DeadbandSpec(Type.PERCENT, value);
    }
}
