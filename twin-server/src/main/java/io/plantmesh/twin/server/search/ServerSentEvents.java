package io.plantmesh.twin.server.search;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.server.TwinServerContext;
import io.plantmesh.twin.server.history.HistoryRange;
import io.plantmesh.twin.server.history.ThingHistory;
import io.plantmesh.twin.server.http.HttpSupport;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Ditto's Server-Sent Events for twin changes (httpapi-sse): {@code GET /api/2/things} with
 * {@code Accept: text/event-stream} and optional {@code ids}, {@code namespaces}, {@code filter}, {@code fields},
 * {@code extraFields}; {@code GET /api/2/things/{thingId}} for one thing and {@code /api/2/things/{thingId}/{path}}
 * for the value at a path of it. With {@code from-historical-revision} or {@code from-historical-timestamp} on a
 * thing (Ditto 3.2+'s history API), the thing's history from the event journal instead ({@link HistoricalEventStream}).
 * Every other request (no {@code text/event-stream} in {@code Accept}, message paths) is passed on to the next
 * handler, so this is mounted before the HTTP API.
 */
public final class ServerSentEvents {

    private static final String THINGS = "/api/2/things";

    private ServerSentEvents() {
    }

    /**
     * Mounts the SSE routes.
     *
     * @param history the event journal's reader, for {@code from-historical-*} requests
     */
    public static void mount(Router router, TwinServerContext context, ThingHistory history) {
        router.get(THINGS).handler(rc -> handle(rc, context, history));
        router.get(THINGS + "/*").handler(rc -> handle(rc, context, history));
    }

    private static void handle(RoutingContext rc, TwinServerContext context, ThingHistory history) {
        if (!acceptsEventStream(rc.request().getHeader("Accept"))) {
            rc.next();
            return;
        }
        List<String> segments = pathSegments(rc.request().path());
        if (isMessagesPath(segments)) {
            rc.next();
            return;
        }
        DittoHeaders headers;
        ChangeSubscription subscription;
        HistoryRange range = null;
        try {
            headers = HttpSupport.dittoHeaders(rc);
            subscription = subscription(rc, segments, headers);
            if (HistoryRange.requested(rc.request()::getParam)) {
                range = HistoryRange.of(rc.request()::getParam, headers);
            }
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
            return;
        }
        if (range != null) {
            HistoricalEventStream.open(context.vertx(), rc, subscription, context.engine(), history, range, headers);
            return;
        }
        SseConnection.open(context.vertx(), rc, subscription, context.engine(), context.events(),
                headers.getCorrelationId().orElse(""));
    }

    private static ChangeSubscription subscription(RoutingContext rc, List<String> segments, DittoHeaders headers) {
        Set<ThingId> ids;
        JsonPointer path = JsonPointer.empty();
        String fieldsParam = rc.request().getParam("fields");
        if (segments.isEmpty()) {
            ids = split(rc.request().getParam("ids")).stream().map(ThingId::of)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        } else {
            ids = Set.of(ThingId.of(segments.get(0)));
            if (segments.size() > 1) {
                path = JsonPointer.of("/" + String.join("/", segments.subList(1, segments.size())));
                fieldsParam = path.toString().substring(1);     // as Ditto: the path is the field selector
            }
        }
        String filter = rc.request().getParam("filter");
        Predicate<Thing> predicate = filter == null || filter.isBlank() ? null
                : ThingSearch.predicate(filter.trim(), headers);
        JsonFieldSelector fields = SearchApi.fields(fieldsParam, headers);
        JsonFieldSelector extraFields = SearchApi.fields(rc.request().getParam("extraFields"), headers);
        return new ChangeSubscription(ids, split(rc.request().getParam("namespaces")), HttpSupport.auth(rc),
                predicate, fields, extraFields, path);
    }

    /** True if the client lists {@code text/event-stream} itself (a wildcard like {@code *}{@code /*} is not SSE). */
    static boolean acceptsEventStream(String accept) {
        if (accept == null) {
            return false;
        }
        return Arrays.stream(accept.split(","))
                .map(range -> range.split(";", 2)[0].trim())
                .anyMatch(type -> type.equalsIgnoreCase("text/event-stream"));
    }

    /** The decoded segments after {@code /api/2/things}: empty, or the thing id and the path inside the thing. */
    private static List<String> pathSegments(String rawPath) {
        String rest = rawPath.length() > THINGS.length() ? rawPath.substring(THINGS.length() + 1) : "";
        return Arrays.stream(rest.split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }

    /** {@code /things/{id}[/features/{fid}]/(inbox|outbox)/messages...}: message SSE, not served here. */
    private static boolean isMessagesPath(List<String> segments) {
        int box = segments.size() > 3 && segments.get(1).equals("features") ? 3 : 1;
        return segments.size() > box + 1
                && (segments.get(box).equals("inbox") || segments.get(box).equals("outbox"))
                && segments.get(box + 1).equals("messages");
    }

    private static Set<String> split(String param) {
        if (param == null) {
            return Set.of();
        }
        return Arrays.stream(param.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
