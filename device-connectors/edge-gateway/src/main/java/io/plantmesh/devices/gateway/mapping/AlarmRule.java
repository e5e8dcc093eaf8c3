package io.plantmesh.devices.gateway.mapping;

/**
 * A threshold alarm on a numeric node, in the twin unit: warning and/or critical level, crossed when the value goes
 * beyond the threshold ({@code ABOVE}: greater than, {@code BELOW}: less than) and cleared only once it is back by
 * more than {@code hysteresis}.
 *
 * @param warning null if the rule has no warning level
 * @param critical null if the rule has no critical level
 */
public record AlarmRule(String code, Direction direction, Double warning, Double critical, double hysteresis) {

    public enum Direction {
        ABOVE,
        BELOW
    }
}
