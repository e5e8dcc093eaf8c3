package io.plantmesh.devices.simulator.degradation;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.simulator.machine.MachineListener;

/**
 * Writes the ground truth of degradation, sudden faults and maintenance as JSON lines (one object per event, appended,
 * flushed per line), for an evaluation to read; never to a twin. Register it on machines as a {@link MachineListener}.
 *
 * <pre>
 * {"event":"degradation","machine":"plant1:machine-1-03","type":"CNC_MILL","mode":"BEARING_WEAR",
 *  "failureCode":"SPINDLE_BEARING","onset":"...","failureAt":"...","exponent":2.1,"severity":1.04,
 *  "outcome":"FAILED","at":"..."}
 * {"event":"sudden-fault","machine":"...","type":"PRESS","failureCode":"LIGHT_CURTAIN","at":"..."}
 * {"event":"maintenance","machine":"...","type":"LATHE","at":"...","end":"...","reason":"...","duringEpisode":true}
 * </pre>
 */
public final class GroundTruthFile implements MachineListener, AutoCloseable {

    private final Path file;
    private final BufferedWriter writer;

    private GroundTruthFile(final Path file, final BufferedWriter writer) {
        this.file = file;
        this.writer = writer;
    }

    /**
     * Opens {@code file} for appending (creating it and its directory).
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    public static GroundTruthFile append(final Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            return new GroundTruthFile(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot write the simulator's ground truth to " + file
                    + ": check that the directory is writable", e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void groundTruth(final GroundTruthEvent event) {
        try {
            writer.write(toJson(event).encode());
            writer.newLine();
            writer.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot append to the ground truth file " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot close the ground truth file " + file, e);
        }
    }

    /** One event as the JSON object of a line. */
    public static JsonObject toJson(final GroundTruthEvent event) {
        final JsonObject json = new JsonObject().put("machine", event.machineId());
        if (event instanceof GroundTruthEvent.EpisodeEnded e) {
            final DegradationEpisode episode = e.episode();
            json.put("event", "degradation").put("type", e.type().name()).put("mode", episode.mode().name())
                    .put("failureCode", episode.failure().code()).put("onset", episode.onset().toString())
                    .put("failureAt", episode.failureAt().toString()).put("exponent", episode.exponent())
                    .put("severity", episode.severity()).put("outcome", e.outcome().name());
        } else if (event instanceof GroundTruthEvent.SuddenFault s) {
            json.put("event", "sudden-fault").put("type", s.type().name()).put("failureCode", s.failure().code());
        } else if (event instanceof GroundTruthEvent.Maintenance m) {
            json.put("event", "maintenance").put("type", m.type().name()).put("end", m.end().toString())
                    .put("reason", m.reason()).put("duringEpisode", m.duringEpisode());
        }
        return json.put("at", event.at().toString());
    }

    /** Reads every line of a ground truth file as JSON objects, in order. */
    public static List<JsonObject> read(final Path file) {
        try {
            final List<JsonObject> events = new ArrayList<>();
            for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    events.add(new JsonObject(line));
                }
            }
            return events;
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot read the ground truth file " + file, e);
        }
    }
}
