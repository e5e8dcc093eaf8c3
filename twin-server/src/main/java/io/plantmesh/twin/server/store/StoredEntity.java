package io.plantmesh.twin.server.store;

import java.time.Instant;

/**
 * One thing or policy as the store holds it: its JSON (kept as a string so that keys which MongoDB forbids, such as
 * dotted attribute names, never matter), its revision, and whether it is a tombstone left by a delete (which keeps the
 * revision counting up if the entity is created again, as Ditto does).
 */
public record StoredEntity(String id, long revision, boolean deleted, String json, Instant created, Instant modified) {
}
