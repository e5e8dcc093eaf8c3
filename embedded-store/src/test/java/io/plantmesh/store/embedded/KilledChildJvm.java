package io.plantmesh.store.embedded;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that a crash test kills with SIGKILL, and everything it printed before it died.
 * <p>
 * The child's stdout goes to a file, not to a pipe: {@link Process#destroyForcibly()} on Linux closes the parent's end
 * of the stdout pipe right after sending the signal, so lines still in the pipe — the ones a reader thread had not
 * got to yet, which under load are the child's last acknowledgements — were dropped. A file holds every line
 * whose {@code write} returned before the kill, and it is read only once the child is dead. The child also never
 * waits for a slow reader.
 */
final class KilledChildJvm implements AutoCloseable {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    /** 128 + SIGKILL (9). */
    static final int KILLED_EXIT_VALUE = 137;

    private final Process process;
    private final Path output;
    private final Path log;

    private KilledChildJvm(Process process, Path output, Path log) {
        this.process = process;
        this.output = output;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} in a JVM with this JVM's class path (256 MB heap, C1 only, for quick starts on a busy
     * machine); stdout goes to {@code <name>.out}, stderr to {@code <name>.log} in {@code directory}.
     */
    static KilledChildJvm start(Path directory, String name, Class<?> mainClass, String... arguments) throws IOException {
        Path output = directory.resolve(name + ".out");
        Path log = directory.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            mainClass.getName()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(log.toFile())
            .start();
        return new KilledChildJvm(process, output, log);
    }

    /** Waits until the child has printed a complete line starting with {@code prefix}, and returns that line. */
    String awaitLine(String prefix, Duration atMost) {
        String[] found = new String[1];
        await("child printing a line starting with '" + prefix + "' (stderr in " + log + ")")
            .atMost(atMost)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the child exited with " + process.exitValue()
                        + " before printing '" + prefix + "'; see " + log);
                }
                found[0] = completeLines().stream().filter(line -> line.startsWith(prefix)).findFirst().orElse(null);
                return found[0] != null;
            });
        return found[0];
    }

    /**
     * Kills the child with SIGKILL, waits until it is gone and returns every complete line it printed. A last line
     * without its newline was being written when the signal came; it is left out, like a torn journal tail.
     */
    List<String> killAndReadOutput() throws IOException, InterruptedException {
        process.destroyForcibly();
        boolean exited = process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!exited) {
            throw new IllegalStateException("the child (pid " + process.pid() + ") was sent SIGKILL but did not exit within "
                + EXIT_TIMEOUT.toSeconds() + " s; kill it by that pid");
        }
        if (process.exitValue() != KILLED_EXIT_VALUE) {
            throw new IllegalStateException("the child exited with " + process.exitValue() + " before it was killed; see " + log);
        }
        return completeLines();
    }

    Path log() {
        return log;
    }

    /** Kills the child if it still runs (a test that failed before {@link #killAndReadOutput}); idempotent. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Deletes the output and log files (after a passing run; a failing one keeps them for inspection). */
    void deleteFiles() throws IOException {
        Files.deleteIfExists(output);
        Files.deleteIfExists(log);
    }

    private List<String> completeLines() throws IOException {
        String text = Files.readString(output, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }
}
