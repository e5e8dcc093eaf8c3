package io.plantmesh.devices.gateway.mapping;

/** Aggregation of a numeric node over tumbling time windows aligned to the epoch ({@code windowMillis} wide). */
public record AggregationSpec(Function function, long windowMillis) {

    public enum Function {
        NONE,
        AVG,
        MIN,
        MAX
    }

    public static final AggregationSpec NONE = new AggregationSpec(Function.NONE, 0);

    public boolean enabled() {
        return function != Function.NONE;
    }
}
