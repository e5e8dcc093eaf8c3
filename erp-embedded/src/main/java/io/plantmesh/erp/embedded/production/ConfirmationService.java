package io.plantmesh.erp.embedded.production;

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
 * {@code API_PROD_ORDER_CONFIRMATION_2_SRV}: POST {@code ProdnOrdConf2} confirms yield, scrap and activities of an
 * order operation; GET reads confirmations by key or with {@code $filter} (e.g. {@code OrderID eq '...'}).
 */
public final class ConfirmationService implements ODataService {

    private final Vertx vertx;
    private final ErpStore store;
    private final PostingEngine engine;
    private final boolean requireRepeatability;

    public ConfirmationService(Vertx vertx, ErpStore store, PostingEngine engine, boolean requireRepeatability) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.requireRepeatability = requireRepeatability;
    }

    @Override
    public String name() {
        return Confirmations.SERVICE;
    }

    @Override
    public List<EntitySet> entitySets() {
        return List.of(Confirmations.CONFIRMATION, Confirmations.MOVEMENT);
    }

    @Override
    public Future<ODataResponse> create(ODataRequest request) {
        if (!request.path().entitySet().equals(Confirmations.CONFIRMATION.name())) {
            throw new ODataError(405, ODataError.METHOD_NOT_ALLOWED, "POST " + request.path().entitySet() + " is not "
                + "served; post confirmations to ProdnOrdConf2.");
        }
        Postings.requireRepeatability(request.repeatability(), requireRepeatability);
        ConfirmationRequest parsed = ConfirmationRequest.parse(request.body());
        return Postings.answer(vertx, engine.submit(new ConfirmationPosting(parsed, request.repeatability()),
            request.user()), request.repeatability());
    }

    @Override
    public Future<ODataResponse> read(ODataRequest request) {
        String set = request.path().entitySet();
        if (set.equals(Confirmations.MOVEMENT.name())) {
            QueryOptions options = request.options(Confirmations.MOVEMENT);
            if (request.path().addressesEntity()) {
                throw new ODataError(404, ODataError.NOT_FOUND, "The PlantMesh embedded ERP posts no goods movements "
                    + "with confirmations; read them from API_MATERIAL_DOCUMENT_SRV.");
            }
            return Future.succeededFuture(ODataResponse.ok(DocumentQueries.collection(Confirmations.MOVEMENT,
                List.of(), options, ConfirmationPosting.targets())));
        }
        if (!set.equals(Confirmations.CONFIRMATION.name())) {
            throw new ODataError(404, ODataError.NOT_FOUND, "Entity set " + set + " is not served by "
                + Confirmations.SERVICE + "; it has ProdnOrdConf2 and ProdnOrdConfMatlDocItm.");
        }
        if (!request.path().addressesEntity()) {
            QueryOptions options = request.options(Confirmations.CONFIRMATION);
            return blocking(() -> DocumentQueries.collection(Confirmations.CONFIRMATION,
                store.collection(ErpStore.CONFIRMATIONS).find(DocumentQueries.pushDown(options, ""))
                    .sort(Sorts.ascending("_id")).into(new ArrayList<>()), options, ConfirmationPosting.targets()));
        }
        Map<String, String> key = request.path().keyFor(Confirmations.CONFIRMATION);
        String group = ODataValues.withoutLeadingZeros(key.get("ConfirmationGroup"));
        String count = ODataValues.withoutLeadingZeros(key.get("ConfirmationCount"));
        String what = "Confirmation " + group + "/" + count;
        String navigation = request.path().navigation();
        if (navigation != null && !navigation.equals(Confirmations.MOVEMENTS_NAVIGATION)) {
            throw new ODataError(404, ODataError.NOT_FOUND, "ProdnOrdConf2 has no navigation property " + navigation
                + "; it has " + Confirmations.MOVEMENTS_NAVIGATION + ".");
        }
        QueryOptions options = request.options(navigation == null ? Confirmations.CONFIRMATION
            : Confirmations.MOVEMENT);
        return blocking(() -> {
            Document confirmation = store.collection(ErpStore.CONFIRMATIONS)
                .find(Filters.eq("_id", Confirmations.id(group, count))).first();
            if (navigation == null) {
                return DocumentQueries.single(Confirmations.CONFIRMATION, confirmation, options,
                    ConfirmationPosting.targets(), what);
            }
            if (confirmation == null) {
                throw new ODataError(404, ODataError.NOT_FOUND, what + " does not exist.");
            }
            return DocumentQueries.collection(Confirmations.MOVEMENT, List.of(), options,
                ConfirmationPosting.targets());
        });
    }

    private Future<ODataResponse> blocking(Callable<JsonObject> read) {
        return vertx.executeBlocking(() -> ODataResponse.ok(read.call()), false);
    }
}
