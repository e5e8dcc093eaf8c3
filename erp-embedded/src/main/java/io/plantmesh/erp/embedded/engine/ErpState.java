package io.plantmesh.erp.embedded.engine;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;

import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.WorkCenter;

/**
 * The head state postings are computed on: master data, stock, number counters, confirmation groups, open
 * purchase requisitions and cost totals per order, all in memory. Owned by the posting thread alone; it is loaded from the store at start and
 * after any failure, so it never runs ahead of what is durable for longer than one batch.
 * <p>
 * Documents held here are never changed in place: a change replaces them, because the previous instance may still be
 * on its way to the store.
 */
public final class ErpState {

    private final Map<String, MaterialMaster> materials = new HashMap<>();
    private final Map<String, WorkCenter> workCenters = new HashMap<>();
    private final Map<String, StockLevel> stock = new HashMap<>();
    private final Map<String, Long> counters = new HashMap<>();
    private final Map<String, Document> confirmationGroups = new HashMap<>();
    private final Map<String, Document> openRequisitions = new TreeMap<>();
    private final Map<String, Document> orderCosts = new HashMap<>();
    private long lastSequence;

    /** The material's master data in the plant, or null if it is not known there. */
    public MaterialMaster material(String plant, String material) {
        return materials.get(MasterDataDocuments.materialKey(plant, material));
    }

    public void putMaterial(MaterialMaster master) {
        materials.put(MasterDataDocuments.materialKey(master.plant(), master.material()), master);
    }

    /** The work centre, or null if it has no master data. */
    public WorkCenter workCenter(String id) {
        return workCenters.get(id);
    }

    public void putWorkCenter(WorkCenter center) {
        workCenters.put(center.workCenter(), center);
    }

    /** The stock level, or null if nothing was ever booked there. */
    public StockLevel stock(String plant, String storageLocation, String material) {
        return stock.get(StockLevel.key(plant, storageLocation, material));
    }

    /** The quantity in stock, zero if nothing was ever booked there. */
    public BigDecimal quantity(String plant, String storageLocation, String material) {
        StockLevel level = stock(plant, storageLocation, material);
        return level == null ? BigDecimal.ZERO : level.quantity();
    }

    public void putStock(StockLevel level) {
        stock.put(level.key(), level);
    }

    /** The last number handed out by {@code counter}, or {@code first - 1} if none was. */
    public long counter(String counter, long first) {
        return counters.getOrDefault(counter, first - 1);
    }

    void putCounter(String counter, long value) {
        counters.put(counter, value);
    }

    /** The confirmation group document for an order, operation and sequence, or null. */
    public Document confirmationGroup(String key) {
        return confirmationGroups.get(key);
    }

    public void putConfirmationGroup(String key, Document group) {
        confirmationGroups.put(key, group);
    }

    /** Open (not yet received) purchase requisitions by number, in number order. */
    public Collection<Document> openRequisitions() {
        return openRequisitions.values();
    }

    public void putOpenRequisition(String number, Document requisition) {
        openRequisitions.put(number, requisition);
    }

    public void closeRequisition(String number) {
        openRequisitions.remove(number);
    }

    /** The order's cost totals document (see {@code OrderCostLedger}), or null if nothing was posted on it. */
    public Document orderCosts(String orderId) {
        return orderCosts.get(orderId);
    }

    public void putOrderCosts(String orderId, Document totals) {
        orderCosts.put(orderId, totals);
    }

    /** The journal sequence of the last posting that is durable. */
    public long lastSequence() {
        return lastSequence;
    }

    void setLastSequence(long sequence) {
        lastSequence = sequence;
    }
}
