package io.plantmesh.twin.server.things;

/** What a twin command does at its path, mirroring Ditto's command categories. */
public enum ThingAction {
    /** Read the value at the path. */
    RETRIEVE,
    /** Create the thing; fails with 409 if it exists (Ditto's {@code create} / {@code POST /things}). */
    CREATE,
    /** Create or replace the value at the path ({@code PUT}, Ditto's {@code modify}). */
    MODIFY,
    /** Apply an RFC 7396 merge patch at the path ({@code PATCH}, Ditto's {@code merge}). */
    MERGE,
    /** Remove the value at the path. */
    DELETE
}
