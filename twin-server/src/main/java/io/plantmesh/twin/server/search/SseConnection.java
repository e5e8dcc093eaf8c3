package io.plantmesh.twin.server.search;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.ditto.json.JsonValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.events.ThingEvent;
import io.plantmesh.twin.server.events.TwinEventBus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * One open {@code text/event-stream} response: receives the twin events of its {@link ChangeSubscription}, sends each
 * as {@code data:<json>} and a comment line every {@value #HEARTBEAT_MS} ms so proxies keep the connection open.
 *
 * <p>Events are published on the store's writer thread; they are handed to the connection's event-loop context at
 * once (order kept). A client that cannot keep up — more than {@value #MAX_BACKLOG} events waiting for the event loop,
 * or a full write queue — is disconnected with a log line rather than buffering without bound; an
 * {@code EventSource} reconnects by itself. Closing (either side) removes the event bus subscription.
 */
final class SseConnection {

    private static final Logger LOG = LoggerFactory.getLogger(SseConnection.class);

    static final long HEARTBEAT_MS = 30_000;
    static final int MAX_BACKLOG = 1_000;
    static final int MAX_WRITE_QUEUE_BYTES = 1024 * 1024;

    private final Vertx vertx;
    private final Context context;
    private final RoutingContext rc;
    private final HttpServerResponse response;
    private final ChangeSubscription subscription;
    private final TwinEngine engine;
    private final AtomicInteger backlog = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile AutoCloseable registration;
    private long heartbeatTimer = -1;

    private SseConnection(Vertx vertx, RoutingContext rc, ChangeSubscription subscription, TwinEngine engine) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.rc = rc;
        this.response = rc.response();
        this.subscription = subscription;
        this.engine = engine;
    }

    /** Starts the event stream on the request's response; call on the request's event loop. */
    static void open(Vertx vertx, RoutingContext rc, ChangeSubscription subscription, TwinEngine engine,
            TwinEventBus events, String correlationId) {
        SseConnection connection = new SseConnection(vertx, rc, subscription, engine);
        connection.start(events, correlationId);
    }

    private void start(TwinEventBus events, String correlationId) {
        response.setStatusCode(200)
                .setChunked(true)
                .setWriteQueueMaxSize(MAX_WRITE_QUEUE_BYTES)
                .putHeader("Content-Type", "text/event-stream;charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("correlation-id", correlationId);
        response.closeHandler(v -> close());
        response.exceptionHandler(e -> close());
        registration = events.subscribe(this::onPublished);
        heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat());
        // the first comment line sends the headers, so the client knows the stream is open
        response.write(":\n");
    }

    /** On the publishing thread: cheap checks only, then off to the event loop. */
    private void onPublished(ThingEvent event) {
        if (closed.get() || !subscription.concerns(event)) {
            return;
        }
        int waiting = backlog.incrementAndGet();
        if (waiting > MAX_BACKLOG) {
            if (waiting == MAX_BACKLOG + 1) {
                context.runOnContext(v -> drop(MAX_BACKLOG + " events waiting to be sent"));
            }
            return;
        }
        context.runOnContext(v -> deliver(event));
    }

    private void deliver(ThingEvent event) {
        backlog.decrementAndGet();
        if (closed.get()) {
            return;
        }
        Optional<JsonValue> data = subscription.render(event, engine);
        if (data.isEmpty()) {
            return;
        }
        if (response.writeQueueFull()) {
            drop("more than " + MAX_WRITE_QUEUE_BYTES + " bytes unread by the client");
            return;
        }
        response.write("data:" + data.get() + "\n\n");
    }

    private void heartbeat() {
        if (!closed.get() && !response.writeQueueFull()) {
            response.write(":\n");
        }
    }

    private void drop(String reason) {
        if (closed.get()) {
            return;
        }
        LOG.warn("Closing SSE stream {} of {}: the client does not keep up ({})", rc.request().path(),
                subscription.auth().getFirstAuthorizationSubject().map(Object::toString).orElse("?"), reason);
        close();
        rc.request().connection().close();
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        AutoCloseable r = registration;
        if (r != null) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("Removing an SSE subscription failed", e);
            }
        }
    }
}
