package io.plantmesh.erp.embedded.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.plantmesh.erp.embedded.odata.ODataError;

/**
 * Read-your-writes for the collections: a posting is answered once its journal entry is durable, and applied to the
 * collections right after, in the background. A read first waits until every posting committed before it started is
 * applied, so a GET after a 201 always sees that posting (and everything before it).
 */
final class ReadBarrier {

    private long committed;
    private long applied;

    /** Postings up to {@code sequence} are committed (durable in the journal). */
    synchronized void committed(long sequence) {
        committed = Math.max(committed, sequence);
    }

    /** Postings up to {@code sequence} are applied to the collections. */
    synchronized void applied(long sequence) {
        applied = Math.max(applied, sequence);
        committed = Math.max(committed, applied);
        notifyAll();
    }

    synchronized long appliedSequence() {
        return applied;
    }

    /**
     * Blocks until everything committed when called is applied, at most {@code max}.
     *
     * @throws ODataError 503 if that takes longer (the database is slow or down)
     */
    void await(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (this) {
            long target = committed;
            while (applied < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ODataError(503, ODataError.UNAVAILABLE, "The ERP's books are still being updated "
                        + "(postings up to " + target + " committed, " + applied + " applied); its database is slow or "
                        + "not reachable. Retry in a moment.", "", null);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ODataError(503, ODataError.UNAVAILABLE, "Interrupted while waiting for the ERP's books; "
                        + "retry.", "", e);
                }
            }
        }
    }
}
