package io.plantmesh.erp.embedded.finance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 *       computed from the line items when read.</li>
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
    private static final Set<String> PUSHED_DOWN = Set.of("OrderID", "CostCenter", "CompanyCode");

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
                return blocking(() -> {
                    List<Document> totals = totals(Filters.and(Filters.eq("OrderID", key.get("OrderID")),
                        Filters.eq("CostCenter", key.get("CostCenter"))));
                    return DocumentQueries.single(TOTALS, totals.isEmpty() ? null : totals.get(0), options, targets(),
                        "Cost of order " + key.get("OrderID") + " on cost centre " + key.get("CostCenter"));
                });
            }
            QueryOptions pushed = new QueryOptions(options.filter().stream()
                .filter(c -> PUSHED_DOWN.contains(c.property())).toList(), -1, 0, false, Set.of());
            return blocking(() -> DocumentQueries.collection(TOTALS, totals(DocumentQueries.pushDown(pushed, "")),
                options, targets()));
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

    /** Totals per order and cost centre of the postings matching {@code filter}, in key order. */
    private List<Document> totals(Bson filter) {
        Map<String, Totals> byKey = new LinkedHashMap<>();
        for (Document posting : store.collection(ErpStore.COST_POSTINGS).find(filter).sort(Sorts.ascending("OrderID",
                "CostCenter", "_id"))) {
            String order = posting.getString("OrderID");
            String costCenter = posting.getString("CostCenter");
            Totals totals = byKey.computeIfAbsent(order + "\u0000" + costCenter,
                k -> new Totals(order, costCenter, posting.getString("CompanyCode"),
                    posting.getString("CompanyCodeCurrency")));
            totals.add(posting);
        }
        List<Document> documents = new ArrayList<>();
        byKey.values().forEach(t -> documents.add(t.toDocument()));
        return documents;
    }

    private static final class Totals {
        private final String order;
        private final String costCenter;
        private final String companyCode;
        private final String currency;
        private BigDecimal material = BigDecimal.ZERO;
        private BigDecimal scrap = BigDecimal.ZERO;
        private BigDecimal machine = BigDecimal.ZERO;
        private BigDecimal machineHours = BigDecimal.ZERO;
        private BigDecimal output = BigDecimal.ZERO;
        private long count;

        Totals(String order, String costCenter, String companyCode, String currency) {
            this.order = order;
            this.costCenter = costCenter;
            this.companyCode = companyCode;
            this.currency = currency;
        }

        void add(Document posting) {
            BigDecimal amount = new BigDecimal(posting.getString("AmountInCompanyCodeCurrency"));
            BigDecimal quantity = new BigDecimal(posting.getString("Quantity"));
            boolean debit = "S".equals(posting.getString("DebitCreditCode"));
            switch (CostType.valueOf(posting.getString("CostType"))) {
                case MATERIAL_CONSUMPTION -> material = material.add(amount);
                case SCRAP -> scrap = scrap.add(amount);
                case PRODUCTION_OUTPUT -> output = output.add(amount);
                case MACHINE_TIME -> {
                    machine = machine.add(amount);
                    machineHours = debit ? machineHours.add(quantity) : machineHours.subtract(quantity);
                }
                default -> throw new IllegalStateException("unknown cost type in " + posting.toJson());
            }
            count++;
        }

        Document toDocument() {
            return new Document("OrderID", order)
                .append("CostCenter", costCenter)
                .append("CompanyCode", companyCode)
                .append("MaterialCost", material.toPlainString())
                .append("ScrapCost", scrap.toPlainString())
                .append("MachineCost", machine.toPlainString())
                .append("MachineHours", machineHours.toPlainString())
                .append("OutputCredit", output.toPlainString())
                .append("TotalCost", material.add(scrap).add(machine).add(output).toPlainString())
                .append("CompanyCodeCurrency", currency)
                .append("NumberOfPostings", Long.toString(count));
        }
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
