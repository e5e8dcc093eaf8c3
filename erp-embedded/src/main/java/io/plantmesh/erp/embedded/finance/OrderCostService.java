package io.plantmesh.erp.embedded.finance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.plantmesh.erp.embedded.engine.ErpStore;
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
 * {@value #NAME}: the embedded ERP's order cost ledger, read-only. <b>Not an SAP API.</b> It is shaped like one
 * (OData V2 JSON, {@code $filter} on key fields, SAP-style property names) so that the bridge reads it with the same
 * client; against a real S/4HANA the same costs arise from confirmations and goods movements and are read with
 * SAP's journal entry APIs instead (see docs/erp-api.md).
 * <ul>
 *   <li>{@code OrderCostPosting}: the line items (key {@code CostPosting}).</li>
 *   <li>{@code OrderCostTotal}: totals per order and cost centre (keys {@code OrderID}, {@code CostCenter}),
 *       kept with every posting ({@link OrderCostLedger}); a filter on {@code OrderID} reads one document.</li>
 * </ul>
 */
public final class OrderCostService implements ODataService {

    public static final String NAME = "ZPLANTMESH_ORDER_COST_SRV";

    public static final EntitySet POSTINGS = new EntitySet(NAME, "OrderCostPosting", "OrderCostPostingType",
        List.of("CostPosting"),
        Set.of("CostPosting", "CompanyCode", "FiscalYear", "PostingDate", "OrderID", "CostCenter", "WorkCenter",
            "CostType", "CostElement", "Material", "Quantity", "Unit", "Price", "AmountInCompanyCodeCurrency",
            "CompanyCodeCurrency", "DebitCreditCode", "ReferenceDocumentType", "ReferenceDocument",
            "ReferenceDocumentItem", "CreatedByUser"),
        Map.of());
    public static final EntitySet TOTALS = new EntitySet(NAME, "OrderCostTotal", "OrderCostTotalType",
        List.of("OrderID", "CostCenter"),
        Set.of("OrderID", "CostCenter", "CompanyCode", "MaterialCost", "ScrapCost", "MachineCost", "MachineHours",
            "OutputCredit", "TotalCost", "CompanyCodeCurrency", "NumberOfPostings"),
        Map.of());

    private final Vertx vertx;
    private final ErpStore store;

    public OrderCostService(Vertx vertx, ErpStore store) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<EntitySet> entitySets() {
        return List.of(POSTINGS, TOTALS);
    }

    @Override
    public Future<ODataResponse> read(ODataRequest request) {
        String set = request.path().entitySet();
        if (request.path().navigation() != null) {
            throw new ODataError(404, ODataError.NOT_FOUND, set + " has no navigation property "
                + request.path().navigation() + ".");
        }
        if (set.equals(POSTINGS.name())) {
            QueryOptions options = request.options(POSTINGS);
            if (request.path().addressesEntity()) {
                String number = request.path().keyFor(POSTINGS).get("CostPosting");
                String id = String.format("%10s", number).replace(' ', '0');
                return blocking(() -> DocumentQueries.single(POSTINGS, store.collection(ErpStore.COST_POSTINGS)
                    .find(Filters.eq("_id", id)).first(), options, targets(), "Cost posting " + number));
            }
            return blocking(() -> DocumentQueries.collection(POSTINGS, store.collection(ErpStore.COST_POSTINGS)
                .find(DocumentQueries.pushDown(options, "")).sort(Sorts.ascending("_id"))
                .into(new ArrayList<>()), options, targets()));
        }
        if (set.equals(TOTALS.name())) {
            QueryOptions options = request.options(TOTALS);
            if (request.path().addressesEntity()) {
                Map<String, String> key = request.path().keyFor(TOTALS);
                QueryOptions byKey = new QueryOptions(List.of(new QueryOptions.Condition("OrderID", key.get("OrderID")),
                    new QueryOptions.Condition("CostCenter", key.get("CostCenter"))), -1, 0, false, Set.of());
                return blocking(() -> {
                    List<Document> totals = totals(byKey);
                    return DocumentQueries.single(TOTALS, totals.isEmpty() ? null : totals.get(0), options, targets(),
                        "Cost of order " + key.get("OrderID") + " on cost centre " + key.get("CostCenter"));
                });
            }
            return blocking(() -> DocumentQueries.collection(TOTALS, totals(options), options, targets()));
        }
        throw new ODataError(404, ODataError.NOT_FOUND, "Entity set " + set + " is not served by " + NAME
            + "; it has OrderCostPosting and OrderCostTotal.");
    }

    @Override
    public Future<ODataResponse> create(ODataRequest request) {
        return Future.failedFuture(new ODataError(405, ODataError.METHOD_NOT_ALLOWED, NAME + " is read-only: costs "
            + "are posted by goods movements (API_MATERIAL_DOCUMENT_SRV) and confirmations "
            + "(API_PROD_ORDER_CONFIRMATION_2_SRV)."));
    }

    /**
     * The totals per order and cost centre matching {@code options}' conditions, in key order: by {@code _id} when
     * the filter names the order, else from all orders' totals.
     */
    private List<Document> totals(QueryOptions options) {
        String order = null;
        for (QueryOptions.Condition condition : options.filter()) {
            if (condition.property().equals("OrderID")) {
                order = condition.value();
            }
        }
        // numeric ids match with or without leading zeros, as everywhere in $filter
        Bson byOrder = order == null ? new Document()
            : Filters.in("_id", order, ODataValues.withoutLeadingZeros(order));
        List<Document> entities = new ArrayList<>();
        for (Document totals : store.collection(ErpStore.ORDER_COSTS).find(byOrder).sort(Sorts.ascending("_id"))) {
            for (Document entity : OrderCostLedger.entities(totals)) {
                if (options.matches(entity::get)) {
                    entities.add(entity);
                }
            }
        }
        return entities;
    }

    private static Function<String, EntitySet> targets() {
        return name -> {
            throw new IllegalStateException("no navigation in " + NAME);
        };
    }

    private Future<ODataResponse> blocking(Callable<JsonObject> read) {
        return vertx.executeBlocking(() -> ODataResponse.ok(read.call()), false);
    }
}
