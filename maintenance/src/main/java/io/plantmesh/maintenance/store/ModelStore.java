package io.plantmesh.maintenance.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

import io.vertx.core.json.JsonObject;

/**
 * The health models in MongoDB (the same store as the rest of the mesh; any MongoDB through the official driver):
 * collection {@value #MODELS}, one document per machine ({@code _id} = thing id, {@code model} = the model's JSON,
 * {@code savedAt}), and the failure levels learned across machines as the document {@value #LEVELS_ID} of the same
 * collection. Every access is by exact {@code _id} (the embedded store indexes only that). Blocking: call it off the
 * event loop.
 */
public final class ModelStore {

    /** Collection of the models. */
    public static final String MODELS = "maintenance_models";
    /** {@code _id} of the failure-levels document. */
    public static final String LEVELS_ID = "_failure-levels";

    private final MongoCollection<Document> models;

    public ModelStore(final MongoDatabase database) {
        this.models = database.getCollection(MODELS);
    }

    /** Every saved model by machine id (the failure levels left out). */
    public Map<String, JsonObject> loadModels() {
        final Map<String, JsonObject> result = new LinkedHashMap<>();
        for (final Document doc : models.find()) {
            final String id = doc.getString("_id");
            if (!LEVELS_ID.equals(id) && doc.get("model") instanceof Document model) {
                result.put(id, new JsonObject(model.toJson()));
            }
        }
        return result;
    }

    /** The saved failure levels, or an empty object. */
    public JsonObject loadLevels() {
        final Document doc = models.find(Filters.eq("_id", LEVELS_ID)).first();
        return doc != null && doc.get("levels") instanceof Document levels ? new JsonObject(levels.toJson())
                : new JsonObject();
    }

    public void saveModel(final String machineId, final JsonObject model, final Instant at) {
        models.replaceOne(Filters.eq("_id", machineId), new Document("_id", machineId)
                .append("model", Document.parse(model.encode()))
                .append("savedAt", at.toString()), new ReplaceOptions().upsert(true));
    }

    public void saveLevels(final JsonObject levels, final Instant at) {
        models.replaceOne(Filters.eq("_id", LEVELS_ID), new Document("_id", LEVELS_ID)
                .append("levels", Document.parse(levels.encode()))
                .append("savedAt", at.toString()), new ReplaceOptions().upsert(true));
    }
}
