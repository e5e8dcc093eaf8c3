package io.plantmesh.erp.embedded.masterdata;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import org.bson.Document;

import com.mongodb.client.model.Sorts;

import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.WorkCenter;
import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.MasterDataDocuments;
import io.plantmesh.erp.embedded.engine.PostingEngine;
import io.plantmesh.erp.embedded.engine.PostingResult;
import io.plantmesh.erp.embedded.odata.ODataError;
import io.plantmesh.erp.embedded.odata.ODataJson;
import io.plantmesh.erp.embedded.odata.RequestGuard;
import io.plantmesh.erp.embedded.stock.GoodsMovementPosting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * PlantMesh's own administration of the embedded ERP's master data, <b>not an SAP API</b>: {@value #BASE_PATH}
 * {@code /materials} and {@code /work-centers}, GET lists, POST creates or replaces (a JSON object, an array, or
 * {@code {"materials": [...]}} / {@code {"workCenters": [...]}}); a material's {@code initialStock} is booked once
 * (movement type 561). Same Basic authentication and CSRF token as the OData services; errors in SAP's error shape.
 * Also {@code GET /plantmesh/erp/health} (no authentication).
 */
public final class MasterDataApi {

    public static final String BASE_PATH = "/plantmesh/erp/admin";
    public static final String HEALTH_PATH = "/plantmesh/erp/health";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String JSON = "application/json; charset=utf-8";

    private final Vertx vertx;
    private final ErpStore store;
    private final PostingEngine engine;
    private final RequestGuard guard;
    private final Clock clock;

    public MasterDataApi(Vertx vertx, ErpStore store, PostingEngine engine, RequestGuard guard, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        router.get(HEALTH_PATH).handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON)
            .end(new JsonObject().put("status", "UP").encode()));
        router.route(BASE_PATH + "/*")
            .handler(BodyHandler.create(false).setBodyLimit(1024 * 1024))
            .handler(guard::authenticate)
            .handler(guard::csrf)
            .failureHandler(this::failure);
        router.get(BASE_PATH + "/materials").handler(ctx -> answer(ctx, vertx.executeBlocking(() ->
            list(ErpStore.MATERIALS, "materials", d -> materialJson(MasterDataDocuments.material(d))), false)));
        router.get(BASE_PATH + "/work-centers").handler(ctx -> answer(ctx, vertx.executeBlocking(() ->
            list(ErpStore.WORK_CENTERS, "workCenters", d -> workCenterJson(MasterDataDocuments.workCenter(d))),
            false)));
        router.post(BASE_PATH + "/materials").handler(ctx -> answer(ctx, postMaterials(entries(ctx, "materials"),
            ctx.get(RequestGuard.USER))));
        router.post(BASE_PATH + "/work-centers").handler(ctx -> answer(ctx, postWorkCenters(entries(ctx,
            "workCenters"), ctx.get(RequestGuard.USER))));
    }

    private Future<JsonObject> postMaterials(JsonArray entries, String user) {
        List<MaterialMaster> materials = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            materials.add(material(entries.getValue(i), i));
        }
        CompletableFuture<JsonObject> done = engine.submit(new MasterDataUpdate(materials, List.of()), user)
            .thenCompose(updated -> bookInitialStock(materials, user))
            .thenApply(initial -> {
                JsonArray stored = new JsonArray();
                materials.forEach(m -> stored.add(materialJson(m)));
                return new JsonObject().put("materials", stored).put("initialStock", initial);
            });
        return Future.fromCompletionStage(done, vertx.getOrCreateContext());
    }

    /** Posts the initial stock of each material (once ever); the material documents, replayed or new. */
    public CompletableFuture<JsonArray> bookInitialStock(List<MaterialMaster> materials, String user) {
        List<CompletableFuture<JsonObject>> postings = new ArrayList<>();
        for (MaterialMaster material : materials) {
            GoodsMovementPosting posting = InitialStock.posting(material);
            if (posting != null) {
                postings.add(engine.submit(posting, user).thenApply(result -> initialStockJson(material, result)));
            }
        }
        return CompletableFuture.allOf(postings.toArray(CompletableFuture[]::new)).thenApply(all -> {
            JsonArray documents = new JsonArray();
            postings.forEach(p -> documents.add(p.join()));
            return documents;
        });
    }

    private static JsonObject initialStockJson(MaterialMaster material, PostingResult result) {
        JsonObject document = result.posted().body().getJsonObject("d");
        return new JsonObject().put("material", material.material()).put("plant", material.plant())
            .put("storageLocation", material.storageLocation())
            .put("quantity", material.initialStock().toPlainString())
            .put("materialDocument", document.getString("MaterialDocument"))
            .put("materialDocumentYear", document.getString("MaterialDocumentYear"))
            .put("alreadyBooked", result.replayed());
    }

    private Future<JsonObject> postWorkCenters(JsonArray entries, String user) {
        List<WorkCenter> centers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            centers.add(workCenter(entries.getValue(i), i));
        }
        CompletableFuture<JsonObject> done = engine.submit(new MasterDataUpdate(List.of(), centers), user)
            .thenApply(updated -> {
                JsonArray stored = new JsonArray();
                centers.forEach(c -> stored.add(workCenterJson(c)));
                return new JsonObject().put("workCenters", stored);
            });
        return Future.fromCompletionStage(done, vertx.getOrCreateContext());
    }

    private JsonObject list(String collection, String field, Function<Document, JsonObject> json) {
        JsonArray entries = new JsonArray();
        for (Document document : store.collection(collection).find().sort(Sorts.ascending("_id"))) {
            entries.add(json.apply(document));
        }
        return new JsonObject().put(field, entries);
    }

    private static JsonArray entries(RoutingContext ctx, String field) {
        String text = ctx.body().asString();
        Object parsed;
        try {
            parsed = text == null || text.isBlank() ? null : Json.decodeValue(text);
        } catch (DecodeException e) {
            throw ODataError.badRequest(ODataError.INVALID_REQUEST, "The body is not JSON: " + e.getMessage() + ".");
        }
        if (parsed instanceof JsonArray) {
            return (JsonArray) parsed;
        }
        if (parsed instanceof JsonObject) {
            JsonObject object = (JsonObject) parsed;
            return object.getValue(field) instanceof JsonArray ? object.getJsonArray(field)
                : new JsonArray().add(object);
        }
        throw ODataError.badRequest(ODataError.INVALID_REQUEST, "Send a JSON object, an array of them, or {\""
            + field + "\": [...]}.");
    }

    /** Reads a material from the admin JSON. */
    public static MaterialMaster material(Object entry, int index) {
        if (!(entry instanceof JsonObject)) {
            throw ODataError.badRequest(ODataError.INVALID_REQUEST, "Material " + (index + 1) + " is not a JSON "
                + "object.");
        }
        JsonObject json = (JsonObject) entry;
        try {
            return new MaterialMaster(json.getString("material"), json.getString("plant"),
                json.getString("description", ""), json.getString("baseUnit"), decimal(json, "standardPrice", "0"),
                json.getString("storageLocation", "0001"), json.getBoolean("negativeStockAllowed", false),
                decimal(json, "initialStock", "0"));
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw ODataError.badRequest(ODataError.INVALID_VALUE, "Material " + (index + 1) + " is invalid: "
                + e.getMessage() + ". Send material, plant, baseUnit, standardPrice and optionally description, "
                + "storageLocation, negativeStockAllowed, initialStock.");
        }
    }

    private static WorkCenter workCenter(Object entry, int index) {
        if (!(entry instanceof JsonObject)) {
            throw ODataError.badRequest(ODataError.INVALID_REQUEST, "Work centre " + (index + 1) + " is not a JSON "
                + "object.");
        }
        JsonObject json = (JsonObject) entry;
        try {
            return new WorkCenter(json.getString("workCenter"), json.getString("plant"), json.getString("costCenter"),
                decimal(json, "machineRatePerHour", "0"));
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw ODataError.badRequest(ODataError.INVALID_VALUE, "Work centre " + (index + 1) + " is invalid: "
                + e.getMessage() + ". Send workCenter, plant, costCenter, machineRatePerHour.");
        }
    }

    private static BigDecimal decimal(JsonObject json, String field, String fallback) {
        Object value = json.getValue(field);
        return new BigDecimal(value == null ? fallback : value.toString());
    }

    private static JsonObject materialJson(MaterialMaster material) {
        return new JsonObject().put("material", material.material()).put("plant", material.plant())
            .put("description", material.description()).put("baseUnit", material.baseUnit())
            .put("standardPrice", material.standardPrice().toPlainString())
            .put("storageLocation", material.storageLocation())
            .put("negativeStockAllowed", material.negativeStockAllowed())
            .put("initialStock", material.initialStock().toPlainString());
    }

    private static JsonObject workCenterJson(WorkCenter center) {
        return new JsonObject().put("workCenter", center.workCenter()).put("plant", center.plant())
            .put("costCenter", center.costCenter())
            .put("machineRatePerHour", center.machineRatePerHour().toPlainString());
    }

    private void answer(RoutingContext ctx, Future<JsonObject> result) {
        result.onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
            }
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(ar.result().encode());
        });
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        Throwable cause = ctx.failure();
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        ODataError error = cause instanceof ODataError ? (ODataError) cause : new ODataError(
            ctx.statusCode() >= 400 ? ctx.statusCode() : 500, ODataError.INTERNAL, "The admin request failed: "
                + cause + ".", "", cause);
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        ctx.response().setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
            .end(ODataJson.error(error, "PLANTMESH_ERP_ADMIN", HexFormat.of().withUpperCase().formatHex(id),
                clock.instant()).encode());
    }
}
