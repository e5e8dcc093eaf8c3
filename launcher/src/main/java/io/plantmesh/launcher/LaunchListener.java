package io.plantmesh.launcher;

/** Told what {@link PlantMeshLauncher#start} is doing, for the console. Every method defaults to doing nothing. */
public interface LaunchListener {

    /** A service is up. @param note what it is, e.g. "Ditto HTTP API v2" */
    default void serviceUp(String service, String address, String note) {
    }

    /** Provisioning the demo plant went on: {@code done} of {@code total} twins checked or created. */
    default void provisioningProgress(int done, int total) {
    }

    /** Registering the shop floor's devices went on: {@code done} of {@code total} devices. */
    default void deviceProgress(int done, int total) {
    }

    /** Preparing or starting the embedded Keycloak went on, e.g. "starting Keycloak: 12 s". */
    default void keycloakProgress(String status) {
    }

    static LaunchListener silent() {
        return new LaunchListener() {
        };
    }
}
