package io.plantmesh.devices.gateway.edge;

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
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Keeps a machine's part counters monotonic on its twin when the PLC's counter resets (power cycle without retained
 * memory, program download, counter wrap): a value below the last one read is taken as a reset, the last value is
 * added to the counter's offset, and the twin gets {@code raw + offset} from then on. Samples reach the gateway in
 * order from one OPC-UA subscription, so a lower value really is a reset here (unlike further downstream, where
 * at-least-once delivery can replay an older value).
 * <p>
 * The last raw value and the offset of every counter are kept in a small JSON file (written as temp + rename, at most
 * once a second and on close), so a reset while the gateway was stopped is seen too. Pure apart from that file;
 * single-threaded (the gateway's pipeline thread).
 */
public final class CounterContinuity {

    private static final Logger LOG = LoggerFactory.getLogger(CounterContinuity.class);
    private static final long SAVE_INTERVAL_MILLIS = 1_000;

    private final Path file;
    private final Map<String, long[]> counters = new LinkedHashMap<>();
    private boolean dirty;
    private long savedAt = Long.MIN_VALUE;
    private long resets;

    private CounterContinuity(final Path file) {
        this.file = file;
    }

    /**
     * Loads the counters kept in {@code file} (none if it does not exist; an unreadable file is logged and ignored:
     * counters then start again from what the machines report).
     */
    public static CounterContinuity open(final Path file) {
        final CounterContinuity continuity = new CounterContinuity(file);
        if (file != null && Files.exists(file)) {
            try {
                final JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
                json.forEach(entry -> {
                    final JsonObject counter = (JsonObject) entry.getValue();
                    continuity.counters.put(entry.getKey(), new long[] {counter.getLong("lastRaw"),
                            counter.getLong("offset")});
                });
            } catch (final IOException | DecodeException | ClassCastException | NullPointerException e) {
                LOG.warn("Counter offsets {} cannot be read ({}); counters continue from what the machines report. "
                        + "Delete the file to silence this.", file, e.toString());
                continuity.counters.clear();
            }
        }
        return continuity;
    }

    /** In memory only (tests). */
    public static CounterContinuity inMemory() {
        return new CounterContinuity(null);
    }

    /**
     * The monotonic value of a counter for a raw value read from the machine.
     *
     * @param counter e.g. {@code plant1:machine-1-03/counters/good}
     */
    public long continuous(final String counter, final long raw) {
        final long[] state = counters.get(counter);
        if (state == null) {
            counters.put(counter, new long[] {raw, 0});
            dirty = true;
            return raw;
        }
        if (raw < state[0]) {
            state[1] += state[0];
            resets++;
            LOG.warn("Counter {} was reset by the machine ({} -> {}); its twin continues at {} (offset {})", counter,
                    state[0], raw, raw + state[1], state[1]);
        }
        if (raw != state[0]) {
            state[0] = raw;
            dirty = true;
        }
        return raw + state[1];
    }

    /** Resets seen since start. */
    public long resets() {
        return resets;
    }

    /** Writes the file if something changed and the last write is at least a second ago (or {@code force}). */
    public void save(final long now, final boolean force) {
        final boolean recent = savedAt != Long.MIN_VALUE && now - savedAt < SAVE_INTERVAL_MILLIS;
        if (file == null || !dirty || (!force && recent)) {
            return;
        }
        final JsonObject json = new JsonObject();
        counters.forEach((counter, state) -> json.put(counter, new JsonObject().put("lastRaw", state[0])
                .put("offset", state[1])));
        try {
            Files.createDirectories(file.getParent());
            final Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                final ByteBuffer bytes = ByteBuffer.wrap(json.encode().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            dirty = false;
            savedAt = now;
        } catch (final IOException e) {
            throw new UncheckedIOException("Could not write the counter offsets " + file + ": " + e
                    + "; check the disk (free space, permissions)", e);
        }
    }
}
