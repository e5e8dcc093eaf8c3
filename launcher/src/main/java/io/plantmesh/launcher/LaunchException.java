package io.plantmesh.launcher;

/** PlantMesh could not start; the message says what was wrong and what to do, ready to show to the user. */
public final class LaunchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
