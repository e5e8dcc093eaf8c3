package io.plantmesh.devices.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The simulator's state file, {@code <dir>/machines.json}: one JSON object with the plant time it was saved at and
 * every machine's {@link io.plantmesh.devices.simulator.machine.SimulatedMachine#saveState() saved state} by thing id.
 * Written atomically: the new content goes to {@code machines.json.tmp}, is forced to disk and then renamed over the
 * old file, so a crash leaves either the old or the new state, never a torn one.
 */
public final class SimulatorState {

    /** Name of the state file in the state directory. */
    public static final String FILE_NAME = "machines.json";
    /** Version of the file's layout. */
    public static final int FORMAT = 1;

    private SimulatorState() {
    }

    /**
     * Reads the saved state; empty if there is none yet.
     *
     * @throws IllegalStateException if the file exists but cannot be read or is not a state file; the message says
     * how to start over
     */
    public static Optional<JsonObject> load(final Path directory) {
        final Path file = directory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            final JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
            final int format = json.getInteger("format", -1);
            if (format != FORMAT || json.getJsonObject("machines") == null) {
                throw new IllegalStateException(unreadable(file, "format " + format + " without 'machines', expected "
                        + "format " + FORMAT));
            }
            return Optional.of(json);
        } catch (final IOException e) {
            throw new IllegalStateException(unreadable(file, e.toString()), e);
        } catch (final DecodeException | ClassCastException e) {
            throw new IllegalStateException(unreadable(file, "not JSON: " + e.getMessage()), e);
        }
    }

    /** Replaces the saved state atomically (temp file, force, rename). */
    public static void save(final Path directory, final JsonObject state) {
        try {
            Files.createDirectories(directory);
            final Path file = directory.resolve(FILE_NAME);
            final Path temp = directory.resolve(FILE_NAME + ".tmp");
            final byte[] bytes = state.encodePrettily().getBytes(StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("Could not save the simulator state to " + directory.resolve(FILE_NAME)
                    + ": " + e + "; check that the directory is writable and the disk has space", e);
        }
    }

    private static String unreadable(final Path file, final String why) {
        return "The simulator state " + file.toAbsolutePath() + " cannot be read (" + why + "). Repair or restore "
                + "the file, or delete it to start every machine from zero (their counters then restart at 0, "
                + "which the MES and ERP see as a counter reset).";
    }
}
