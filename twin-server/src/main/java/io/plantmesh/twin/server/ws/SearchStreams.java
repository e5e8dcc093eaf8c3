package io.plantmesh.twin.server.ws;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonCollectors;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.CancelSubscription;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.CreateSubscription;
import org.eclipse.ditto.thingsearch.model.signals.commands.subscription.RequestFromSubscription;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionComplete;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionCreated;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionFailed;
import org.eclipse.ditto.thingsearch.model.signals.events.SubscriptionHasNextPage;

import io.plantmesh.twin.server.TwinServerContext;
import io.plantmesh.twin.server.http.HttpSupport;
import io.plantmesh.twin.server.search.SearchQuery;
import io.plantmesh.twin.server.search.SearchResult;
import io.vertx.core.Context;

/**
 * Ditto's search protocol over a WebSocket session ({@code _/_/things/twin/search/subscribe|request|cancel} ->
 * {@code created|next|complete|failed}): one page of {@code ThingSearch} per requested demand, paging with the
 * search cursor, {@code complete} once no cursor is left. All methods run on the session's Vert.x context; the
 * searches themselves run on a worker.
 */
final class SearchStreams {

    private final TwinServerContext server;
    private final Context context;
    private final Supplier<AuthorizationContext> auth;
    private final Consumer<JsonObject> send;
    private final Map<String, Stream> streams = new HashMap<>();

    SearchStreams(TwinServerContext server, Context context, Supplier<AuthorizationContext> auth,
            Consumer<JsonObject> send) {
        this.server = server;
        this.context = context;
        this.auth = auth;
        this.send = send;
    }

    void create(CreateSubscription command) {
        String id = command.getPrefix().orElse("") + UUID.randomUUID();
        streams.put(id, new Stream(command));
        send.accept(ProtocolReplies.toJson(SubscriptionCreated.of(id, replyHeaders(command.getDittoHeaders()))));
    }

    void request(RequestFromSubscription command) {
        Stream stream = streams.get(command.getSubscriptionId());
        if (stream == null) {
            return; // cancelled or completed: Ditto ignores further demand
        }
        stream.demand += Math.max(0, command.getDemand());
        pump(command.getSubscriptionId(), stream);
    }

    void cancel(CancelSubscription command) {
        streams.remove(command.getSubscriptionId());
    }

    void cancelAll() {
        streams.clear();
    }

    private void pump(String id, Stream stream) {
        if (stream.busy || stream.demand <= 0 || streams.get(id) != stream) {
            return;
        }
        stream.busy = true;
        CreateSubscription c = stream.command;
        String options = withCursor(c.getOptions().orElse(null), stream.cursor);
        SearchQuery query = new SearchQuery(c.getFilter().orElse(null), c.getNamespaces().orElse(null),
                c.getSelectedFields().orElse(null), options, auth.get(), c.getDittoHeaders());
        context.owner().<SearchResult>executeBlocking(() -> server.search().query(query), false)
                .onComplete(ar -> {
                    stream.busy = false;
                    if (streams.get(id) != stream) {
                        return;
                    }
                    DittoHeaders headers = replyHeaders(c.getDittoHeaders());
                    if (ar.failed()) {
                        streams.remove(id);
                        send.accept(ProtocolReplies.toJson(
                                SubscriptionFailed.of(id, HttpSupport.toDitto(ar.cause()), headers)));
                        return;
                    }
                    SearchResult page = ar.result();
                    stream.demand--;
                    if (!page.items().isEmpty()) {
                        JsonArray items = page.items().stream().collect(JsonCollectors.valuesToArray());
                        send.accept(ProtocolReplies.toJson(SubscriptionHasNextPage.of(id, items, headers)));
                    }
                    Optional<String> cursor = page.cursor();
                    if (cursor.isEmpty() || page.items().isEmpty()) {
                        streams.remove(id);
                        send.accept(ProtocolReplies.toJson(SubscriptionComplete.of(id, headers)));
                        return;
                    }
                    stream.cursor = cursor.get();
                    pump(id, stream);
                });
    }

    private static String withCursor(String options, String cursor) {
        if (cursor == null) {
            return options;
        }
        return options == null || options.isBlank() ? "cursor(" + cursor + ")" : options + ",cursor(" + cursor + ")";
    }

    private static DittoHeaders replyHeaders(DittoHeaders request) {
        return ProtocolReplies.replyHeaders(request, Optional.empty());
    }

    private static final class Stream {
        final CreateSubscription command;
        String cursor;
        long demand;
        boolean busy;

        Stream(CreateSubscription command) {
            this.command = command;
        }
    }
}
