package io.plantmesh.twin.server.store;

/**
 * A compare-and-set write of one entity: it succeeds only if the store still holds {@code expectedRevision}
 * ({@code 0} = the store holds no document for the id at all).
 */
public record EntityWrite(StoredEntity entity, long expectedRevision) {
}
