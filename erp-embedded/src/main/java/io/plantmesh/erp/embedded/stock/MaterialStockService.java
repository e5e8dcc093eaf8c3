package io.plantmesh.erp.embedded.stock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;

import org.bson.Document;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;

import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.StockLevel;
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
 * {@code API_MATERIAL_STOCK_SRV}, read-only: stock per material, plant and storage location
 * ({@code A_MatlStkInAcctMod}, read with e.g. {@code $filter=Material eq 'RM-100' and Plant eq 'plant1'}), and per
 * material ({@code A_MaterialStock('RM-100')/to_MatlStkInAcctMod}). Only unrestricted-use stock (stock type 01) is
 * kept; a place where nothing was ever booked has no entity (read: zero).
 */
public final class MaterialStockService implements ODataService {

    public static final String SERVICE = "API_MATERIAL_STOCK_SRV";

    public static final EntitySet STOCK = new EntitySet(SERVICE, "A_MatlStkInAcctMod", "A_MatlStkInAcctModType",
        List.of("Material", "Plant", "StorageLocation", "Batch", "Supplier", "Customer", "WBSElementInternalID",
            "SDDocument", "SDDocumentItem", "InventorySpecialStockType", "InventoryStockType"),
        Set.of("Material", "Plant", "StorageLocation", "Batch", "Supplier", "Customer", "WBSElementInternalID",
            "SDDocument", "SDDocumentItem", "InventorySpecialStockType", "InventoryStockType", "MaterialBaseUnit",
            "MatlWrhsStkQtyInMatlBaseUnit"),
        Map.of());
    public static final EntitySet MATERIAL_STOCK = new EntitySet(SERVICE, "A_MaterialStock", "A_MaterialStockType",
        List.of("Material"), Set.of("Material", "MaterialBaseUnit"), Map.of("to_MatlStkInAcctMod",
            "A_MatlStkInAcctMod"));

    private final Vertx vertx;
    private final ErpStore store;

    public MaterialStockService(Vertx vertx, ErpStore store) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public String name() {
        return SERVICE;
    }

    @Override
    public List<EntitySet> entitySets() {
        return List.of(STOCK, MATERIAL_STOCK);
    }

    @Override
    public Future<ODataResponse> create(ODataRequest request) {
        return Future.failedFuture(new ODataError(405, ODataError.METHOD_NOT_ALLOWED, SERVICE + " is read-only: "
            + "stock changes by goods movements (POST A_MaterialDocumentHeader of API_MATERIAL_DOCUMENT_SRV)."));
    }

    @Override
    public Future<ODataResponse> read(ODataRequest request) {
        String set = request.path().entitySet();
        if (set.equals(STOCK.name())) {
            QueryOptions options = request.options(STOCK);
            if (request.path().navigation() != null) {
                throw new ODataError(404, ODataError.NOT_FOUND, "A_MatlStkInAcctMod has no navigation property "
                    + request.path().navigation() + " here.");
            }
            if (request.path().addressesEntity()) {
                Map<String, String> key = request.path().keyFor(STOCK);
                return blocking(() -> {
                    Document level = store.collection(ErpStore.STOCK).find(Filters.eq("_id", StockLevel.key(
                        key.get("Plant"), key.get("StorageLocation"), key.get("Material")))).first();
                    boolean sameKey = level != null && key.entrySet().stream().allMatch(k ->
                        new QueryOptions.Condition(k.getKey(), k.getValue()).matches(level.getString(k.getKey())));
                    return DocumentQueries.single(STOCK, sameKey ? level : null, options, targets(),
                        "Stock of " + key.get("Material") + " in " + key.get("Plant") + "/"
                            + key.get("StorageLocation"));
                });
            }
            return blocking(() -> DocumentQueries.collection(STOCK, store.collection(ErpStore.STOCK)
                .find(DocumentQueries.pushDown(options, "")).sort(Sorts.ascending("Material", "Plant",
                    "StorageLocation")).into(new ArrayList<>()), options, targets()));
        }
        if (set.equals(MATERIAL_STOCK.name())) {
            return readMaterialStock(request);
        }
        throw new ODataError(404, ODataError.NOT_FOUND, "Entity set " + set + " is not served by " + SERVICE
            + "; it has A_MatlStkInAcctMod and A_MaterialStock.");
    }

    private Future<ODataResponse> readMaterialStock(ODataRequest request) {
        String navigation = request.path().navigation();
        if (navigation != null && !navigation.equals("to_MatlStkInAcctMod")) {
            throw new ODataError(404, ODataError.NOT_FOUND, "A_MaterialStock has no navigation property " + navigation
                + "; it has to_MatlStkInAcctMod.");
        }
        if (navigation != null) {
            String material = request.path().keyFor(MATERIAL_STOCK).get("Material");
            QueryOptions options = request.options(STOCK);
            return blocking(() -> DocumentQueries.collection(STOCK, store.collection(ErpStore.STOCK)
                .find(Filters.eq("Material", material)).sort(Sorts.ascending("Plant", "StorageLocation"))
                .into(new ArrayList<>()), options, targets()));
        }
        QueryOptions options = request.options(MATERIAL_STOCK);
        String only = request.path().addressesEntity() ? request.path().keyFor(MATERIAL_STOCK).get("Material")
            : options.valueOf("Material");
        return blocking(() -> {
            Map<String, Document> byMaterial = new LinkedHashMap<>();
            for (Document level : store.collection(ErpStore.STOCK)
                    .find(only == null ? new Document() : Filters.eq("Material", only))
                    .sort(Sorts.ascending("Material", "Plant", "StorageLocation"))) {
                String material = level.getString("Material");
                Document entity = byMaterial.computeIfAbsent(material, m -> new Document("Material", m)
                    .append("MaterialBaseUnit", level.getString("MaterialBaseUnit"))
                    .append("to_MatlStkInAcctMod", new ArrayList<Document>()));
                entity.getList("to_MatlStkInAcctMod", Document.class).add(level);
            }
            if (request.path().addressesEntity()) {
                return DocumentQueries.single(MATERIAL_STOCK, byMaterial.get(only), options, targets(),
                    "Stock of material " + only);
            }
            return DocumentQueries.collection(MATERIAL_STOCK, new ArrayList<>(byMaterial.values()), options,
                targets());
        });
    }

    private static Function<String, EntitySet> targets() {
        return name -> STOCK;
    }

    private Future<ODataResponse> blocking(Callable<JsonObject> read) {
        return vertx.executeBlocking(() -> ODataResponse.ok(read.call()), false);
    }
}
