package io.plantmesh.twin.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.history.ThingHistory.HistorySpan;
import io.plantmesh.twin.server.store.EventJournal;
import io.plantmesh.twin.server.store.EventRecord;
import io.plantmesh.twin.server.store.EventRetention;

/** Which revisions a range covers, against a journal that keeps an unbroken run of a thing's newest events. */
class ThingHistoryTest {

    private static final ThingId THING = ThingId.of("plant.a:machine-01");
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    /** Revision r was written at T0 + r minutes; the journal keeps revisions oldest..current. */
    private static ThingHistory history(long oldest, long current) {
        return new ThingHistory(new Journal(oldest, current));
    }

    private static HistorySpan resolve(ThingHistory h, long current, String... params) {
        java.util.Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i + 1 < params.length; i += 2) {
            map.put(params[i], params[i + 1]);
        }
        return h.resolve(THING, current, HistoryRange.of(map::get, DittoHeaders.empty()), DittoHeaders.empty());
    }

    private static Instant minute(long m) {
        return T0.plusSeconds(60 * m);
    }

    @Test
    void theOldestKeptRevisionIsFoundByItsKey() {
        assertThat(history(1, 50).oldestKept(THING, 50)).contains(1L);
        assertThat(history(37, 50).oldestKept(THING, 50)).contains(37L);
        assertThat(history(50, 50).oldestKept(THING, 50)).contains(50L);
        assertThat(history(60, 50).oldestKept(THING, 50)).isEmpty();
    }

    @Test
    void revisionsAsDittoDocumentsThem() {
        ThingHistory h = history(11, 50);
        assertThat(resolve(h, 50, "from-historical-revision", "20")).isEqualTo(new HistorySpan(20, 50, null, null));
        assertThat(resolve(h, 50, "from-historical-revision", "20", "to-historical-revision", "30"))
                .isEqualTo(new HistorySpan(20, 30, null, null));
        // 0: from the oldest kept; negative: back from the current revision; to 0: the current revision
        assertThat(resolve(h, 50, "from-historical-revision", "0")).isEqualTo(new HistorySpan(11, 50, null, null));
        assertThat(resolve(h, 50, "from-historical-revision", "-5", "to-historical-revision", "-1"))
                .isEqualTo(new HistorySpan(45, 49, null, null));
        assertThat(resolve(h, 50, "from-historical-revision", "40", "to-historical-revision", "0"))
                .isEqualTo(new HistorySpan(40, 50, null, null));
        // beyond the current revision: nothing to stream
        assertThat(resolve(h, 50, "from-historical-revision", "51").isEmpty()).isTrue();
        assertThat(resolve(h, 50, "from-historical-revision", "40", "to-historical-revision", "99"))
                .isEqualTo(new HistorySpan(40, 50, null, null));
    }

    @Test
    void revisionsNoLongerKeptAreA404NamingTheOldestAndTheRetention() {
        HistoryNotKeptException e = catchThrowableOfType(
                () -> resolve(history(11, 50), 50, "from-historical-revision", "3"), HistoryNotKeptException.class);
        assertThat(e.getErrorCode()).isEqualTo("things:thing.history.notfound");
        assertThat(e.getHttpStatus().getCode()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("The history of the Thing with ID 'plant.a:machine-01' from revision 3 "
                + "is no longer kept: the oldest event the twin server keeps of it is revision 11 of "
                + minute(11) + ".");
        assertThat(e.getDescription()).hasValueSatisfying(d -> assertThat(d)
                .contains("the newest 40 events of each thing (eventRetention)")
                .contains("from revision 11 or later").contains("eventRetentionAge"));
        // a relative start that reaches back beyond what is kept, too
        assertThat(catchThrowableOfType(() -> resolve(history(11, 50), 50, "from-historical-revision", "-45"),
                HistoryNotKeptException.class)).isNotNull();
        // from revision 1 of a thing whose whole history is kept is fine
        assertThat(resolve(history(1, 50), 50, "from-historical-revision", "1"))
                .isEqualTo(new HistorySpan(1, 50, null, null));
    }

    @Test
    void aTimeRangeStartsAfterTheLastEventAtOrBeforeItsStart() {
        ThingHistory h = history(11, 50);
        // events strictly after minute 20: from revision 21, but the journal's times have milliseconds only, so the
        // span starts with revision 20 and the stream leaves it out by its exact time
        HistorySpan fromTwenty = resolve(h, 50, "from-historical-timestamp", minute(20).toString());
        assertThat(fromTwenty).isEqualTo(new HistorySpan(20, 50, minute(20), null));
        assertThat(fromTwenty.inTime(minute(20))).isFalse();
        Instant between = minute(20).plusSeconds(30);
        assertThat(resolve(h, 50, "from-historical-timestamp", between.toString(),
                "to-historical-timestamp", minute(30).toString()))
                .isEqualTo(new HistorySpan(21, 50, between, minute(30)));
        // after the newest event: nothing
        assertThat(resolve(h, 50, "from-historical-timestamp", minute(51).toString()).isEmpty()).isTrue();
        // a long history (more than one chunk of times read backwards)
        assertThat(resolve(history(1, 5000), 5000, "from-historical-timestamp", minute(1234).plusSeconds(1).toString()))
                .isEqualTo(new HistorySpan(1235, 5000, minute(1234).plusSeconds(1), null));
    }

    @Test
    void aTimeRangeBeforeTheOldestKeptEventIsA404UnlessNothingWasDropped() {
        HistoryNotKeptException e = catchThrowableOfType(() -> resolve(history(11, 50), 50,
                "from-historical-timestamp", minute(5).toString()), HistoryNotKeptException.class);
        assertThat(e.getMessage()).contains("from " + minute(5)).contains("revision 11 of " + minute(11));
        // the whole history from revision 1 is kept: a start before the thing existed streams all of it
        assertThat(resolve(history(1, 50), 50, "from-historical-timestamp", minute(-100).toString()))
                .isEqualTo(new HistorySpan(1, 50, minute(-100), null));
    }

    @Test
    void aSpanKnowsItsTimeBounds() {
        HistorySpan span = new HistorySpan(1, 9, minute(2), minute(5));
        assertThat(span.inTime(minute(2))).isFalse();
        assertThat(span.inTime(minute(3))).isTrue();
        assertThat(span.ends(minute(5))).isTrue();
        assertThat(span.ends(minute(4))).isFalse();
    }

    /** Keeps revisions oldest..current of THING, revision r written at minute r. */
    private static final class Journal implements EventJournal {

        private final TreeMap<Long, Instant> kept = new TreeMap<>();
        private final long size;

        Journal(long oldest, long current) {
            for (long r = oldest; r <= current; r++) {
                kept.put(r, minute(r));
            }
            this.size = Math.max(1, current - oldest + 1);
        }

        @Override
        public List<EventRecord> events(String thingId, long fromRevision, long toRevision) {
            return kept.subMap(fromRevision, true, toRevision, true).entrySet().stream()
                    .map(e -> new EventRecord(thingId, e.getKey(), e.getValue(), "{}")).toList();
        }

        @Override
        public List<EventTime> eventTimes(String thingId, long fromRevision, long toRevision) {
            return kept.subMap(fromRevision, true, toRevision, true).entrySet().stream()
                    .map(e -> new EventTime(e.getKey(), e.getValue())).toList();
        }

        @Override
        public EventRetention retention() {
            return EventRetention.newest(size);
        }
    }
}
