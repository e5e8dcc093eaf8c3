package io.plantmesh.twin.server.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingNotAccessibleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.events.ThingEvent;
import io.plantmesh.twin.server.history.HistoryParameterInvalidException;
import io.plantmesh.twin.server.history.HistoryRange;
import io.plantmesh.twin.server.history.JournalEvents;
import io.plantmesh.twin.server.history.ThingHistory;
import io.plantmesh.twin.server.history.ThingHistory.HistorySpan;
import io.plantmesh.twin.server.store.EventRecord;
import io.plantmesh.twin.server.http.HttpSupport;
import io.plantmesh.twin.server.things.ThingAction;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingState;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * One thing's history as Server-Sent Events, as Ditto 3.2+ serves it ({@code GET /api/2/things/{thingId}} with
 * {@code Accept: text/event-stream} and {@code from-historical-revision} or {@code from-historical-timestamp}): the
 * thing's events from its event journal, in revision order, each shown exactly as the live event was (the changed
 * part as a thing JSON, {@code fields}, {@code extraFields}, {@code filter}, a path), then the response ends — after
 * the {@code to-} bound, or at the revision the thing had when the request arrived. As in Ditto, it does not go on
 * with live events: a client that wants those too opens a live stream (before this one, and drops what both bring).
 *
 * <p>The same checks as a read: a requester who may read nothing of the thing gets 404 before the stream starts, and
 * each event reaches it only as far as the thing's current policy lets it read the change. A history that begins
 * before the oldest event the journal keeps is a 404 {@code things:thing.history.notfound} naming the retention.
 * The journal is read in chunks on a worker thread; the next chunk is read once the client has taken the previous
 * one (the response's write queue drained), so a slow client holds back only its own stream.
 */
final class HistoricalEventStream {

    private static final Logger LOG = LoggerFactory.getLogger(HistoricalEventStream.class);

    private final Vertx vertx;
    private final Context context;
    private final RoutingContext rc;
    private final HttpServerResponse response;
    private final ChangeSubscription subscription;
    private final TwinEngine engine;
    private final ThingHistory history;
    private final ThingId thingId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long sent;

    private HistoricalEventStream(Vertx vertx, RoutingContext rc, ChangeSubscription subscription, TwinEngine engine,
            ThingHistory history, ThingId thingId) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.rc = rc;
        this.response = rc.response();
        this.subscription = subscription;
        this.engine = engine;
        this.history = history;
        this.thingId = thingId;
    }

    /** Checks access, finds the revisions to send, then streams them; call on the request's event loop. */
    static void open(Vertx vertx, RoutingContext rc, ChangeSubscription subscription, TwinEngine engine,
            ThingHistory history, HistoryRange range, DittoHeaders headers) {
        if (subscription.ids().size() != 1) {
            HttpSupport.fail(rc, HistoryParameterInvalidException.of(
                    "A history is streamed for one thing: ask GET /api/2/things/{thingId} with "
                            + HistoryRange.FROM_REVISION + " or " + HistoryRange.FROM_TIMESTAMP + " (this request "
                            + "named " + (subscription.ids().isEmpty() ? "none" : subscription.ids().size()
                            + " things") + ").", headers));
            return;
        }
        ThingId thingId = subscription.ids().iterator().next();
        new HistoricalEventStream(vertx, rc, subscription, engine, history, thingId).start(range, headers);
    }

    private void start(HistoryRange range, DittoHeaders headers) {
        // the same access check as GET /things/{thingId}: 404 if the requester may read nothing of it
        ThingCommand read = new ThingCommand(ThingAction.RETRIEVE, thingId, JsonPointer.empty(), null, headers,
                subscription.auth(), JsonFieldSelector.newInstance("thingId"));
        engine.execute(read).whenComplete((result, error) -> context.runOnContext(v -> {
            if (error != null) {
                HttpSupport.fail(rc, error);
                return;
            }
            long current = result.revision();
            vertx.<HistorySpan>executeBlocking(() -> history.resolve(thingId, current, range, headers), false)
                    .onSuccess(span -> stream(span, headers.getCorrelationId().orElse("")))
                    .onFailure(e -> HttpSupport.fail(rc, e));
        }));
    }

    private void stream(HistorySpan span, String correlationId) {
        response.setStatusCode(200)
                .setChunked(true)
                .setWriteQueueMaxSize(SseConnection.MAX_WRITE_QUEUE_BYTES)
                .putHeader("Content-Type", "text/event-stream;charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("correlation-id", correlationId);
        response.closeHandler(v -> closed.set(true));
        response.exceptionHandler(e -> closed.set(true));
        // the first comment line sends the headers, so the client knows the stream is open
        response.write(":\n");
        next(span, span.from());
    }

    /** Reads and renders the next chunk from {@code from} on a worker, then writes it on the event loop. */
    private void next(HistorySpan span, long from) {
        if (closed.get()) {
            return;
        }
        if (from > span.to()) {
            finish();
            return;
        }
        vertx.<Chunk>executeBlocking(() -> render(span, from), false)
                .onSuccess(chunk -> write(span, chunk))
                .onFailure(this::fail);
    }

    private record Chunk(List<String> data, long next, boolean done) {
    }

    private Chunk render(HistorySpan span, long from) {
        List<EventRecord> entries = history.chunk(thingId, from, span.to());
        Optional<ThingState> now = engine.committedThing(thingId);
        Optional<Enforcer> policy = now.flatMap(s -> engine.enforcer(s.policyId()));
        if (policy.isEmpty()) {
            // deleted, or its policy deleted, while streaming: nobody may read it any more
            throw ThingNotAccessibleException.newBuilder(thingId).build();
        }
        Optional<Thing> current = now.map(ThingState::thing);
        List<String> data = new ArrayList<>(entries.size());
        for (EventRecord entry : entries) {
            ThingEvent event = JournalEvents.toThingEvent(entry, policy.get(), current);
            if (span.ends(event.timestamp())) {
                return new Chunk(data, span.to() + 1, true);
            }
            if (!span.inTime(event.timestamp())) {
                continue;
            }
            Optional<JsonValue> shown = subscription.render(event, engine);
            shown.ifPresent(json -> data.add("data:" + json + "\n\n"));
        }
        long next = Math.min(span.to(), from + ThingHistory.CHUNK - 1) + 1;
        return new Chunk(data, next, next > span.to());
    }

    private void write(HistorySpan span, Chunk chunk) {
        if (closed.get()) {
            return;
        }
        for (String line : chunk.data()) {
            response.write(line);
        }
        sent += chunk.data().size();
        if (chunk.done()) {
            finish();
        } else if (response.writeQueueFull()) {
            response.drainHandler(v -> {
                response.drainHandler(null);
                next(span, chunk.next());
            });
        } else {
            next(span, chunk.next());
        }
    }

    /** Once the stream has started, an error is its last event (as Ditto reports errors inside an SSE stream). */
    private void fail(Throwable error) {
        DittoRuntimeException e = HttpSupport.toDitto(error);
        LOG.info("The history stream of {} ended after {} events: {}", thingId, sent, e.getMessage());
        if (!closed.get()) {
            response.write("data:" + e.toJson() + "\n\n");
        }
        finish();
    }

    private void finish() {
        if (closed.compareAndSet(false, true) && !response.ended()) {
            response.end();
        }
    }
}
