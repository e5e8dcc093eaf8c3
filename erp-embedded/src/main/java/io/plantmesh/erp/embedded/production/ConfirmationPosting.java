package io.plantmesh.erp.embedded.production;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.bson.Document;

import io.plantmesh.erp.embedded.WorkCenter;
import io.plantmesh.erp.embedded.engine.ErpCommand;
import io.plantmesh.erp.embedded.engine.ErpState;
import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.Posted;
import io.plantmesh.erp.embedded.engine.PostingContext;
import io.plantmesh.erp.embedded.finance.CostPostings;
import io.plantmesh.erp.embedded.finance.CostType;
import io.plantmesh.erp.embedded.odata.EntitySet;
import io.plantmesh.erp.embedded.odata.ODataJson;
import io.plantmesh.erp.embedded.odata.ODataValues;
import io.plantmesh.erp.embedded.odata.Repeatability;

/**
 * Posts a production order confirmation. As in SAP, each order operation (order, sequence, operation) has one
 * confirmation group, numbered when it is first confirmed, and every confirmation of it gets the next count; the
 * key is {@code (ConfirmationGroup, ConfirmationCount)}. The order is not checked: any order id is accepted.
 * Machine time (activity 1) is costed at the work centre's machine-hour rate on its cost centre.
 */
public final class ConfirmationPosting implements ErpCommand {

    /** First confirmation group number. */
    public static final long FIRST_GROUP = 10_000;

    private final ConfirmationRequest request;
    private final Repeatability repeatability;

    public ConfirmationPosting(ConfirmationRequest request, Repeatability repeatability) {
        this.request = Objects.requireNonNull(request, "request");
        this.repeatability = repeatability;
    }

    @Override
    public String resource() {
        return Confirmations.SERVICE + "/" + Confirmations.CONFIRMATION.name();
    }

    @Override
    public Repeatability repeatability() {
        return repeatability;
    }

    @Override
    public Posted execute(PostingContext context) {
        ErpState state = context.state();
        String groupKey = request.orderId() + "|" + request.sequence() + "|" + request.operation();
        Document group = state.confirmationGroup(groupKey);
        String groupNumber;
        long count;
        if (group == null) {
            groupNumber = Long.toString(context.nextNumber("confirmationGroup", FIRST_GROUP));
            count = 1;
        } else {
            groupNumber = group.getString("ConfirmationGroup");
            count = ((Number) group.get("LastConfirmationCount")).longValue() + 1;
        }
        Document updatedGroup = new Document("_id", groupKey)
            .append("ConfirmationGroup", groupNumber)
            .append("OrderID", request.orderId())
            .append("Sequence", request.sequence())
            .append("OrderOperation", request.operation())
            .append("LastConfirmationCount", count);
        state.putConfirmationGroup(groupKey, updatedGroup);
        context.write(ErpStore.CONFIRMATION_GROUPS, updatedGroup);

        String countText = Long.toString(count);
        Document confirmation = document(context, groupNumber, countText);
        context.write(ErpStore.CONFIRMATIONS, confirmation);
        postMachineTime(context, groupNumber + "/" + countText);

        Map<String, String> key = Map.of("ConfirmationGroup", groupNumber, "ConfirmationCount", countText);
        return new Posted(201, Confirmations.CONFIRMATION.relativeUri(key), ODataJson.single(ODataJson.entity(
            Confirmations.CONFIRMATION, confirmation, Set.of(Confirmations.MOVEMENTS_NAVIGATION), targets())));
    }

    static Function<String, EntitySet> targets() {
        return name -> Confirmations.MOVEMENT;
    }

    private Document document(PostingContext context, String group, String count) {
        Date postingDate = ODataValues.dayStart(request.postingDate() == null ? context.today()
            : request.postingDate());
        Document document = new Document("_id", Confirmations.id(group, count))
            .append("ConfirmationGroup", group)
            .append("ConfirmationCount", count)
            .append("OrderID", request.orderId())
            .append("Sequence", request.sequence())
            .append("OrderOperation", request.operation())
            .append("OrderSuboperation", "")
            .append("OrderType", "")
            .append("ConfirmationText", request.text())
            .append("Language", "EN")
            .append("Material", request.material())
            .append("ProductionUnit", request.unit())
            .append("FinalConfirmationType", request.finalConfirmationType())
            .append("IsFinalConfirmation", request.isFinal())
            .append("OpenReservationsIsCleared", false)
            .append("IsReversed", false)
            .append("IsReversal", false)
            .append("APIConfHasNoGoodsMovements", true)
            .append("ConfirmationEntryDate", ODataValues.dayStart(context.today()))
            .append("ConfirmationEntryTime", ODataValues.time(context.timeOfDay()))
            .append("EnteredByUser", context.user())
            .append("ExternalSystemConfirmation", request.externalConfirmation())
            .append("Plant", request.plant())
            .append("WorkCenter", request.workCenter())
            .append("Personnel", request.personnel())
            .append("PostingDate", postingDate)
            .append("ConfirmedExecutionStartDate", request.startDate() == null ? null
                : ODataValues.dayStart(request.startDate()))
            .append("ConfirmedExecutionStartTime", request.startTime() == null ? "PT00H00M00S"
                : ODataValues.time(request.startTime()))
            .append("ConfirmedExecutionEndDate", request.endDate() == null ? null
                : ODataValues.dayStart(request.endDate()))
            .append("ConfirmedExecutionEndTime", request.endTime() == null ? "PT00H00M00S"
                : ODataValues.time(request.endTime()))
            .append("ConfirmationUnit", request.unit())
            .append("ConfirmationYieldQuantity", ODataValues.quantity(request.yield()))
            .append("ConfirmationScrapQuantity", ODataValues.quantity(request.scrap()))
            .append("ConfirmationReworkQuantity", ODataValues.quantity(request.rework()))
            .append("VarianceReasonCode", request.varianceReason());
        for (int i = 0; i < request.work().size(); i++) {
            ConfirmationRequest.Work work = request.work().get(i);
            document.append("OpWorkQuantityUnit" + (i + 1), work.unit())
                .append("OpConfirmedWorkQuantity" + (i + 1), ODataValues.quantity(work.quantity()))
                .append("NoFurtherOpWorkQuantity" + (i + 1) + "IsExpd", false);
        }
        return document.append(Confirmations.MOVEMENTS_NAVIGATION, new ArrayList<Document>());
    }

    private void postMachineTime(PostingContext context, String reference) {
        ConfirmationRequest.Work machine = request.work().get(0);
        if (machine.quantity().signum() == 0) {
            return;
        }
        WorkCenter center = request.workCenter().isEmpty() ? null : context.state().workCenter(request.workCenter());
        String costCenter = center == null ? context.settings().defaultCostCenter() : center.costCenter();
        BigDecimal rate = center == null ? context.settings().defaultMachineRatePerHour()
            : center.machineRatePerHour();
        BigDecimal hours = machine.hours();
        CostPostings.post(context, new CostPostings.Line(CostType.MACHINE_TIME, request.orderId(), costCenter,
            request.workCenter(), request.material(), hours, "H", rate, "AFRU", reference, ""), true);
    }
}
