package io.plantmesh.twin.server.store;

import java.util.List;

/**
 * What one command changes, persisted all-or-nothing as far as entities go: policies first, then things, then the
 * events of the things written. The command is acknowledged only after its write set is durable.
 */
public record WriteSet(List<EntityWrite> policies, List<EntityWrite> things, List<EventRecord> events) {

    public static WriteSet of(List<EntityWrite> policies, List<EntityWrite> things, List<EventRecord> events) {
        return new WriteSet(List.copyOf(policies), List.copyOf(things), List.copyOf(events));
    }
}
