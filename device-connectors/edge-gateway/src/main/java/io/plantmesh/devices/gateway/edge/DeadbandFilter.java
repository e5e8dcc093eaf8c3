package io.plantmesh.devices.gateway.edge;

import java.util.Objects;

import io.plantmesh.devices.gateway.mapping.DeadbandSpec;

/**
 * Decides whether a new value is worth reporting. Numbers pass when they differ from the last <em>reported</em>
 * value by more than the deadband (absolute: in the twin unit; percent: of the magnitude of the last reported
 * value); other values, and numbers without a deadband, pass when they differ at all. The first value always passes.
 * Not thread-safe: one filter per node and device, used from one thread.
 */
public final class DeadbandFilter {

    private final DeadbandSpec spec;
    private boolean hasReported;
    private Object lastReported;

    public DeadbandFilter(final DeadbandSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    /** Returns true, and remembers the value as reported, if it passes the deadband. */
    public boolean accept(final Object value) {
        final boolean pass = !hasReported || exceeds(value);
        if (pass) {
            hasReported = true;
            lastReported = value;
        }
        return pass;
    }

    /** Forgets the last reported value, so that the next one passes (e.g. after a reconnect). */
    public void reset() {
        hasReported = false;
        lastReported = null;
    }

    private boolean exceeds(final Object value) {
        final boolean bothNumbers = value instanceof Number && lastReported instanceof Number;
        if (!bothNumbers || spec.type() == DeadbandSpec.Type.NONE) {
            return !Objects.equals(value, lastReported);
        }
        final double current = ((Number) value).doubleValue();
        final double last = ((Number) lastReported).doubleValue();
        final double delta = Math.abs(current - last);
        final double band = spec.type() == DeadbandSpec.Type.ABSOLUTE
                ? spec.value()
                : Math.abs(last) * spec.value() / 100.0;
        // a zero band still suppresses exact repeats
        return delta > band;
    }
}
