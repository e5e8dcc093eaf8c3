package io.plantmesh.devices.gateway.buffer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how much the store-and-forward buffer may keep.
 *
 * @param directory the buffer's own directory (created if missing; holds {@code segment-*.log} and
 *                  {@code checkpoint})
 * @param boundBytes the most the segment files may hold; beyond it the oldest telemetry is dropped
 * @param segmentBytes a segment is closed and a new one started once it reaches this size; dropping works a
 *                     segment at a time, so keep it a small fraction of the bound
 * @param syncEveryBytes fsync after this many appended bytes at the latest (the owner also calls
 *                       {@link StoreAndForwardBuffer#sync()} on a timer)
 */
public record BufferConfig(Path directory, long boundBytes, long segmentBytes, long syncEveryBytes) {

    public BufferConfig {
        Objects.requireNonNull(directory, "directory");
        if (boundBytes < 4096) {
            throw new IllegalArgumentException("buffer bound must be >= 4096 bytes, got " + boundBytes);
        }
        if (segmentBytes < 1024 || segmentBytes > boundBytes) {
            throw new IllegalArgumentException("segment size must be in 1024.." + boundBytes + " bytes, got "
                    + segmentBytes);
        }
        if (syncEveryBytes < 1) {
            throw new IllegalArgumentException("syncEveryBytes must be >= 1, got " + syncEveryBytes);
        }
    }

    /** A bound with segments of an eighth of it (at most 4 MiB) and an fsync at least every 256 KiB. */
    public static BufferConfig of(final Path directory, final long boundBytes) {
        final long segment = Math.max(1024, Math.min(4L << 20, boundBytes / 8));
        return new BufferConfig(directory, boundBytes, segment, 256 * 1024);
    }
}
