package io.plantmesh.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead journal with group commit.
 * <p>
 * Appenders (the command executor, under the store's write lock) only copy framed records into an in-memory
 * buffer and advance the appended position. One syncer thread swaps that buffer out, writes it, forces it
 * ({@code FileChannel.force}) and then advances the durable position, completing every reply that waited for
 * a position up to it: all commands that arrived during one force share the next one.
 * Positions are byte counts since this process opened the journal; they are never persisted.
 * <p>
 * A generation switch ({@link #rotate}) marks a position in the append stream: the syncer writes everything before
 * it to the old file, forces that file (always, also with fsync off, so the old file is complete on disk before the
 * new one holds a byte), then continues in the new file. The caller never waits for the disk.
 */
final class Journal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final int INITIAL_BUFFER_BYTES = 1 << 16;
    private static final int RETAINED_BUFFER_BYTES = 8 << 20;

    /** Called once the position a reply depends on is durable, or with the failure that prevents it. */
    interface DurabilityCallback {
        void done(IOException failure);
    }

    private record Waiter(long position, long sequence, DurabilityCallback callback) {
    }

    /** A pending generation switch at {@code bufferOffset} of the pending buffer. */
    private record Rotation(FileChannel channel, long generation, int bufferOffset) {
    }

    private final boolean fsync;
    private final long sizeThresholdBytes;
    /** Size of the newest snapshot: the journal may grow to this before the next one (see {@link #threshold()}). */
    private volatile long snapshotBytes;
    private final Runnable onSizeThreshold;

    private final Object appendLock = new Object();
    private RecordFraming.FrameBuffer pending = new RecordFraming.FrameBuffer(INITIAL_BUFFER_BYTES);
    private RecordFraming.FrameBuffer spare = new RecordFraming.FrameBuffer(INITIAL_BUFFER_BYTES);
    private volatile long appendedPosition;
    private boolean closing;
    /** Guarded by appendLock: the switch the syncer has not done yet, and the generation appends now go to. */
    private Rotation rotation;
    private long appendGeneration;

    private final Object ioLock = new Object();
    private FileChannel channel;
    private long generation;
    /** The generation the syncer writes to; every earlier file is complete, forced and closed. */
    private volatile long writtenGeneration;
    private long fileBytes;

    private final Object waiterLock = new Object();
    private final PriorityQueue<Waiter> waiters = new PriorityQueue<>(
        (a, b) -> a.position != b.position ? Long.compare(a.position, b.position) : Long.compare(a.sequence, b.sequence));
    private long waiterSequence;
    private volatile long durablePosition;
    private volatile IOException failure;

    private final Thread syncer;

    /** Group-commit statistics, read by diagnostics only. */
    private volatile long commits;
    private volatile long committedBytes;
    private volatile long commitNanos;

    /**
     * @param channel          open for writing, positioned at the end of the intact records
     * @param onSizeThreshold  run on the syncer thread whenever the file has reached the threshold; must not block
     */
    Journal(FileChannel channel, long generation, boolean fsync, long sizeThresholdBytes, Runnable onSizeThreshold) throws IOException {
        this.channel = channel;
        this.generation = generation;
        this.appendGeneration = generation;
        this.writtenGeneration = generation;
        this.fileBytes = channel.position();
        this.fsync = fsync;
        this.sizeThresholdBytes = sizeThresholdBytes;
        this.onSizeThreshold = onSizeThreshold;
        this.syncer = new Thread(this::syncLoop, "embedded-store-journal-sync");
        this.syncer.setDaemon(true);
        this.syncer.start();
    }

    void append(JournalRecord record) {
        byte[] payload = record.encode();
        synchronized (appendLock) {
            if (closing) {
                throw new IllegalStateException("journal is closed");
            }
            pending.append(payload);
            appendedPosition += RecordFraming.HEADER_BYTES + payload.length;
            appendLock.notify();
        }
    }

    /** e.g. "1200 group commits, 3.5 KB and 0.19 ms each". */
    String statistics() {
        long count = Math.max(1, commits);
        return String.format("%d group commits, %.1f KB and %.3f ms each", commits,
            committedBytes / 1024.0 / count, commitNanos / 1e6 / count);
    }

    long appendedPosition() {
        return appendedPosition;
    }

    long durablePosition() {
        return durablePosition;
    }

    IOException failure() {
        return failure;
    }

    /** The generation that records appended now belong to (the syncer may still be writing the previous one). */
    long generation() {
        synchronized (appendLock) {
            return appendGeneration;
        }
    }

    long fileBytes() {
        synchronized (ioLock) {
            return fileBytes;
        }
    }

    boolean isOverThreshold() {
        return fileBytes() >= threshold();
    }

    /**
     * The journal size that asks for a snapshot: the configured threshold, or the newest snapshot's size if that is
     * larger. A snapshot rewrites the whole store, so with a fixed threshold its cost per journal byte grows with the
     * store (a 600 MB store re-written every 64 MB of writes is ten bytes written per byte journaled); letting the
     * journal grow as large as the last snapshot keeps that cost at most one byte per byte journaled, and a restart
     * still replays at most about a snapshot's worth of journal.
     */
    long threshold() {
        return Math.max(sizeThresholdBytes, snapshotBytes);
    }

    /** Notes the size of the snapshot the current generation starts from (after recovery, after each snapshot). */
    void snapshotWritten(long bytes) {
        snapshotBytes = Math.max(0, bytes);
    }

    /** Runs the callback once everything appended up to {@code position} is durable (inline if it already is). */
    void whenDurable(long position, DurabilityCallback callback) {
        IOException failed = failure;
        if (failed != null) {
            callback.done(failed);
            return;
        }
        if (durablePosition >= position) {
            callback.done(null);
            return;
        }
        boolean alreadyDurable;
        synchronized (waiterLock) {
            alreadyDurable = durablePosition >= position;
            if (!alreadyDurable && failure == null) {
                waiters.add(new Waiter(position, waiterSequence++, callback));
                return;
            }
        }
        callback.done(alreadyDurable ? null : failure);
    }

    /** Blocks until everything appended so far is durable. */
    void awaitDurable() throws IOException {
        awaitDurable(appendedPosition);
    }

    /** Blocks until everything appended up to {@code target} is durable. */
    void awaitDurable(long target) throws IOException {
        awaitUntil(() -> durablePosition >= target);
    }

    /**
     * Blocks until the syncer has switched to {@code generation}: every record appended before that
     * {@link #rotate} is then durable in an earlier file, which is closed.
     */
    void awaitSwitch(long generation) throws IOException {
        awaitUntil(() -> writtenGeneration >= generation);
    }

    private void awaitUntil(java.util.function.BooleanSupplier done) throws IOException {
        synchronized (waiterLock) {
            while (!done.getAsBoolean() && failure == null) {
                try {
                    waiterLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the journal", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Switches to a new generation at the current position: every record appended before this call goes to the old
     * file, every later one to {@code newChannel}. Returns at once with that position; the syncer does the switch
     * (see the class comment); {@link #awaitSwitch} waits for it.
     * The caller holds the store's write lock, so no command is half-way through its appends.
     */
    long rotate(FileChannel newChannel, long newGeneration) throws IOException {
        synchronized (appendLock) {
            if (closing) {
                throw new IOException("journal is closed");
            }
            if (failure != null) {
                throw failure;
            }
            if (rotation != null) {
                throw new IllegalStateException("journal generation " + rotation.generation + " is still being switched to");
            }
            rotation = new Rotation(newChannel, newGeneration, pending.size());
            appendGeneration = newGeneration;
            appendLock.notify();
            return appendedPosition;
        }
    }

    private void syncLoop() {
        while (true) {
            RecordFraming.FrameBuffer batch;
            long target;
            Rotation switching;
            synchronized (appendLock) {
                while (pending.isEmpty() && rotation == null && !closing) {
                    try {
                        appendLock.wait();
                    } catch (InterruptedException e) {
                        // closing is signalled through the flag, never through interrupts
                    }
                }
                if (pending.isEmpty() && rotation == null) {
                    return;
                }
                batch = pending;
                pending = spare;
                spare = batch;
                target = appendedPosition;
                switching = rotation;
                rotation = null;
            }
            boolean overThreshold = false;
            if (failure == null) {
                try {
                    synchronized (ioLock) {
                        long started = System.nanoTime();
                        int from = 0;
                        if (switching != null) {
                            from = switching.bufferOffset;
                            batch.writeTo(channel, 0, from);
                            channel.force(false);
                            FileChannel old = channel;
                            channel = switching.channel;
                            generation = switching.generation;
                            writtenGeneration = generation;
                            fileBytes = channel.position();
                            switching = null;
                            closeQuietly(old);
                        }
                        batch.writeTo(channel, from, batch.size());
                        if (fsync) {
                            channel.force(false);
                        }
                        commitNanos += System.nanoTime() - started;
                        commits++;
                        committedBytes += batch.size();
                        fileBytes += batch.size() - from;
                        overThreshold = fileBytes >= threshold();
                    }
                } catch (IOException | RuntimeException e) {
                    fail(e instanceof IOException io ? io : new IOException(e));
                }
            }
            if (switching != null) {
                // failed before the switch: the new file stays empty, nothing more will be written
                closeQuietly(switching.channel);
            }
            synchronized (appendLock) {
                // the buffer may have grown for one huge batch; do not keep many megabytes around
                if (batch.size() > RETAINED_BUFFER_BYTES) {
                    spare = new RecordFraming.FrameBuffer(INITIAL_BUFFER_BYTES);
                } else {
                    batch.clear();
                }
            }
            if (failure == null) {
                markDurable(target);
            }
            if (overThreshold) {
                onSizeThreshold.run();
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("closing a journal file failed (it was already forced)", e);
        }
    }

    private void markDurable(long target) {
        List<Waiter> done = new ArrayList<>();
        synchronized (waiterLock) {
            durablePosition = target;
            while (!waiters.isEmpty() && waiters.peek().position <= target) {
                done.add(waiters.poll());
            }
            waiterLock.notifyAll();
        }
        for (Waiter waiter : done) {
            complete(waiter, null);
        }
    }

    private void fail(IOException e) {
        log.error("Embedded store journal write failed; no further write is acknowledged until restart", e);
        failWaiters(e);
    }

    private void failWaiters(IOException e) {
        List<Waiter> failed;
        synchronized (waiterLock) {
            failure = e;
            failed = new ArrayList<>(waiters);
            waiters.clear();
            waiterLock.notifyAll();
        }
        for (Waiter waiter : failed) {
            complete(waiter, e);
        }
    }

    private static void complete(Waiter waiter, IOException failure) {
        try {
            waiter.callback.done(failure);
        } catch (RuntimeException e) {
            log.warn("durability callback failed", e);
        }
    }

    /** Writes and forces what is pending, stops the syncer and closes the file. Idempotent. */
    @Override
    public void close() {
        synchronized (appendLock) {
            if (closing) {
                return;
            }
            closing = true;
            appendLock.notifyAll();
        }
        try {
            syncer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (ioLock) {
            try {
                if (failure == null && channel.isOpen()) {
                    channel.force(true);
                }
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("failed to close journal generation " + generation, e);
            }
        }
        // anything still waiting was never written: it must not be acknowledged
        failWaiters(failure != null ? failure : new IOException("embedded store closed"));
    }
}
