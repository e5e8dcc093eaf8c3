package io.plantmesh.store.embedded;

import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the journaled backend reports each state change, in execution order.
 * Before a journal is attached (while a snapshot and the journal are being replayed) changes are not recorded:
 * they come from those files.
 */
final class MutationRecorder {

    private static final Logger log = LoggerFactory.getLogger(MutationRecorder.class);

    private final ReentrantLock writeLock;
    private final ThreadLocal<int[]> suppressionDepth = ThreadLocal.withInitial(() -> new int[1]);
    private volatile Journal journal;
    private volatile boolean warnedAboutUnlockedChange;

    MutationRecorder(ReentrantLock writeLock) {
        this.writeLock = writeLock;
    }

    void attach(Journal journal) {
        this.journal = journal;
    }

    void record(JournalRecord record) {
        Journal target = journal;
        if (target == null || suppressionDepth.get()[0] > 0) {
            return;
        }
        boolean onWritePath = writeLock.isHeldByCurrentThread();
        if (!onWritePath && !warnedAboutUnlockedChange) {
            // still journaled, but its order relative to concurrent writers is only per collection
            warnedAboutUnlockedChange = true;
            log.warn("state change outside the write path (please report): {}", record.type());
        }
        target.append(record);
    }

    /**
     * Runs a compound change (drop a collection, drop a database, rename) whose parts must not be journaled
     * one by one: the caller journals the whole change afterwards.
     */
    void withoutRecording(Runnable change) {
        int[] depth = suppressionDepth.get();
        depth[0]++;
        try {
            change.run();
        } finally {
            depth[0]--;
        }
    }
}
