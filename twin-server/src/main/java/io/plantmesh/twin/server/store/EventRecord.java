package io.plantmesh.twin.server.store;

import java.time.Instant;

/** One entry of a thing's append-only event journal: the Ditto protocol JSON of the event at that revision. */
public record EventRecord(String thingId, long revision, Instant timestamp, String json) {

    /** The journal key; unique per thing and revision. */
    public String key() {
        return thingId + "@" + revision;
    }
}
