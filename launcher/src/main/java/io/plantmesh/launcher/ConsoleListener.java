package io.plantmesh.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Shows start-up on the console: provisioning progress on one line rewritten in place when stdout is a terminal
 * (every 20 twins otherwise), and the services as an aligned table at the end.
 */
final class ConsoleListener implements LaunchListener {

    private static final int PROGRESS_STEP = 20;
    private static final int MAX_ADDRESS_WIDTH = 48;
    private static final long KEYCLOAK_QUIET_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final List<String[]> services = new ArrayList<>();
    private boolean progressOpen;
    private String lastKeycloakPhase = "";
    private String lastKeycloakStatus = "";
    private long lastKeycloakLine;

    ConsoleListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void serviceUp(String service, String address, String note) {
        services.add(new String[] {service, address, note});
    }

    @Override
    public void provisioningProgress(int done, int total) {
        progress("provisioning demo plant: " + done + "/" + total + " twins", done, total);
    }

    @Override
    public void deviceProgress(int done, int total) {
        progress("registering devices: " + done + "/" + total + " devices", done, total);
    }

    /** On a terminal every update (one line rewritten); otherwise a new phase, or one line per 10 s. */
    @Override
    public synchronized void keycloakProgress(String status) {
        if (terminal) {
            out.print("\r" + status + "    ");
            progressOpen = true;
            out.flush();
            return;
        }
        if (status.equals(lastKeycloakStatus)) {
            return;
        }
        String phase = status.split(" ", 2)[0];
        long now = System.nanoTime();
        boolean newPhase = !phase.equals(lastKeycloakPhase);
        if (newPhase || now - lastKeycloakLine >= KEYCLOAK_QUIET_NANOS || status.endsWith(": 100%")) {
            out.println(status);
            out.flush();
            lastKeycloakPhase = phase;
            lastKeycloakStatus = status;
            lastKeycloakLine = now;
        }
    }

    private synchronized void progress(String line, int done, int total) {
        if (terminal) {
            out.print("\r" + line);
            progressOpen = true;
            if (done == total) {
                endProgress();
            }
        } else if (done % PROGRESS_STEP == 0 || done == total) {
            out.println(line);
        }
        out.flush();
    }

    synchronized void endProgress() {
        if (progressOpen) {
            out.println();
            progressOpen = false;
        }
    }

    synchronized void printServices() {
        // a few long addresses (the token endpoint, ingestion's topics) do not push every note far to the right
        int addressWidth = Math.min(MAX_ADDRESS_WIDTH, services.stream().mapToInt(s -> s[1].length()).max().orElse(0));
        for (String[] s : services) {
            out.printf("  %-10s %-" + addressWidth + "s  (%s)%n", s[0], s[1], s[2]);
        }
    }
}
