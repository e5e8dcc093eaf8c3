package io.plantmesh.erp.embedded.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import org.bson.Document;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.PostingEngine;
import io.plantmesh.erp.embedded.engine.Postings;
import io.plantmesh.erp.embedded.odata.DocumentQueries;
import io.plantmesh.erp.embedded.odata.EntitySet;
import io.plantmesh.erp.embedded.odata.ODataError;
import io.plantmesh.erp.embedded.odata.ODataRequest;
import io.plantmesh.erp.embedded.odata.ODataResponse;
import io.plantmesh.erp.embedded.odata.ODataService;
import io.plantmesh.erp.embedded.odata.QueryOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code API_MATERIAL_DOCUMENT_SRV}: goods movements. POST {@code A_MaterialDocumentHeader} with items in
 * {@code to_MaterialDocumentItem} posts a material document; GET reads headers and items, by key or with
 * {@code $filter} (e.g. all items of an order: {@code A_MaterialDocumentItem?$filter=ManufacturingOrder eq '...'}).
 */
public final class MaterialDocumentService implements ODataService {

    private final Vertx vertx;
    private final ErpStore store;
    private final PostingEngine engine;
    private final boolean requireRepeatability;

    public MaterialDocumentService(Vertx vertx, ErpStore store, PostingEngine engine, boolean requireRepeatability) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.requireRepeatability = requireRepeatability;
    }

    @Override
    public String name() {
        return MaterialDocuments.SERVICE;
    }

    @Override
    public List<EntitySet> entitySets() {
        return List.of(MaterialDocuments.HEADER, MaterialDocuments.ITEM);
    }

    @Override
    public Future<ODataResponse> create(ODataRequest request) {
        if (!request.path().entitySet().equals(MaterialDocuments.HEADER.name())) {
            throw new ODataError(405, ODataError.METHOD_NOT_ALLOWED, "POST " + request.path().entitySet() + " is not "
                + "served; post a whole material document to A_MaterialDocumentHeader with its items in "
                + "to_MaterialDocumentItem.");
        }
        Postings.requireRepeatability(request.repeatability(), requireRepeatability);
        MaterialDocumentRequest parsed = MaterialDocumentRequest.parse(request.body());
        return Postings.answer(vertx, engine.submit(new GoodsMovementPosting(parsed, request.repeatability()),
            request.user()), request.repeatability());
    }

    @Override
    public Future<ODataResponse> read(ODataRequest request) {
        String set = request.path().entitySet();
        if (set.equals(MaterialDocuments.HEADER.name())) {
            return readHeaders(request);
        }
        if (set.equals(MaterialDocuments.ITEM.name())) {
            if (request.path().navigation() != null) {
                throw new ODataError(404, ODataError.NOT_FOUND, "A_MaterialDocumentItem has no navigation property "
                    + request.path().navigation() + " here.");
            }
            QueryOptions options = request.options(MaterialDocuments.ITEM);
            if (request.path().addressesEntity()) {
                Map<String, String> key = request.path().keyFor(MaterialDocuments.ITEM);
                return blocking(() -> {
                    Document header = header(key.get("MaterialDocumentYear"), key.get("MaterialDocument"));
                    Document item = header == null ? null : items(header).stream()
                        .filter(i -> new QueryOptions.Condition("MaterialDocumentItem",
                            key.get("MaterialDocumentItem")).matches(i.getString("MaterialDocumentItem")))
                        .findFirst().orElse(null);
                    return DocumentQueries.single(MaterialDocuments.ITEM, item, options, GoodsMovementPosting.targets(),
                        "Item " + key.get("MaterialDocumentItem") + " of material document "
                            + key.get("MaterialDocument") + "/" + key.get("MaterialDocumentYear"));
                });
            }
            return blocking(() -> {
                List<Document> candidates = new ArrayList<>();
                for (Document header : store.collection(ErpStore.MATERIAL_DOCUMENTS)
                        .find(DocumentQueries.pushDown(options, MaterialDocuments.ITEMS_NAVIGATION + "."))
                        .sort(Sorts.ascending("_id"))) {
                    candidates.addAll(items(header));
                }
                return DocumentQueries.collection(MaterialDocuments.ITEM, candidates, options,
                    GoodsMovementPosting.targets());
            });
        }
        throw new ODataError(404, ODataError.NOT_FOUND, "Entity set " + set + " is not served by "
            + MaterialDocuments.SERVICE + "; it has A_MaterialDocumentHeader and A_MaterialDocumentItem.");
    }

    private Future<ODataResponse> readHeaders(ODataRequest request) {
        if (!request.path().addressesEntity()) {
            QueryOptions options = request.options(MaterialDocuments.HEADER);
            return blocking(() -> DocumentQueries.collection(MaterialDocuments.HEADER,
                store.collection(ErpStore.MATERIAL_DOCUMENTS).find(DocumentQueries.pushDown(options, ""))
                    .sort(Sorts.ascending("_id")).into(new ArrayList<>()),
                options, GoodsMovementPosting.targets()));
        }
        Map<String, String> key = request.path().keyFor(MaterialDocuments.HEADER);
        String what = "Material document " + key.get("MaterialDocument") + " of " + key.get("MaterialDocumentYear");
        String navigation = request.path().navigation();
        if (navigation == null) {
            QueryOptions options = request.options(MaterialDocuments.HEADER);
            return blocking(() -> DocumentQueries.single(MaterialDocuments.HEADER,
                header(key.get("MaterialDocumentYear"), key.get("MaterialDocument")), options,
                GoodsMovementPosting.targets(), what));
        }
        if (!navigation.equals(MaterialDocuments.ITEMS_NAVIGATION)) {
            throw new ODataError(404, ODataError.NOT_FOUND, "A_MaterialDocumentHeader has no navigation property "
                + navigation + "; it has " + MaterialDocuments.ITEMS_NAVIGATION + ".");
        }
        QueryOptions options = request.options(MaterialDocuments.ITEM);
        return blocking(() -> {
            Document header = header(key.get("MaterialDocumentYear"), key.get("MaterialDocument"));
            if (header == null) {
                throw new ODataError(404, ODataError.NOT_FOUND, what + " does not exist.");
            }
            return DocumentQueries.collection(MaterialDocuments.ITEM, items(header), options,
                GoodsMovementPosting.targets());
        });
    }

    private Document header(String year, String number) {
        return store.collection(ErpStore.MATERIAL_DOCUMENTS).find(Filters.eq("_id", MaterialDocuments.id(year,
            number))).first();
    }

    private static List<Document> items(Document header) {
        return header.getList(MaterialDocuments.ITEMS_NAVIGATION, Document.class, List.of());
    }

    private Future<ODataResponse> blocking(Callable<JsonObject> read) {
        return vertx.executeBlocking(() -> ODataResponse.ok(read.call()), false);
    }
}
