package io.plantmesh.erp.embedded.odata;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;

import io.vertx.core.json.JsonObject;

/**
 * Serving an entity set from stored documents: the {@code $filter} pushed down to MongoDB as equality conditions
 * (a numeric value also matches without leading zeros), checked again per entity, paged and rendered in SAP's
 * envelope.
 */
public final class DocumentQueries {

    private DocumentQueries() {
    }

    /**
     * The MongoDB filter for the options' conditions on fields under {@code prefix} (e.g.
     * {@code to_MaterialDocumentItem.} for entities stored inside their parent); matches all if there are none.
     */
    public static Bson pushDown(QueryOptions options, String prefix) {
        List<Bson> conditions = new ArrayList<>();
        for (QueryOptions.Condition condition : options.filter()) {
            String value = condition.value();
            boolean bool = value.equals("true") || value.equals("false");
            if (bool) {
                // stored as BSON booleans: checked per entity instead
                continue;
            }
            String field = prefix + condition.property();
            String stripped = ODataValues.withoutLeadingZeros(value);
            boolean numeric = !value.isEmpty() && value.chars().allMatch(Character::isDigit);
            conditions.add(numeric && !stripped.equals(value) ? Filters.in(field, value, stripped)
                : Filters.eq(field, value));
        }
        return conditions.isEmpty() ? new Document() : Filters.and(conditions);
    }

    /** The entities among {@code candidates} that match, paged, as {@code {"d": {"results": [...]}}}. */
    public static JsonObject collection(EntitySet set, List<Document> candidates, QueryOptions options,
            Function<String, EntitySet> targets) {
        List<Document> matching = new ArrayList<>();
        for (Document candidate : candidates) {
            if (options.matches(candidate::get)) {
                matching.add(candidate);
            }
        }
        List<JsonObject> entities = new ArrayList<>();
        for (Document document : options.page(matching)) {
            entities.add(ODataJson.entity(set, document, options.expand(), targets));
        }
        return ODataJson.collection(entities, options.inlineCount() ? (long) matching.size() : null);
    }

    /** One entity as {@code {"d": {...}}}, or 404 naming what was looked for. */
    public static JsonObject single(EntitySet set, Document document, QueryOptions options,
            Function<String, EntitySet> targets, String what) {
        if (document == null) {
            throw new ODataError(404, ODataError.NOT_FOUND, what + " does not exist (" + set.name() + ").");
        }
        return ODataJson.single(ODataJson.entity(set, document, options.expand(), targets));
    }
}
