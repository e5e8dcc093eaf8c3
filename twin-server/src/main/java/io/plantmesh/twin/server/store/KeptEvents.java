package io.plantmesh.twin.server.store;

import java.util.Arrays;

/**
 * The journal entries of one thing that retention still keeps, oldest first, as revision and time pairs: what the
 * store writer needs to delete expired events by exact key without reading the journal. Not thread-safe: owned by the
 * writer thread (and filled before it starts).
 */
final class KeptEvents {

    private long[] revisions = new long[16];
    private long[] times = new long[16];
    private int head;
    private int size;

    void add(long revision, long timeMillis) {
        if (size == revisions.length) {
            grow();
        }
        int at = (head + size) % revisions.length;
        revisions[at] = revision;
        times[at] = timeMillis;
        size++;
    }

    int size() {
        return size;
    }

    long oldestRevision() {
        return revisions[head];
    }

    long oldestTime() {
        return times[head];
    }

    void removeOldest() {
        head = (head + 1) % revisions.length;
        size--;
        if (size == 0) {
            head = 0;
        }
    }

    /** Sorts by revision; for the index built from an unordered scan of the journal. */
    void sortByRevision() {
        long[][] pairs = new long[size][];
        for (int i = 0; i < size; i++) {
            int at = (head + i) % revisions.length;
            pairs[i] = new long[] {revisions[at], times[at]};
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        for (int i = 0; i < size; i++) {
            revisions[i] = pairs[i][0];
            times[i] = pairs[i][1];
        }
        head = 0;
    }

    private void grow() {
        long[] r = new long[revisions.length * 2];
        long[] t = new long[times.length * 2];
        for (int i = 0; i < size; i++) {
            int at = (head + i) % revisions.length;
            r[i] = revisions[at];
            t[i] = times[at];
        }
        revisions = r;
        times = t;
        head = 0;
    }
}
