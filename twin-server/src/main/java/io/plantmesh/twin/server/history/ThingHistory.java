package io.plantmesh.twin.server.history;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.server.store.EventJournal;
import io.plantmesh.twin.server.store.EventJournal.EventTime;
import io.plantmesh.twin.server.store.EventRecord;

/**
 * A thing's history as the event journal keeps it: which revisions a {@link HistoryRange} covers, whether the journal
 * still holds its beginning, and the events, in chunks. Every method reads the journal and blocks.
 *
 * <p>The journal keeps an unbroken run of each thing's newest events (retention deletes the oldest first), so the
 * oldest kept revision is found by a binary search on the existence of exact keys, and the first event after a time
 * by reading revision times backwards from the current revision. The span found for a time range may begin with
 * events of the start's millisecond; {@link HistorySpan#inTime} with the events' exact times leaves them out.
 */
public final class ThingHistory {

    /** Events read per round trip when streaming. */
    public static final int CHUNK = 256;
    /** Revision times read per round trip when looking for the start of a time range. */
    private static final int TIME_CHUNK = 1024;

    private final EventJournal journal;

    public ThingHistory(EventJournal journal) {
        this.journal = journal;
    }

    /**
     * The revisions to stream, from the thing's revision when the request arrived.
     *
     * @param current the thing's current revision
     * @throws HistoryNotKeptException when the range begins before the oldest kept event (unless the journal still
     *         holds everything from the thing's first revision)
     */
    public HistorySpan resolve(ThingId thingId, long current, HistoryRange range, DittoHeaders headers) {
        return range.byRevision() ? byRevision(thingId, current, range, headers) : byTime(thingId, current, range,
                headers);
    }

    /** The kept events with revision in [from, to], oldest first: at most {@link #CHUNK} of them from {@code from}. */
    public List<EventRecord> chunk(ThingId thingId, long from, long to) {
        return journal.events(thingId.toString(), from, Math.min(to, from + CHUNK - 1));
    }

    private HistorySpan byRevision(ThingId thingId, long current, HistoryRange range, DittoHeaders headers) {
        long asked = range.fromRevision();
        long to = range.to().map(t -> t > 0 ? Math.min(t, current) : current + t).orElse(current);
        if (asked == 0) {
            long oldest = oldestKept(thingId, current).orElse(current + 1);
            return new HistorySpan(oldest, to, null, null);
        }
        long from = asked > 0 ? asked : Math.max(1, current + asked);
        if (from > to) {
            // from beyond the current revision (or a relative end before the start): nothing to stream, as in Ditto
            return new HistorySpan(from, to, null, null);
        }
        if (!kept(thingId, from)) {
            Optional<Long> oldest = oldestKept(thingId, current);
            if (oldest.isPresent() && oldest.get() > from) {
                throw notKept(thingId, range, oldest.get(), headers);
            }
        }
        return new HistorySpan(from, to, null, null);
    }

    private HistorySpan byTime(ThingId thingId, long current, HistoryRange range, DittoHeaders headers) {
        Instant after = range.fromTimestamp();
        long below = current;         // every kept revision above this one is after the start
        long oldestSeen = current + 1;
        while (below >= 1) {
            long low = Math.max(1, below - TIME_CHUNK + 1);
            List<EventTime> times = journal.eventTimes(thingId.toString(), low, below);
            for (int i = times.size() - 1; i >= 0; i--) {
                EventTime t = times.get(i);
                if (t.revision() != oldestSeen - 1) {
                    // a revision missing below the ones seen: the journal does not keep it any more
                    return startOrNotKept(thingId, range, oldestSeen, current, headers);
                }
                // the journal keeps times to the millisecond: only an event a millisecond or more before the start
                // is certainly not after it (the stream checks each event's exact time)
                if (!t.timestamp().plusMillis(1).isAfter(after)) {
                    return new HistorySpan(t.revision() + 1, current, after, range.toTimestamp());
                }
                oldestSeen = t.revision();
            }
            if (times.isEmpty() || times.get(0).revision() != low) {
                return startOrNotKept(thingId, range, oldestSeen, current, headers);
            }
            below = low - 1;
        }
        // everything from revision 1 is kept and after the start
        return new HistorySpan(1, current, after, range.toTimestamp());
    }

    /** All kept revisions from {@code oldestSeen} are after the start; older ones are gone unless there are none. */
    private HistorySpan startOrNotKept(ThingId thingId, HistoryRange range, long oldestSeen, long current,
            DittoHeaders headers) {
        if (oldestSeen > current) {
            // the newest revision itself is not in the journal (a lost journal write): nothing to stream
            return new HistorySpan(current + 1, current, range.fromTimestamp(), range.toTimestamp());
        }
        if (oldestSeen == 1) {
            return new HistorySpan(1, current, range.fromTimestamp(), range.toTimestamp());
        }
        throw notKept(thingId, range, oldestSeen, headers);
    }

    private HistoryNotKeptException notKept(ThingId thingId, HistoryRange range, long oldest, DittoHeaders headers) {
        Instant oldestTime = journal.eventTimes(thingId.toString(), oldest, oldest).stream()
                .map(EventTime::timestamp).findFirst().orElse(null);
        return HistoryNotKeptException.of(thingId, range.describeStart(), oldest, oldestTime, journal.retention(),
                headers);
    }

    private boolean kept(ThingId thingId, long revision) {
        return !journal.eventTimes(thingId.toString(), revision, revision).isEmpty();
    }

    /** The oldest revision the journal keeps of the thing (binary search on existence); empty if it keeps none. */
    Optional<Long> oldestKept(ThingId thingId, long current) {
        if (current < 1 || !kept(thingId, current)) {
            return Optional.empty();
        }
        long missing = 0;      // revision 0 never exists
        long present = current;
        while (present - missing > 1) {
            long middle = missing + (present - missing) / 2;
            if (kept(thingId, middle)) {
                present = middle;
            } else {
                missing = middle;
            }
        }
        return Optional.of(present);
    }

    /**
     * Revisions {@code from}..{@code to} (inclusive; empty if {@code from > to}) of which events strictly after
     * {@code after} and strictly before {@code before} are streamed (either null: no bound).
     */
    public record HistorySpan(long from, long to, Instant after, Instant before) {

        public boolean isEmpty() {
            return from > to;
        }

        /** Whether an event of the span lies inside the time bounds. */
        public boolean inTime(Instant timestamp) {
            return (after == null || timestamp.isAfter(after)) && (before == null || timestamp.isBefore(before));
        }

        /** Whether an event at this time ends the stream (it and every later one lie at or after {@code before}). */
        public boolean ends(Instant timestamp) {
            return before != null && !timestamp.isBefore(before);
        }
    }
}
