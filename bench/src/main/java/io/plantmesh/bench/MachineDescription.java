package io.plantmesh.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark report says about the machine it ran on. */
public final class MachineDescription {

    private MachineDescription() {
    }

    /** The CPU model from /proc/cpuinfo, or "unknown". */
    public static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Physical memory in GiB, or -1 if the JVM cannot tell. */
    public static long totalMemoryGiB() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return Math.round(sun.getTotalMemorySize() / (1024.0 * 1024 * 1024));
        }
        return -1;
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg (the JVM's 1-minute figure and -1s if unreadable). */
    public static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), -1, -1};
        }
    }
}
