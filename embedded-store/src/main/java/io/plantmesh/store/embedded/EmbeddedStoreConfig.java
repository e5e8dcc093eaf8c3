package io.plantmesh.store.embedded;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Configuration of an {@link EmbeddedMongoServer}.
 *
 * @param dataDir                directory holding the lock file, snapshots and journals; created if missing
 * @param host                   address to bind, e.g. {@code 127.0.0.1}
 * @param port                   TCP port, {@code 0} picks a free one
 * @param snapshotThresholdBytes journal size after which a snapshot is written and the journal truncated; once the
 *                               newest snapshot is larger, the journal grows to that snapshot's size first
 * @param fsync                  force every group commit to the device; {@code false} survives a process kill
 *                               but not a power loss
 */
public record EmbeddedStoreConfig(Path dataDir, String host, int port, long snapshotThresholdBytes, boolean fsync) {

    public static final long DEFAULT_SNAPSHOT_THRESHOLD_BYTES = 64L * 1024 * 1024;

    public EmbeddedStoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(host, "host");
        boolean portInRange = port >= 0 && port <= 65535;
        if (!portInRange) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (snapshotThresholdBytes <= 0) {
            throw new IllegalArgumentException("snapshotThresholdBytes must be positive, was " + snapshotThresholdBytes);
        }
    }

    /** Loopback, a random free port, snapshots every 64 MiB of journal, fsync on. */
    public static EmbeddedStoreConfig defaults(Path dataDir) {
        return new EmbeddedStoreConfig(dataDir, "127.0.0.1", 0, DEFAULT_SNAPSHOT_THRESHOLD_BYTES, true);
    }
}
