package io.plantmesh.twin.server.search;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;

/**
 * One page of search results as the HTTP API returns it: the items, the cursor of the next page (absent on the last
 * page and with the deprecated {@code limit} option) and, only with {@code limit}, Ditto's {@code nextPageOffset}
 * ({@code -1} on the last page).
 */
public record SearchPage(List<JsonObject> items, Optional<String> cursor, OptionalLong nextPageOffset) {

    public SearchPage {
        items = List.copyOf(items);
    }

    public SearchResult toResult() {
        return new SearchResult(items, cursor);
    }

    /** {@code {"items":[...],"cursor":"..."}} (or {@code "nextPageOffset"} with {@code limit}). */
    public JsonObject toJson() {
        JsonObjectBuilder b = JsonFactory.newObjectBuilder()
                .set("items", JsonFactory.newArrayBuilder(items).build());
        nextPageOffset.ifPresent(offset -> b.set("nextPageOffset", offset));
        cursor.ifPresent(c -> b.set("cursor", c));
        return b.build();
    }
}
