package io.plantmesh.erp.embedded.procurement;

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
import io.plantmesh.erp.embedded.odata.ODataValues;
import io.plantmesh.erp.embedded.odata.QueryOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * {@code API_PURCHASEREQ_PROCESS_SRV}: POST {@code A_PurchaseRequisitionHeader} with items in
 * {@code to_PurchaseReqnItem} creates a requisition; GET reads headers and items by key or with {@code $filter}
 * (e.g. open requisitions of a material: {@code A_PurchaseRequisitionItem?$filter=Material eq 'RM-100' and
 * IsClosed eq false}).
 */
public final class PurchaseRequisitionService implements ODataService {

    private final Vertx vertx;
    private final ErpStore store;
    private final PostingEngine engine;
    private final boolean requireRepeatability;

    public PurchaseRequisitionService(Vertx vertx, ErpStore store, PostingEngine engine,
            boolean requireRepeatability) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.requireRepeatability = requireRepeatability;
    }

    @Override
    public String name() {
        return PurchaseRequisitions.SERVICE;
    }

    @Override
    public List<EntitySet> entitySets() {
        return List.of(PurchaseRequisitions.HEADER, PurchaseRequisitions.ITEM);
    }

    @Override
    public Future<ODataResponse> create(ODataRequest request) {
        if (!request.path().entitySet().equals(PurchaseRequisitions.HEADER.name())) {
            throw new ODataError(405, ODataError.METHOD_NOT_ALLOWED, "POST " + request.path().entitySet() + " is not "
                + "served; post a whole requisition to A_PurchaseRequisitionHeader with its items in "
                + PurchaseRequisitions.ITEMS_NAVIGATION + ".");
        }
        Postings.requireRepeatability(request.repeatability(), requireRepeatability);
        RequisitionRequest parsed = RequisitionRequest.parse(request.body());
        return Postings.answer(vertx, engine.submit(new RequisitionCreation(parsed, request.repeatability()),
            request.user()), request.repeatability());
    }

    @Override
    public Future<ODataResponse> read(ODataRequest request) {
        String set = request.path().entitySet();
        if (set.equals(PurchaseRequisitions.HEADER.name())) {
            return readHeaders(request);
        }
        if (!set.equals(PurchaseRequisitions.ITEM.name())) {
            throw new ODataError(404, ODataError.NOT_FOUND, "Entity set " + set + " is not served by "
                + PurchaseRequisitions.SERVICE + "; it has A_PurchaseRequisitionHeader and A_PurchaseRequisitionItem.");
        }
        if (request.path().navigation() != null) {
            throw new ODataError(404, ODataError.NOT_FOUND, "A_PurchaseRequisitionItem has no navigation property "
                + request.path().navigation() + " here.");
        }
        QueryOptions options = request.options(PurchaseRequisitions.ITEM);
        if (request.path().addressesEntity()) {
            Map<String, String> key = request.path().keyFor(PurchaseRequisitions.ITEM);
            return blocking(() -> {
                Document requisition = requisition(key.get("PurchaseRequisition"));
                Document item = requisition == null ? null : items(requisition).stream()
                    .filter(i -> new QueryOptions.Condition("PurchaseRequisitionItem",
                        key.get("PurchaseRequisitionItem")).matches(i.getString("PurchaseRequisitionItem")))
                    .findFirst().orElse(null);
                return DocumentQueries.single(PurchaseRequisitions.ITEM, item, options,
                    RequisitionCreation.targets(), "Item " + key.get("PurchaseRequisitionItem")
                        + " of purchase requisition " + key.get("PurchaseRequisition"));
            });
        }
        return blocking(() -> {
            List<Document> candidates = new ArrayList<>();
            for (Document requisition : store.collection(ErpStore.REQUISITIONS)
                    .find(DocumentQueries.pushDown(options, PurchaseRequisitions.ITEMS_NAVIGATION + "."))
                    .sort(Sorts.ascending("_id"))) {
                candidates.addAll(items(requisition));
            }
            return DocumentQueries.collection(PurchaseRequisitions.ITEM, candidates, options,
                RequisitionCreation.targets());
        });
    }

    private Future<ODataResponse> readHeaders(ODataRequest request) {
        if (!request.path().addressesEntity()) {
            QueryOptions options = request.options(PurchaseRequisitions.HEADER);
            return blocking(() -> DocumentQueries.collection(PurchaseRequisitions.HEADER,
                store.collection(ErpStore.REQUISITIONS).find(DocumentQueries.pushDown(options, ""))
                    .sort(Sorts.ascending("_id")).into(new ArrayList<>()), options, RequisitionCreation.targets()));
        }
        String number = request.path().keyFor(PurchaseRequisitions.HEADER).get("PurchaseRequisition");
        String what = "Purchase requisition " + number;
        String navigation = request.path().navigation();
        if (navigation == null) {
            QueryOptions options = request.options(PurchaseRequisitions.HEADER);
            return blocking(() -> DocumentQueries.single(PurchaseRequisitions.HEADER, requisition(number), options,
                RequisitionCreation.targets(), what));
        }
        if (!navigation.equals(PurchaseRequisitions.ITEMS_NAVIGATION)) {
            throw new ODataError(404, ODataError.NOT_FOUND, "A_PurchaseRequisitionHeader has no navigation property "
                + navigation + "; it has " + PurchaseRequisitions.ITEMS_NAVIGATION + ".");
        }
        QueryOptions options = request.options(PurchaseRequisitions.ITEM);
        return blocking(() -> {
            Document requisition = requisition(number);
            if (requisition == null) {
                throw new ODataError(404, ODataError.NOT_FOUND, what + " does not exist.");
            }
            return DocumentQueries.collection(PurchaseRequisitions.ITEM, items(requisition), options,
                RequisitionCreation.targets());
        });
    }

    private Document requisition(String number) {
        return store.collection(ErpStore.REQUISITIONS)
            .find(Filters.eq("_id", ODataValues.withoutLeadingZeros(number))).first();
    }

    private static List<Document> items(Document requisition) {
        return requisition.getList(PurchaseRequisitions.ITEMS_NAVIGATION, Document.class, List.of());
    }

    private Future<ODataResponse> blocking(Callable<JsonObject> read) {
        return vertx.executeBlocking(() -> ODataResponse.ok(read.call()), false);
    }
}
