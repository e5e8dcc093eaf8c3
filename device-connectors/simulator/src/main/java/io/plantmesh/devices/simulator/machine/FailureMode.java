package io.plantmesh.devices.simulator.machine;

import java.util.Objects;

/**
 * One way a machine type breaks down: a stable code (used in the DOWN reason and in the ground-truth fault log) and a
 * sentence for people.
 */
public record FailureMode(String code, String description) {

    public FailureMode {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(description, "description");
    }

    /** The DOWN reason a machine reports, e.g. {@code SPINDLE_BEARING: spindle bearing worn, vibration limit exceeded}. */
    public String reason() {
        return code + ": " + description;
    }
}
