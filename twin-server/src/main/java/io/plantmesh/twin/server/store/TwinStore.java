package io.plantmesh.twin.server.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Durable state of the twin server: current things and policies with their revisions, and the event journal. */
public interface TwinStore extends AutoCloseable {

    List<StoredEntity> loadThings();

    List<StoredEntity> loadPolicies();

    /** Events of one thing with revision in [fromRevision, toRevision], oldest first. */
    List<EventRecord> events(String thingId, long fromRevision, long toRevision);

    /**
     * Persists a write set. The future completes once it is durable, or fails with {@link StoreConflictException}
     * when an entity's revision is not the expected one, or with another exception when the store failed.
     */
    CompletableFuture<Void> write(WriteSet writeSet);

    @Override
    void close();
}
