package io.plantmesh.devices.simulator.machine;

/**
 * The answer of a machine to a job command: accepted or not, and a message that says what happened or why not.
 */
public record CommandOutcome(boolean accepted, String message) {

    public static CommandOutcome accepted(final String message) {
        return new CommandOutcome(true, message);
    }

    public static CommandOutcome rejected(final String message) {
        return new CommandOutcome(false, message);
    }
}
