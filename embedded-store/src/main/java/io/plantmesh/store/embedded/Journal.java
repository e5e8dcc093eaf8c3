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

    private final boolean fsync;
    private final long sizeThresholdBytes;
    private final Runnable onSizeThreshold;

    private final Object appendLock = new Object();
    private RecordFraming.FrameBuffer pending = new RecordFraming.FrameBuffer(INITIAL_BUFFER_BYTES);
    private RecordFraming.FrameBuffer spare = new RecordFraming.FrameBuffer(INITIAL_BUFFER_BYTES);
    private volatile long appendedPosition;
    private boolean closing;

    private final Object ioLock = new Object();
    private FileChannel channel;
    private long generation;
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

    long generation() {
        synchronized (ioLock) {
            return generation;
        }
    }

    long fileBytes() {
        synchronized (ioLock) {
            return fileBytes;
        }
    }

    boolean isOverThreshold() {
        return fileBytes() >= sizeThresholdBytes;
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
        long target = appendedPosition;
        synchronized (waiterLock) {
            while (durablePosition < target && failure == null) {
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
     * Continues in a new file. The caller guarantees that nothing is appended concurrently and that
     * {@link #awaitDurable()} returned after the last append, so the old file is complete.
     */
    void switchTo(FileChannel newChannel, long newGeneration) throws IOException {
        FileChannel old;
        synchronized (ioLock) {
            old = channel;
            channel = newChannel;
            generation = newGeneration;
            fileBytes = newChannel.position();
        }
        old.close();
    }

    private void syncLoop() {
        while (true) {
            RecordFraming.FrameBuffer batch;
            long target;
            synchronized (appendLock) {
                while (pending.isEmpty() && !closing) {
                    try {
                        appendLock.wait();
                    } catch (InterruptedException e) {
                        // closing is signalled through the flag, never through interrupts
                    }
                }
                if (pending.isEmpty()) {
                    return;
                }
                batch = pending;
                pending = spare;
                spare = batch;
                target = appendedPosition;
            }
            boolean overThreshold = false;
            if (failure == null) {
                try {
                    synchronized (ioLock) {
                        long started = System.nanoTime();
                        batch.writeTo(channel);
                        if (fsync) {
                            channel.force(false);
                        }
                        commitNanos += System.nanoTime() - started;
                        commits++;
                        committedBytes += batch.size();
                        fileBytes += batch.size();
                        overThreshold = fileBytes >= sizeThresholdBytes;
                    }
                } catch (IOException | RuntimeException e) {
                    fail(e instanceof IOException io ? io : new IOException(e));
                }
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
