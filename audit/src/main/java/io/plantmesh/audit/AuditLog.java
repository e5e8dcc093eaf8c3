package io.plantmesh.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.MongoException;

/**
 * Appends {@link AuditEntry}s to the hash chain in MongoDB, asynchronously: {@link #append} only puts the entry in a
 * bounded queue (it never blocks the request that was audited); one writer thread numbers, chains and inserts what is
 * queued, in the order it was queued, many entries per round trip.
 *
 * <ul>
 *   <li><b>Concurrent writers in one process</b>: any thread may append; the single writer thread alone numbers
 *   and chains, so the chain has no gaps or forks.</li>
 *   <li><b>Restarts</b>: {@link #start} continues after the newest stored record.</li>
 *   <li><b>Another process</b> on the same database: the sequence number is the record's {@code _id}, so only one
 *   record can take a number; the loser reads the new newest record and chains its entries after it.</li>
 *   <li><b>Overflow</b>: if the queue is full (MongoDB slower than the requests for a long time, or unreachable), the
 *   entry is dropped and counted ({@link #dropped()}, a warning in the log), and the next record appended is an
 *   {@code audit.overflow} record saying how many were lost, so the loss is in the chain too.</li>
 *   <li><b>MongoDB failures</b>: the batch is retried with growing pauses (what did reach the store is recognised by
 *   its hash and not written twice); entries keep queueing meanwhile, up to the queue's capacity.</li>
 * </ul>
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_BATCH = 500;
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final long OVERFLOW_WARNING_INTERVAL_MS = 10_000;

    private final AuditStore store;
    private final long retention;
    private final BlockingQueue<AuditEntry> queue;
    private final Thread writer;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastOverflowWarning = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closing;
    private volatile long closeStarted;
    private long reportedDrops;
    // writer thread only
    private long prunedThrough;
    private long headSequence;
    private String headHash;

    private AuditLog(final AuditStore store, final int capacity, final long retention) {
        this.store = store;
        this.retention = retention;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::writeLoop, "audit-log-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Reads the newest record and starts the writer thread; keeps every record. The store is closed with the log.
     *
     * @param capacity how many entries may wait for MongoDB before new ones are dropped (and counted)
     */
    public static AuditLog start(final AuditStore store, final int capacity) {
        return start(store, capacity, 0);
    }

    /**
     * Reads the newest record and starts the writer thread. The store is closed with the log.
     *
     * @param capacity how many entries may wait for MongoDB before new ones are dropped (and counted)
     * @param retention how many of the newest records to keep (older ones are removed in steps of a tenth of it, the
     *        chain stays verifiable from the oldest kept record); 0 keeps all
     */
    public static AuditLog start(final AuditStore store, final int capacity, final long retention) {
        if (capacity < 1) {
            throw new IllegalArgumentException("The audit queue capacity must be at least 1, was " + capacity + ".");
        }
        if (retention < 0) {
            throw new IllegalArgumentException("The audit retention must be 0 (keep all) or a number of records, was "
                    + retention + ".");
        }
        final AuditLog log = new AuditLog(store, capacity, retention);
        final Optional<AuditRecord> newest = store.newest();
        log.headSequence = newest.map(AuditRecord::sequence).orElse(0L);
        log.headHash = newest.map(AuditRecord::hash).orElse(AuditRecord.GENESIS);
        log.prunedThrough = store.head().map(AuditStore.Head::prunedThrough).orElse(0L);
        log.writer.start();
        LOG.info("Audit log continues after record {} ({} queued entries at most, {})", log.headSequence, capacity,
                retention == 0 ? "keeps every record" : "keeps the newest " + retention + " records");
        return log;
    }

    /**
     * Queues an entry; never blocks.
     *
     * @return false if it was dropped because the queue is full or the log is closed (it is counted)
     */
    public boolean append(final AuditEntry entry) {
        if (!closing && queue.offer(entry)) {
            accepted.incrementAndGet();
            return true;
        }
        final long lost = dropped.incrementAndGet();
        final long now = System.currentTimeMillis();
        final long last = lastOverflowWarning.get();
        if (now - last >= OVERFLOW_WARNING_INTERVAL_MS && lastOverflowWarning.compareAndSet(last, now)) {
            LOG.warn("Audit entries dropped: {} so far ({}). The audit log records the loss; check MongoDB.", lost,
                    closing ? "the audit log is closed" : "its queue is full");
        }
        return false;
    }

    /** The store the log appends to (for reading; the log closes it). */
    public AuditStore store() {
        return store;
    }

    /** Entries dropped because the queue was full or the log closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Records written to MongoDB (including overflow records). */
    public long written() {
        return written.get();
    }

    /** Entries waiting to be written. */
    public int queued() {
        return queue.size();
    }

    /**
     * Waits until every entry accepted so far is written (or given up at close).
     *
     * @return false if that did not happen within {@code timeout}
     */
    public boolean awaitWritten(final Duration timeout) throws InterruptedException {
        final long target = accepted.get();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (done.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private void writeLoop() {
        final List<AuditEntry> batch = new ArrayList<>(MAX_BATCH);
        while (!closing || !queue.isEmpty()) {
            try {
                final AuditEntry first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                final List<AuditEntry> toWrite = new ArrayList<>(batch.size() + 1);
                final long drops = dropped.get();
                if (drops > reportedDrops) {
                    toWrite.add(overflowEntry(drops - reportedDrops));
                }
                toWrite.addAll(batch);
                if (writeWithRetries(toWrite)) {
                    reportedDrops = drops;
                }
                pruneIfDue();
                done.addAndGet(batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("The audit log writer failed; {} entries are lost and counted as dropped", batch.size(), e);
                dropped.addAndGet(batch.size());
                done.addAndGet(batch.size());
                batch.clear();
            }
        }
        recordLateDrops();
    }

    /** At close: entries dropped since the last record written are recorded too, if MongoDB takes it. */
    private void recordLateDrops() {
        final long drops = dropped.get();
        if (drops <= reportedDrops) {
            return;
        }
        try {
            final List<AuditRecord> overflow = chain(List.of(overflowEntry(drops - reportedDrops)));
            store.insert(overflow);
            advance(overflow.get(0));
            written.incrementAndGet();
            writeHeadQuietly();
            reportedDrops = drops;
        } catch (MongoException e) {
            LOG.warn("Could not record the last {} dropped audit entries: {}", drops - reportedDrops, e.toString());
        }
    }

    /** Removes the oldest records once there are a tenth more than the retention. */
    private void pruneIfDue() {
        final long slack = Math.max(1, retention / 10);
        if (retention == 0 || headSequence - prunedThrough <= retention + slack) {
            return;
        }
        final long through = headSequence - retention;
        try {
            final Optional<AuditRecord> last = store.record(through);
            if (last.isEmpty()) {
                LOG.warn("Audit retention: record {} is missing, nothing removed; run 'plantmesh audit verify'",
                        through);
                prunedThrough = through; // do not try again on every batch
                return;
            }
            store.prune(through, last.get().hash());
            prunedThrough = through;
            LOG.info("Audit retention: removed the records up to {} (keeping the newest {})", through, retention);
        } catch (MongoException | IllegalArgumentException e) {
            LOG.warn("Audit retention: could not remove the records up to {}: {}; tried again later", through,
                    e.toString());
        }
    }

    private static AuditEntry overflowEntry(final long lost) {
        return new AuditEntry(Instant.now(), List.of(), "audit.overflow", "", "audit:/", AuditEntry.FAILED, 503,
                "plantmesh:audit.overflow", null, null, lost + " audit entries were dropped before this record because"
                + " the audit queue was full or MongoDB was unreachable");
    }

    /** Writes the entries after the current head; true when done, false if given up (closing). */
    private boolean writeWithRetries(final List<AuditEntry> entries) throws InterruptedException {
        List<AuditEntry> rest = entries;
        long pauseMs = 50;
        while (true) {
            final List<AuditRecord> records = chain(rest);
            try {
                store.insert(records);
                advance(records.get(records.size() - 1));
                written.addAndGet(records.size());
                writeHeadQuietly();
                return true;
            } catch (MongoException e) {
                final int stored = storedPrefix(records);
                if (stored > 0) {
                    advance(records.get(stored - 1));
                    written.addAndGet(stored);
                    rest = rest.subList(stored, rest.size());
                    if (rest.isEmpty()) {
                        writeHeadQuietly();
                        return true;
                    }
                }
                if (isDuplicateKey(e)) {
                    // another writer took the next numbers: chain after its newest record
                    resync();
                    continue;
                }
                if (closing && System.nanoTime() - closeStarted > CLOSE_TIMEOUT.toNanos()) {
                    LOG.error("The audit log is closing and MongoDB does not take its last {} entries ({}); they are"
                            + " lost and counted as dropped", rest.size(), e.toString());
                    dropped.addAndGet(rest.size());
                    return false;
                }
                LOG.warn("Could not append {} audit records ({}); retrying in {} ms", records.size(), e.toString(),
                        pauseMs);
                Thread.sleep(pauseMs);
                pauseMs = Math.min(pauseMs * 2, MAX_PAUSE.toMillis());
                resyncQuietly();
            }
        }
    }

    private List<AuditRecord> chain(final List<AuditEntry> entries) {
        final List<AuditRecord> records = new ArrayList<>(entries.size());
        long sequence = headSequence;
        String previous = headHash;
        for (final AuditEntry entry : entries) {
            sequence++;
            final AuditRecord record = AuditRecord.chain(sequence, entry, previous);
            records.add(record);
            previous = record.hash();
        }
        return records;
    }

    private void advance(final AuditRecord newest) {
        headSequence = newest.sequence();
        headHash = newest.hash();
    }

    /** How many of the records, from the first, are stored exactly as chained here. */
    private int storedPrefix(final List<AuditRecord> records) {
        int n = 0;
        try {
            for (final AuditRecord record : records) {
                final Optional<AuditRecord> stored = store.record(record.sequence());
                if (stored.isEmpty() || !stored.get().hash().equals(record.hash())) {
                    break;
                }
                n++;
            }
        } catch (MongoException | IllegalArgumentException e) {
            LOG.debug("Could not check which audit records were stored: {}", e.toString());
        }
        return n;
    }

    private void resync() {
        final Optional<AuditRecord> newest = store.newest();
        if (newest.isPresent() && newest.get().sequence() >= headSequence) {
            advance(newest.get());
        }
    }

    private void resyncQuietly() {
        try {
            resync();
        } catch (MongoException | IllegalArgumentException e) {
            LOG.debug("Could not read the newest audit record: {}", e.toString());
        }
    }

    private void writeHeadQuietly() {
        try {
            store.writeHead(headSequence, headHash);
        } catch (MongoException e) {
            LOG.debug("Could not update the audit head document: {}", e.toString());
        }
    }

    private static boolean isDuplicateKey(final MongoException e) {
        return e.getCode() == 11000 || String.valueOf(e.getMessage()).contains("E11000");
    }

    /**
     * Stops taking entries, writes what is queued (for up to 10 s if MongoDB does not take it; what is left then is
     * counted as dropped), and closes the store.
     */
    @Override
    public void close() {
        closeStarted = System.nanoTime();
        closing = true;
        try {
            writer.join(CLOSE_TIMEOUT.toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
        if (dropped.get() > 0) {
            LOG.warn("The audit log dropped {} entries while it ran (each loss is recorded in the chain as an"
                    + " audit.overflow record, except any after the last record written)", dropped.get());
        }
        store.close();
    }
}
