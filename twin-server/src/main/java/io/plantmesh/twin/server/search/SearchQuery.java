package io.plantmesh.twin.server.search;

import java.util.Set;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFieldSelector;

/**
 * A thing search as Ditto's {@code GET /api/2/search/things} takes it.
 *
 * @param filter RQL filter, null for all
 * @param namespaces namespaces to search in, null or empty for all
 * @param fields field selector for the items, null for the whole thing
 * @param options raw option string, e.g. {@code sort(+thingId),size(25),cursor(...)}; null for defaults
 */
public record SearchQuery(String filter, Set<String> namespaces, JsonFieldSelector fields, String options,
        AuthorizationContext authorization, DittoHeaders headers) {
}
