package io.plantmesh.twin.server.search;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;

import io.plantmesh.twin.server.engine.TwinEngine;

/**
 * Thing search over the committed twins, in memory, with Ditto's RQL. STUB: being implemented.
 */
public final class ThingSearch {

    private final TwinEngine engine;

    public ThingSearch(TwinEngine engine) {
        this.engine = engine;
    }

    /** One page; fails with a Ditto exception (400) for an invalid filter or option. */
    public SearchResult query(SearchQuery query) {
        return new SearchResult(List.of(), Optional.empty());
    }

    /** How many things match and are visible to the requester. */
    public long count(String filter, Set<String> namespaces, AuthorizationContext auth, DittoHeaders headers) {
        return 0;
    }
}
