package io.plantmesh.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a snapshot of the whole state and continues in a fresh journal generation, so restart time stays bounded.
 * <p>
 * Holds the write lock throughout: writes pause for the duration (reads go on); measured about half a second
 * per 100 MB of data on an idle 2-core machine, more under load.
 * Order of steps, each crash-safe: drain the journal; write {@code snapshot-N+1.bson.tmp}, force it; rename it;
 * force the directory; create {@code journal-N+1.log}; switch; delete generation N.
 * Recovery loads the newest complete snapshot and the journals of its generation or later, so a crash at any
 * step sees either generation N complete or generation N+1 complete.
 */
final class Snapshotter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);
    private static final int FLUSH_BYTES = 1 << 20;

    private final DataDirectory directory;
    private final JournaledBackend backend;
    private final ReentrantLock writeLock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "embedded-store-snapshot");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Journal journal;

    Snapshotter(DataDirectory directory, JournaledBackend backend, ReentrantLock writeLock) {
        this.directory = directory;
        this.backend = backend;
        this.writeLock = writeLock;
    }

    void attach(Journal journal) {
        this.journal = journal;
    }

    /** Asks for a snapshot in the background; many requests while one is pending make one snapshot. */
    void request() {
        if (requested.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    requested.set(false);
                    try {
                        if (journal.isOverThreshold()) {
                            snapshotNow();
                        }
                    } catch (IOException | RuntimeException e) {
                        log.error("Snapshot of {} failed; the journal keeps growing until one succeeds", directory.root(), e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                requested.set(false); // closing
            }
        }
    }

    /** Takes a snapshot now, on the calling thread. */
    void snapshotNow() throws IOException {
        Journal current = journal;
        writeLock.lock();
        try {
            long started = System.nanoTime();
            current.awaitDurable();
            long oldGeneration = current.generation();
            long newGeneration = oldGeneration + 1;
            Path temporary = directory.snapshotInProgress(newGeneration);
            Path snapshot = directory.snapshot(newGeneration);
            long[] counts = writeSnapshot(temporary);
            Files.move(temporary, snapshot, StandardCopyOption.ATOMIC_MOVE);
            directory.sync();
            FileChannel newJournal;
            try {
                newJournal = FileChannel.open(directory.journal(newGeneration), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
                directory.sync();
            } catch (IOException e) {
                // without its journal the new snapshot would hide the writes still going to the old one
                Files.deleteIfExists(snapshot);
                directory.sync();
                throw e;
            }
            current.switchTo(newJournal, newGeneration);
            long pausedMillis = (System.nanoTime() - started) / 1_000_000;
            log.info("Snapshot generation {} of {}: {} documents, {} records, {} bytes; writes paused {} ms",
                newGeneration, directory.root(), counts[1], counts[0], Files.size(snapshot), pausedMillis);
            Files.deleteIfExists(directory.journal(oldGeneration));
            Files.deleteIfExists(directory.snapshot(oldGeneration));
        } finally {
            writeLock.unlock();
        }
    }

    /** Returns {records, documents}. */
    private long[] writeSnapshot(Path temporary) throws IOException {
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            RecordFraming.FrameBuffer buffer = new RecordFraming.FrameBuffer(FLUSH_BYTES + (FLUSH_BYTES >> 2));
            long[] records = {0};
            long documents;
            try {
                documents = backend.dumpState(record -> {
                    buffer.append(record.encode());
                    records[0]++;
                    if (buffer.size() >= FLUSH_BYTES) {
                        flush(buffer, out);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            buffer.append(JournalRecord.snapshotEnd(records[0]).encode());
            flush(buffer, out);
            out.force(true);
            return new long[] {records[0], documents};
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    private static void flush(RecordFraming.FrameBuffer buffer, FileChannel out) {
        try {
            buffer.writeTo(out);
            buffer.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a running snapshot to finish. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("Snapshot of {} still running at close", directory.root());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
