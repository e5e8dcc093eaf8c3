package io.plantmesh.identity.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The tail of a Keycloak log file, for error messages. */
final class KeycloakLog {

    private KeycloakLog() {
    }

    /** The last {@code lines} lines, joined by " | ", or a note that the log cannot be read. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return last.isEmpty() ? "(the log " + log + " is empty)" : String.join(" | ", last);
        } catch (IOException e) {
            return "(cannot read the log " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Whether the log says the HTTP port was taken. */
    static boolean portTaken(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.contains("Address already in use") || text.contains("already bound");
        } catch (IOException e) {
            return false;
        }
    }
}
