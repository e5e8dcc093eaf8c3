package io.plantmesh.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.bwaldvogel.mongo.bson.Document;

/**
 * Writes a snapshot of the whole state and continues in a fresh journal generation, so restart time stays bounded.
 * <p>
 * Writes pause only for the generation switch, never for the snapshot itself (a fuzzy-looking but exact
 * point-in-time checkpoint):
 * <ol>
 * <li>create {@code journal-N+1.log} and force the directory (no lock held; an empty later journal is harmless);</li>
 * <li>under the write lock, for O(collections) work: capture the catalog, start a copy-on-write capture on every
 *     collection and {@link Journal#rotate switch} the journal at that position P: records before P go to journal N,
 *     records after P to journal N+1;</li>
 * <li>without the lock: read each collection in short chunks under its own monitor, encoding every slot as it
 *     was at P (its pre-image if it changed since), into {@code snapshot-N+1.bson.tmp}; force; rename; force the
 *     directory;</li>
 * <li>wait until the journal has completed and closed journal N, then delete every generation before N+1.</li>
 * </ol>
 * So snapshot N+1 is exactly the state at P and journal N+1 exactly the records after P; replay is unchanged and
 * strict. A crash before the rename finds snapshot N and the unbroken chain of journals N, N+1; after it, snapshot
 * N+1 and journal N+1. A failed snapshot leaves that chain too; the next one deletes all older generations.
 */
final class Snapshotter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);
    private static final int FLUSH_BYTES = 1 << 20;
    /** Per chunk read under a collection's monitor: writers to that collection wait at most this much encoding. */
    private static final int CHUNK_BYTES = 64 << 10;
    private static final int CHUNK_SLOTS = 4096;
    /**
     * A snapshot in the background sleeps this many times as long as each chunk took (so it uses about a quarter of a
     * core): a whole-store rewrite at full speed took a core for 1-1.5 s per 100-200 MB, which on a small machine
     * delayed every write in that time. Explicit snapshots ({@link #snapshotNow()}) and closing run at full speed.
     */
    private static final int PACE_FACTOR = 3;

    private final DataDirectory directory;
    private final JournaledBackend backend;
    private final ReentrantLock writeLock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "embedded-store-snapshot");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean closing;
    private final Object snapshotting = new Object();
    /** Tests only: runs on the snapshot thread after each chunk read from a collection, no lock held. */
    volatile Runnable afterChunk;
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
                            snapshot(true);
                        }
                    } catch (IOException | RuntimeException e) {
                        log.error("Snapshot of {} failed; journal generations accumulate until one succeeds", directory.root(), e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                requested.set(false); // closing
            }
        }
    }

    /** Takes a snapshot now, on the calling thread (one at a time). */
    void snapshotNow() throws IOException {
        snapshot(false);
    }

    /** One snapshot at a time; {@code paced}: the threshold asked for it (see {@link #PACE_FACTOR}). */
    private void snapshot(boolean paced) throws IOException {
        synchronized (snapshotting) {
            takeSnapshot(paced);
        }
    }

    private void takeSnapshot(boolean paced) throws IOException {
        Journal current = journal;
        long started = System.nanoTime();
        long newGeneration = current.generation() + 1;
        Path newJournalPath = directory.journal(newGeneration);
        FileChannel newJournal = FileChannel.open(newJournalPath, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        List<JournaledBackend.DatabaseView> view = null;
        long pauseNanos;
        try {
            directory.sync();
            writeLock.lock();
            try {
                long locked = System.nanoTime();
                view = backend.beginSnapshot();
                current.rotate(newJournal, newGeneration);
                pauseNanos = System.nanoTime() - locked;
            } finally {
                writeLock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            if (view != null) {
                JournaledBackend.endSnapshot(view);
            }
            newJournal.close();
            Files.deleteIfExists(newJournalPath);
            directory.sync();
            throw e;
        }
        log.info("Snapshot generation {} of {} started; writes paused {} us for the journal switch", newGeneration,
            directory.root(), pauseNanos / 1000);

        Path temporary = directory.snapshotInProgress(newGeneration);
        Path snapshot = directory.snapshot(newGeneration);
        long[] counts;
        try {
            counts = writeSnapshot(temporary, view, paced);
        } finally {
            JournaledBackend.endSnapshot(view);
        }
        Files.move(temporary, snapshot, StandardCopyOption.ATOMIC_MOVE);
        directory.sync();
        // journal N is complete on disk and closed before anything of it goes away
        current.awaitSwitch(newGeneration);
        for (long generation : directory.snapshotGenerations().headSet(newGeneration)) {
            Files.deleteIfExists(directory.snapshot(generation));
        }
        for (long generation : directory.journalGenerations().headSet(newGeneration)) {
            Files.deleteIfExists(directory.journal(generation));
        }
        long bytes = Files.size(snapshot);
        current.snapshotWritten(bytes);
        log.info("Snapshot generation {} of {}: {} documents, {} records, {} bytes in {} ms; writes paused {} us; "
            + "next snapshot after {} bytes of journal", newGeneration, directory.root(), counts[1], counts[0], bytes,
            (System.nanoTime() - started) / 1_000_000, pauseNanos / 1000, current.threshold());
    }

    /** Returns {records, documents}. Same records as always: per collection its creation and documents, then indexes. */
    private long[] writeSnapshot(Path temporary, List<JournaledBackend.DatabaseView> view, boolean paced)
        throws IOException {
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            RecordFraming.FrameBuffer buffer = new RecordFraming.FrameBuffer(FLUSH_BYTES + (FLUSH_BYTES >> 2));
            long records = 0;
            long documents = 0;
            List<byte[]> chunk = new ArrayList<>();
            try {
                for (JournaledBackend.DatabaseView database : view) {
                    for (JournaledBackend.CollectionView collection : database.collections()) {
                        buffer.append(JournalRecord.createCollection(collection.db(), collection.name()).encode());
                        records++;
                        boolean more = true;
                        while (more) {
                            long chunkStarted = System.nanoTime();
                            chunk.clear();
                            more = collection.collection().readCaptured(collection.capture(), collection.db(),
                                collection.name(), CHUNK_BYTES, CHUNK_SLOTS, chunk);
                            for (byte[] payload : chunk) {
                                buffer.append(payload);
                            }
                            records += chunk.size();
                            documents += chunk.size();
                            if (buffer.size() >= FLUSH_BYTES) {
                                flush(buffer, out);
                            }
                            Runnable hook = afterChunk;
                            if (hook != null) {
                                hook.run();
                            }
                            if (paced && !closing) {
                                LockSupport.parkNanos((System.nanoTime() - chunkStarted) * PACE_FACTOR);
                            }
                        }
                    }
                    for (Document indexDescription : database.indexDescriptions()) {
                        buffer.append(JournalRecord.createIndex(database.name(), indexDescription).encode());
                        records++;
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            buffer.append(JournalRecord.snapshotEnd(records).encode());
            flush(buffer, out);
            out.force(true);
            return new long[] {records, documents};
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
        closing = true;
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
