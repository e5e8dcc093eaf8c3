package io.plantmesh.identity.server;

import java.time.Duration;

/** Told how preparing and starting the embedded Keycloak goes on, for a progress display. Every method defaults to doing nothing. */
public interface KeycloakStartupListener {

    /** Unpacking the distribution (first run only): {@code doneBytes} of {@code totalBytes} of the archive read. */
    default void unpacking(long doneBytes, long totalBytes) {
    }

    /** Running Keycloak's one-time {@code kc.sh build} on the unpacked distribution (first run only). */
    default void building() {
    }

    /** Waiting for the server to answer; called about once a second. */
    default void waiting(Duration elapsed) {
    }

    static KeycloakStartupListener silent() {
        return new KeycloakStartupListener() {
        };
    }
}
