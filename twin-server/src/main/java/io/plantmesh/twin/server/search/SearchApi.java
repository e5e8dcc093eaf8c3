package io.plantmesh.twin.server.search;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonParseOptions;
import org.eclipse.ditto.json.JsonRuntimeException;

import io.plantmesh.twin.server.TwinServerContext;
import io.plantmesh.twin.server.http.HttpSupport;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Ditto's search resources: {@code GET /api/2/search/things?filter=&namespaces=&fields=&option=} answers
 * {@code {"items":[...],"cursor":"..."}}, {@code GET /api/2/search/things/count?filter=&namespaces=} a plain number.
 * Both also accept {@code POST} with the parameters as an {@code application/x-www-form-urlencoded} body (a Ditto 3
 * addition that keeps long filters out of URLs). Searches run on worker threads, never on an event loop.
 */
public final class SearchApi {

    private static final String SEARCH = "/api/2/search/things";
    private static final String COUNT = "/api/2/search/things/count";
    private static final int MAX_FORM_BYTES = 64 * 1024;
    private static final JsonParseOptions NO_URL_DECODING =
            JsonFactory.newParseOptionsBuilder().withoutUrlDecoding().build();

    private final TwinServerContext context;

    private SearchApi(TwinServerContext context) {
        this.context = context;
    }

    public static void mount(Router router, TwinServerContext context) {
        SearchApi api = new SearchApi(context);
        router.get(SEARCH).handler(api::search);
        router.get(COUNT).handler(api::count);
        router.post(SEARCH).handler(formBody()).handler(api::search);
        router.post(COUNT).handler(formBody()).handler(api::count);
    }

    private static BodyHandler formBody() {
        // form attributes are merged into the request parameters, so GET and POST read them alike
        return BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES).setMergeFormAttributes(true);
    }

    private void search(RoutingContext rc) {
        DittoHeaders headers;
        SearchQuery query;
        try {
            headers = HttpSupport.dittoHeaders(rc);
            query = new SearchQuery(rc.request().getParam("filter"), namespaces(rc),
                    fields(rc.request().getParam("fields"), headers), rc.request().getParam("option"),
                    HttpSupport.auth(rc), headers);
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
            return;
        }
        Future<SearchPage> page = context.vertx().executeBlocking(() -> context.search().page(query), false);
        page.onSuccess(p -> respond(rc, headers, p.toJson().toString()))
                .onFailure(e -> HttpSupport.fail(rc, e));
    }

    private void count(RoutingContext rc) {
        DittoHeaders headers;
        try {
            headers = HttpSupport.dittoHeaders(rc);
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
            return;
        }
        String filter = rc.request().getParam("filter");
        Set<String> namespaces = namespaces(rc);
        AuthorizationContext auth = HttpSupport.auth(rc);
        Future<Long> count = context.vertx().executeBlocking(
                () -> context.search().count(filter, namespaces, auth, headers), false);
        count.onSuccess(n -> respond(rc, headers, Long.toString(n)))
                .onFailure(e -> HttpSupport.fail(rc, e));
    }

    private static void respond(RoutingContext rc, DittoHeaders headers, String body) {
        if (rc.response().closed()) {
            return;
        }
        headers.getCorrelationId().ifPresent(id -> rc.response().putHeader("correlation-id", id));
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body);
    }

    /** {@code namespaces=a,b}; empty for all namespaces. */
    static Set<String> namespaces(RoutingContext rc) {
        String param = rc.request().getParam("namespaces");
        if (param == null) {
            return Set.of();
        }
        return Arrays.stream(param.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** {@code fields=thingId,attributes/x}; null for whole things; an invalid selector is a 400. */
    static JsonFieldSelector fields(String param, DittoHeaders headers) {
        if (param == null || param.isBlank()) {
            return null;
        }
        try {
            return JsonFactory.newFieldSelector(param, NO_URL_DECODING);
        } catch (JsonRuntimeException e) {
            throw new DittoJsonException(e, headers);
        }
    }
}
