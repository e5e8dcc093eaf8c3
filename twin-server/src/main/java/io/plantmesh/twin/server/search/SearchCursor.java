package io.plantmesh.twin.server.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.InvalidOptionException;

/**
 * The position after the last item of a page: the filter and sort order of the search that produced it and the sort
 * values (ending with the thing id) of that last item. The next page holds the items that sort after these values
 * <em>now</em>, so paging neither repeats nor skips things that did not change meanwhile, whatever else is written.
 * Encoded as URL-safe base64 of a small JSON object; opaque to clients.
 *
 * @param filter the RQL filter of the original search; null if it had none
 * @param sort the sort order's text ({@link ThingSortOrder#toString()})
 * @param lastValues the sort values of the last item returned
 */
public record SearchCursor(String filter, String sort, List<JsonValue> lastValues) {

    public SearchCursor {
        lastValues = List.copyOf(lastValues);
    }

    public String encode() {
        JsonObject json = JsonFactory.newObjectBuilder()
                .set("f", filter == null ? JsonFactory.nullLiteral() : JsonValue.of(filter))
                .set("s", sort)
                .set("v", JsonFactory.newArrayBuilder(lastValues).build())
                .build();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor; anything that is not one of ours fails with Ditto's {@code things-search:option.invalid}. */
    public static SearchCursor decode(String encoded, DittoHeaders headers) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            JsonObject json = JsonFactory.newObject(text);
            JsonValue f = json.getValue("f").orElseThrow();
            String sort = json.getValue("s").filter(JsonValue::isString).map(JsonValue::asString).orElseThrow();
            JsonArray values = json.getValue("v").filter(JsonValue::isArray).map(JsonValue::asArray).orElseThrow();
            List<JsonValue> list = new ArrayList<>();
            values.forEach(list::add);
            if (list.isEmpty() || !(f.isNull() || f.isString())) {
                throw new IllegalArgumentException("incomplete cursor");
            }
            return new SearchCursor(f.isNull() ? null : f.asString(), sort, list);
        } catch (RuntimeException e) {
            throw invalid("The cursor was not issued by this server or is damaged.", headers);
        }
    }

    static InvalidOptionException invalid(String description, DittoHeaders headers) {
        return InvalidOptionException.newBuilder()
                .message("The option 'cursor' is not valid for the search request.")
                .description(description)
                .dittoHeaders(headers)
                .build();
    }
}
