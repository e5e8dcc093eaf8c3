package io.plantmesh.store.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable MongoDB-compatible server inside this JVM: clients use the official MongoDB driver over the wire
 * protocol, so a real MongoDB can be swapped in by connection string.
 * <p>
 * Data lives in memory (mongo-java-server's memory backend); every change is appended to a write-ahead journal
 * in the data directory, and a reply is sent only after the journal records it depends on are on disk
 * ({@code FileChannel.force} when {@link EmbeddedStoreConfig#fsync()}), so killing the process loses nothing that
 * was acknowledged. Snapshots bound the journal and thus the restart time.
 */
public final class EmbeddedMongoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoServer.class);

    private final EmbeddedStoreConfig config;
    private final ReentrantLock writeLock = new ReentrantLock();

    private DataDirectory directory;
    private JournaledBackend backend;
    private Journal journal;
    private Snapshotter snapshotter;
    private WireListener listener;
    private InetSocketAddress address;
    private boolean started;
    private boolean closed;

    private EmbeddedMongoServer(EmbeddedStoreConfig config) {
        this.config = config;
    }

    /** Returns an unstarted server; the caller must close it, including after a failed start. */
    public static EmbeddedMongoServer create(EmbeddedStoreConfig config) {
        return new EmbeddedMongoServer(java.util.Objects.requireNonNull(config, "config"));
    }

    /**
     * Locks the data directory, loads the latest snapshot, replays the journal after it, then binds.
     *
     * @return the bound address (the actual port when the configured one is 0)
     * @throws IllegalStateException if the directory is locked by another server, unreadable, or its snapshot is damaged
     */
    public synchronized InetSocketAddress start() {
        if (closed) {
            throw new IllegalStateException("this embedded store was closed; create a new one");
        }
        if (started) {
            throw new IllegalStateException("this embedded store is already started at " + connectionString());
        }
        started = true;
        directory = DataDirectory.open(config.dataDir());
        MutationRecorder recorder = new MutationRecorder(writeLock);
        backend = new JournaledBackend(recorder);
        StoreRecovery.Recovered recovered;
        try {
            recovered = StoreRecovery.recover(directory, backend);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the embedded store in " + directory.root() + ": " + e, e);
        }
        snapshotter = new Snapshotter(directory, backend, writeLock);
        try {
            journal = new Journal(recovered.journalChannel(), recovered.generation(), config.fsync(),
                config.snapshotThresholdBytes(), snapshotter::request);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open the journal in " + directory.root() + ": " + e, e);
        }
        journal.snapshotWritten(recovered.snapshotBytes());
        snapshotter.attach(journal);
        recorder.attach(journal);

        listener = new WireListener();
        address = listener.bind(config.host(), config.port(), new CommandExecutor(backend, writeLock, journal));
        log.info("Embedded MongoDB-compatible store listening at {} (data {}, fsync {})",
            connectionString(), directory.root(), config.fsync());
        if (journal.isOverThreshold()) {
            snapshotter.request();
        }
        return address;
    }

    /** The URL clients connect to, e.g. {@code mongodb://127.0.0.1:27017}; only after {@link #start()}. */
    public synchronized String connectionString() {
        if (address == null) {
            throw new IllegalStateException("the embedded store is not started");
        }
        String host = address.getHostString();
        boolean ipv6 = host.contains(":");
        return "mongodb://" + (ipv6 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The journal size that asks for the next snapshot: the configured threshold or the newest snapshot's size. */
    synchronized long snapshotThresholdBytes() {
        if (journal == null) {
            throw new IllegalStateException("the embedded store is not started");
        }
        return journal.threshold();
    }

    /** Writes a snapshot now and starts a new journal generation (normally triggered by the size threshold). */
    void snapshotNow() throws IOException {
        Snapshotter current;
        synchronized (this) {
            if (snapshotter == null || journal == null || closed) {
                throw new IllegalStateException("the embedded store is not running");
            }
            current = snapshotter;
        }
        current.snapshotNow();
    }

    /** Tests only: runs on the snapshot thread after each chunk it read from a collection (no lock held). */
    synchronized void onSnapshotChunk(Runnable hook) {
        if (snapshotter == null) {
            throw new IllegalStateException("the embedded store is not started");
        }
        snapshotter.afterChunk = hook;
    }

    /** Group-commit statistics for diagnostics. */
    synchronized String journalStatistics() {
        return journal == null ? "not started" : journal.statistics();
    }

    /** Stops accepting clients, forces the journal and releases the directory lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        // order matters: no command may run once the journal is closed
        for (AutoCloseable part : new AutoCloseable[] {listener, snapshotter, journal, backend == null ? null : backend::close, directory}) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the embedded store in " + config.dataDir() + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (address != null) {
            log.info("Embedded store at {} closed", connectionString());
        }
        if (failure != null) {
            throw failure;
        }
    }
}
