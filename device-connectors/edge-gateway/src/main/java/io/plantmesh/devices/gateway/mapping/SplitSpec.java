package io.plantmesh.devices.gateway.mapping;

import java.util.Objects;

/**
 * Splits a string node's value at the <em>last</em> {@code separator} into two properties of the same feature: the
 * part before goes to the node's own property, the part after to {@code tailProperty}. E.g. the simulator's
 * {@code JobId} {@code plant1:wo-100001/10} → {@code job/workOrder = "plant1:wo-100001"},
 * {@code job/operation = "10"}. Without the separator the whole value is the head and the tail is null; an empty
 * value makes both null.
 */
public record SplitSpec(String separator, String tailProperty) {

    public SplitSpec {
        Objects.requireNonNull(separator, "separator");
        Objects.requireNonNull(tailProperty, "tailProperty");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("separator must not be empty");
        }
    }

    /** The head, or null for a null or empty value. */
    public String head(final String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        final int at = value.lastIndexOf(separator);
        return at < 0 ? value : emptyToNull(value.substring(0, at));
    }

    /** The tail, or null for a null or empty value or one without the separator. */
    public String tail(final String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        final int at = value.lastIndexOf(separator);
        return at < 0 ? null : emptyToNull(value.substring(at + separator.length()));
    }

    private static String emptyToNull(final String s) {
        return s.isEmpty() ? null : s;
    }
}
