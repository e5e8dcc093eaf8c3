package io.plantmesh.erp.embedded.finance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Date;

import org.bson.Document;

import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.PostingContext;
import io.plantmesh.erp.embedded.odata.ODataValues;

/**
 * Finance's ledger: one cost posting per cost-relevant goods movement item or confirmation, on an order and a cost
 * centre, in collection {@value ErpStore#COST_POSTINGS} (served as {@code OrderCostPosting}). Amounts are signed as in
 * SAP's universal journal: debit positive ({@code DebitCreditCode} {@code S}), credit negative ({@code H}).
 * <p>
 * Called by goods movements and confirmations inside their own posting, so a cost is in the books exactly when its
 * movement or confirmation is.
 */
public final class CostPostings {

    /** What to post. */
    public record Line(CostType type, String orderId, String costCenter, String workCenter, String material,
            BigDecimal quantity, String unit, BigDecimal price, String referenceType, String referenceDocument,
            String referenceItem) {
    }

    private static final long FIRST_NUMBER = 1;
    private static final String COUNTER = "costPosting";

    private CostPostings() {
    }

    /**
     * Posts {@code line}: amount = quantity x price, positive for a debit; a zero amount is not posted.
     *
     * @param debit whether the order / cost centre is debited (consumption, scrap, machine time) or credited
     *        (production output, reversals of consumption)
     */
    public static void post(PostingContext context, Line line, boolean debit) {
        BigDecimal amount = line.quantity().multiply(line.price()).setScale(ODataValues.AMOUNT_SCALE,
            RoundingMode.HALF_UP);
        if (amount.signum() == 0) {
            return;
        }
        BigDecimal signed = debit ? amount : amount.negate();
        long number = context.nextNumber(COUNTER, FIRST_NUMBER);
        String id = String.format("%010d", number);
        Date postingDate = ODataValues.dayStart(context.today());
        Document posting = new Document("_id", id)
            .append("CostPosting", id)
            .append("CompanyCode", context.settings().companyCode())
            .append("FiscalYear", Integer.toString(context.today().getYear()))
            .append("PostingDate", postingDate)
            .append("OrderID", line.orderId() == null ? "" : line.orderId())
            .append("CostCenter", line.costCenter())
            .append("WorkCenter", line.workCenter() == null ? "" : line.workCenter())
            .append("CostType", line.type().name())
            .append("CostElement", line.type().costElement())
            .append("Material", line.material() == null ? "" : line.material())
            .append("Quantity", ODataValues.quantity(line.quantity()))
            .append("Unit", line.unit())
            .append("Price", line.price().toPlainString())
            .append("AmountInCompanyCodeCurrency", signed.toPlainString())
            .append("CompanyCodeCurrency", context.settings().currency())
            .append("DebitCreditCode", debit ? "S" : "H")
            .append("ReferenceDocumentType", line.referenceType())
            .append("ReferenceDocument", line.referenceDocument())
            .append("ReferenceDocumentItem", line.referenceItem() == null ? "" : line.referenceItem())
            .append("CreatedByUser", context.user())
            .append("_createdAt", context.nowDate());
        context.write(ErpStore.COST_POSTINGS, posting);
        Document totals = OrderCostLedger.plus(context.state().orderCosts(posting.getString("OrderID")), posting);
        context.state().putOrderCosts(totals.getString("_id"), totals);
        context.write(ErpStore.ORDER_COSTS, totals);
    }
}
