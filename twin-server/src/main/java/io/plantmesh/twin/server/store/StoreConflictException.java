package io.plantmesh.twin.server.store;

/** A compare-and-set write found another revision in the store than the one it was computed from. */
public final class StoreConflictException extends RuntimeException {

    public StoreConflictException(String message) {
        super(message);
    }
}
