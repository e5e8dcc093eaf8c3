package io.plantmesh.mes.lease;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.Context;

/** Records what a {@link LeaseKeeper} says, and on which kind of thread it says it. */
final class RecordingListener implements LeaseListener {

    /** One callback; {@code lease} is null for a loss. */
    record Event(String resource, Lease lease, String why, boolean onEventLoop) {

        boolean isLoss() {
            return lease == null;
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void onAcquired(Lease lease) {
        events.add(new Event(lease.resource(), lease, null, Context.isOnEventLoopThread()));
    }

    @Override
    public void onLost(String resource, String why) {
        events.add(new Event(resource, null, why, Context.isOnEventLoopThread()));
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<Event> losses(String resource) {
        return events.stream().filter(event -> event.isLoss() && event.resource().equals(resource)).toList();
    }

    List<Event> acquisitions(String resource) {
        return events.stream().filter(event -> !event.isLoss() && event.resource().equals(resource)).toList();
    }
}
