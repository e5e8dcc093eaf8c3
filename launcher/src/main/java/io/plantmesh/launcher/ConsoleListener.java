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

    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final List<String[]> services = new ArrayList<>();
    private boolean progressOpen;

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
        int addressWidth = services.stream().mapToInt(s -> s[1].length()).max().orElse(0);
        for (String[] s : services) {
            out.printf("  %-10s %-" + addressWidth + "s  (%s)%n", s[0], s[1], s[2]);
        }
    }
}
