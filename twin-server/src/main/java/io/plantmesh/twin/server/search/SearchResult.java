package io.plantmesh.twin.server.search;

import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;

/** One page of search results and the cursor of the next page (empty when there is none). */
public record SearchResult(List<JsonObject> items, Optional<String> cursor) {
}
