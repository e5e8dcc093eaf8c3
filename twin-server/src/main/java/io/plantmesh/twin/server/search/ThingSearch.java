package io.plantmesh.twin.server.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;
import org.eclipse.ditto.rql.query.filter.QueryFilterCriteriaFactory;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import io.plantmesh.twin.server.engine.ThingViews;
import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.things.ThingState;

/**
 * Thing search over the committed twins, in memory, with Ditto 2.4's semantics: an RQL filter evaluated by Ditto's
 * {@link ThingPredicateVisitor}, namespaces, sort/size/cursor paging (and the deprecated {@code limit}), counting.
 *
 * <p>Policy-aware as Ditto's search index is: a requester finds only things it may partially READ, and a filter or a
 * sort key sees only the values it may READ — the predicate runs on the requester's view of the thing, so a field
 * revoked for it never matches. Items are the requester's views with the field selector applied.
 *
 * <p>Thread-safe and free of locks: each call scans the engine's committed map (immutable states) once, so a search
 * never sees a write that is not durable. A scan of 10k things takes tens of milliseconds; callers on an event loop
 * must run it on a worker.
 */
public final class ThingSearch {

    private static final QueryFilterCriteriaFactory RQL =
            QueryFilterCriteriaFactory.modelBased(RqlPredicateParser.getInstance());
    private static final ResourceKey THING_ROOT = PoliciesResourceType.thingResource("/");
    private static final Permissions READ = Permissions.newInstance("READ");

    private final TwinEngine engine;

    public ThingSearch(TwinEngine engine) {
        this.engine = engine;
    }

    /** One page; fails with a Ditto exception (400) for an invalid filter or option. */
    public SearchResult query(SearchQuery query) {
        return page(query).toResult();
    }

    /** One page, with Ditto's {@code nextPageOffset} for the deprecated {@code limit} option. */
    public SearchPage page(SearchQuery query) {
        DittoHeaders headers = query.headers() == null ? DittoHeaders.empty() : query.headers();
        SearchOptions options = SearchOptions.parse(query.options(), headers);
        String filter = blankToNull(query.filter());
        ThingSortOrder order = options.order();
        Optional<SearchCursor> after = Optional.empty();
        if (options.cursor() != null) {
            SearchCursor cursor = SearchCursor.decode(options.cursor(), headers);
            if (filter != null && !filter.equals(cursor.filter())) {
                throw SearchCursor.invalid("The parameter 'filter' must not differ from the original query of the "
                        + "cursor.", headers);
            }
            if (!options.sort().isEmpty() && !order.toString().equals(cursor.sort())) {
                throw SearchCursor.invalid("The option 'sort' must not differ from the original query of the cursor.",
                        headers);
            }
            filter = cursor.filter();
            order = SearchOptions.parse(cursor.sort(), headers).order();
            if (cursor.lastValues().size() != order.keys().size()) {
                throw SearchCursor.invalid("The cursor was not issued by this server or is damaged.", headers);
            }
            after = Optional.of(cursor);
        }
        Predicate<Thing> predicate = predicate(filter, headers);
        AuthorizationContext auth = query.authorization();
        List<Hit> hits = scan(predicate, query.namespaces(), auth, order);
        Comparator<List<JsonValue>> byValues = order.comparator();
        if (after.isPresent()) {
            List<JsonValue> last = after.get().lastValues();
            hits.removeIf(hit -> byValues.compare(hit.sortValues(), last) <= 0);
        }
        hits.sort(Comparator.comparing(Hit::sortValues, byValues));

        int from = options.limit() == null ? 0 : (int) Math.min(options.limit().getOffset(), hits.size());
        int to = (int) Math.min((long) from + options.pageSize(), hits.size());
        boolean more = to < hits.size();
        List<Hit> pageHits = hits.subList(from, to);
        List<JsonObject> items = new ArrayList<>(pageHits.size());
        for (Hit hit : pageHits) {
            items.add(engine.viewOfThing(hit.thing(), hit.enforcer(), query.fields(), auth));
        }
        if (options.limit() != null) {
            return new SearchPage(items, Optional.empty(), OptionalLong.of(more ? to : -1));
        }
        Optional<String> next = more && !pageHits.isEmpty()
                ? Optional.of(new SearchCursor(filter, order.toString(), pageHits.get(pageHits.size() - 1).sortValues())
                        .encode())
                : Optional.empty();
        return new SearchPage(items, next, OptionalLong.empty());
    }

    /** How many things match and are visible to the requester. */
    public long count(String filter, Set<String> namespaces, AuthorizationContext auth, DittoHeaders headers) {
        DittoHeaders h = headers == null ? DittoHeaders.empty() : headers;
        return scan(predicate(blankToNull(filter), h), namespaces, auth, null).size();
    }

    /**
     * Parses an RQL filter with Ditto's model-based factory; an invalid one fails with Ditto's
     * {@code rql.expression.invalid} (400). Null for no filter.
     */
    static Predicate<Thing> predicate(String filter, DittoHeaders headers) {
        if (filter == null) {
            return null;
        }
        return ThingPredicateVisitor.apply(RQL.filterCriteria(filter, headers));
    }

    private List<Hit> scan(Predicate<Thing> predicate, Set<String> namespaces, AuthorizationContext auth,
            ThingSortOrder order) {
        // the model-based criteria factory knows no "namespace" field, so namespaces are matched here on the id
        boolean allNamespaces = namespaces == null || namespaces.isEmpty();
        // things often share a policy: decide each enforcer's access once per scan
        Map<Enforcer, Access> accessByEnforcer = new IdentityHashMap<>();
        List<Hit> hits = new ArrayList<>();
        for (ThingState state : engine.committedThings()) {
            if (!state.exists() || (!allNamespaces && !namespaces.contains(state.id().getNamespace()))) {
                continue;
            }
            Optional<Enforcer> enforcer = engine.enforcer(state.policyId());
            if (enforcer.isEmpty()) {
                continue;
            }
            Access access = accessByEnforcer.computeIfAbsent(enforcer.get(), e -> Access.of(e, auth));
            if (access == Access.NONE) {
                continue;
            }
            Visible visible = access == Access.ALL ? new Visible(state.thing(), null)
                    : partialView(state.thing(), enforcer.get(), auth);
            if (predicate != null && !predicate.test(visible.thing())) {
                continue;
            }
            List<JsonValue> sortValues = order == null ? List.of() : sortValues(order, state, visible);
            hits.add(new Hit(state.thing(), enforcer.get(), sortValues));
        }
        return hits;
    }

    private static List<JsonValue> sortValues(ThingSortOrder order, ThingState state, Visible visible) {
        if (order.byThingIdOnly()) {
            return List.of(JsonValue.of(state.id().toString()));
        }
        return visible.viewJson() != null ? order.valuesOf(visible.viewJson()) : order.valuesOf(visible.thing());
    }

    /** How much of the things under one policy the requester may READ. */
    private enum Access {
        NONE, PARTIAL, ALL;

        static Access of(Enforcer enforcer, AuthorizationContext auth) {
            if (enforcer.hasUnrestrictedPermissions(THING_ROOT, auth, READ)) {
                return ALL;
            }
            return enforcer.hasPartialPermissions(THING_ROOT, auth, READ) ? PARTIAL : NONE;
        }
    }

    /** The requester's partial view of a thing, for filtering and sorting on what it may read only. */
    private static Visible partialView(Thing thing, Enforcer enforcer, AuthorizationContext auth) {
        JsonObject view = ThingViews.rootView(enforcer, ThingViews.fullJson(thing), auth);
        return new Visible(ThingsModelFactory.newThing(view), view);
    }

    /** What the requester can see of a thing: the thing itself if all of it (no copy), else its view. */
    private record Visible(Thing thing, JsonObject viewJson) {
    }

    private record Hit(Thing thing, Enforcer enforcer, List<JsonValue> sortValues) {
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
