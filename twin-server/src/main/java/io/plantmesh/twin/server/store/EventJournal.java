package io.plantmesh.twin.server.store;

import java.time.Instant;
import java.util.List;

/**
 * Reading the event journal, for the history API. Every read is by exact key ({@code thingId@revision}), so it stays
 * an index lookup on stores without secondary indexes. Reads block: call them off the event loops.
 */
public interface EventJournal {

    /** The revision and time of one journal entry. */
    record EventTime(long revision, Instant timestamp) {
    }

    /** Entries of one thing with revision in [fromRevision, toRevision] that the journal still keeps, oldest first. */
    List<EventRecord> events(String thingId, long fromRevision, long toRevision);

    /** Like {@link #events}, without the events themselves (less to read when only times matter). */
    List<EventTime> eventTimes(String thingId, long fromRevision, long toRevision);

    /** The retention the journal was opened with. */
    EventRetention retention();
}
