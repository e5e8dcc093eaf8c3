package io.plantmesh.twin.server.events;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process publication of persisted twin events to the server's streaming endpoints (WebSocket sessions, SSE
 * streams). Publication happens on the persistence thread in revision order per thing; listeners must hand off work
 * that may block.
 */
public final class TwinEventBus {

    private static final Logger LOG = LoggerFactory.getLogger(TwinEventBus.class);

    private final CopyOnWriteArrayList<Consumer<ThingEvent>> listeners = new CopyOnWriteArrayList<>();

    /** Registers a listener; the returned handle removes it. */
    public AutoCloseable subscribe(Consumer<ThingEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void publish(ThingEvent event) {
        for (Consumer<ThingEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("An event listener failed on {} rev {}: {}", event.thingId(), event.revision(), e.toString());
            }
        }
    }

    public int listenerCount() {
        return listeners.size();
    }
}
