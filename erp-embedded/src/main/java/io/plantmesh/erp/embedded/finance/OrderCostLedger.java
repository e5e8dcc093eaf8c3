package io.plantmesh.erp.embedded.finance;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bson.Document;

import io.plantmesh.erp.embedded.engine.ErpStore;

/**
 * The ledger per order and cost centre, kept up to date with every cost posting: one document per order in
 * collection {@value ErpStore#ORDER_COSTS} ({@code _id} = the order), holding its totals per cost centre, so that
 * {@code OrderCostTotal?$filter=OrderID eq '...'} is one look-up by {@code _id} instead of a scan of all postings.
 * Documents are values: a change makes a new one (the head state may still be storing the previous one).
 */
public final class OrderCostLedger {

    static final String COST_CENTERS = "costCenters";

    private OrderCostLedger() {
    }

    /** The order's totals document with {@code posting} (a stored {@code OrderCostPosting}) added. */
    public static Document plus(Document current, Document posting) {
        String order = posting.getString("OrderID");
        Map<String, Document> centers = new TreeMap<>();
        if (current != null) {
            for (Document center : current.getList(COST_CENTERS, Document.class, List.of())) {
                centers.put(center.getString("CostCenter"), center);
            }
        }
        String costCenter = posting.getString("CostCenter");
        Document before = centers.get(costCenter);
        centers.put(costCenter, add(before, posting));
        return new Document("_id", order).append("OrderID", order).append(COST_CENTERS,
            new ArrayList<>(centers.values()));
    }

    /** The {@code OrderCostTotal} entities of an order's totals document, in cost centre order. */
    public static List<Document> entities(Document totals) {
        List<Document> entities = new ArrayList<>();
        String order = totals.getString("OrderID");
        for (Document center : totals.getList(COST_CENTERS, Document.class, List.of())) {
            BigDecimal total = decimal(center, "MaterialCost").add(decimal(center, "ScrapCost"))
                .add(decimal(center, "MachineCost")).add(decimal(center, "OutputCredit"));
            entities.add(new Document("OrderID", order)
                .append("CostCenter", center.getString("CostCenter"))
                .append("CompanyCode", center.getString("CompanyCode"))
                .append("MaterialCost", center.getString("MaterialCost"))
                .append("ScrapCost", center.getString("ScrapCost"))
                .append("MachineCost", center.getString("MachineCost"))
                .append("MachineHours", center.getString("MachineHours"))
                .append("OutputCredit", center.getString("OutputCredit"))
                .append("TotalCost", total.toPlainString())
                .append("CompanyCodeCurrency", center.getString("CompanyCodeCurrency"))
                .append("NumberOfPostings", center.getString("NumberOfPostings")));
        }
        return entities;
    }

    private static Document add(Document center, Document posting) {
        BigDecimal material = decimal(center, "MaterialCost");
        BigDecimal scrap = decimal(center, "ScrapCost");
        BigDecimal machine = decimal(center, "MachineCost");
        BigDecimal machineHours = decimal(center, "MachineHours");
        BigDecimal output = decimal(center, "OutputCredit");
        long count = center == null ? 0 : Long.parseLong(center.getString("NumberOfPostings"));
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
        return new Document("CostCenter", posting.getString("CostCenter"))
            .append("CompanyCode", center == null ? posting.getString("CompanyCode") : center.getString("CompanyCode"))
            .append("CompanyCodeCurrency", center == null ? posting.getString("CompanyCodeCurrency")
                : center.getString("CompanyCodeCurrency"))
            .append("MaterialCost", material.toPlainString())
            .append("ScrapCost", scrap.toPlainString())
            .append("MachineCost", machine.toPlainString())
            .append("MachineHours", machineHours.toPlainString())
            .append("OutputCredit", output.toPlainString())
            .append("NumberOfPostings", Long.toString(count + 1));
    }

    private static BigDecimal decimal(Document document, String field) {
        return document == null ? BigDecimal.ZERO : new BigDecimal(document.getString(field));
    }
}
