package io.plantmesh.erp.embedded.production;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.plantmesh.erp.embedded.odata.ODataError;
import io.plantmesh.erp.embedded.odata.ODataValues;
import io.vertx.core.json.JsonObject;

/**
 * A production order confirmation to post: the body of a POST to {@code ProdnOrdConf2}, checked.
 *
 * @param orderId the order; PlantMesh work-order ids are accepted as they are (SAP's are 12 digits)
 * @param sequence {@code Sequence}, default {@code 0}
 * @param operation {@code OrderOperation}, may be empty for an order-level confirmation
 * @param yield good quantity
 * @param scrap scrap quantity
 * @param rework rework quantity
 * @param unit {@code ConfirmationUnit}
 * @param finalConfirmationType {@code ""} partial, {@code X} final, {@code 1} automatic final
 * @param work the confirmed activities 1..6 ({@code OpConfirmedWorkQuantityN} in {@code OpWorkQuantityUnitN});
 *        activity 1 is machine time
 */
public record ConfirmationRequest(String orderId, String sequence, String operation, String material, String plant,
        String workCenter, BigDecimal yield, BigDecimal scrap, BigDecimal rework, String unit,
        String finalConfirmationType, String text, LocalDate postingDate, LocalDate startDate, LocalTime startTime,
        LocalDate endDate, LocalTime endTime, String personnel, String varianceReason, String externalConfirmation,
        List<Work> work) {

    static final String TYPE = "ProdnOrdConf2Type";

    /** One confirmed activity quantity. */
    public record Work(BigDecimal quantity, String unit) {

        /** The quantity in hours, for MIN, H (HR, HUR) and S (SEC). */
        public BigDecimal hours() {
            return switch (unit) {
                case "MIN" -> quantity.divide(BigDecimal.valueOf(60), MathContext.DECIMAL64);
                case "S" -> quantity.divide(BigDecimal.valueOf(3600), MathContext.DECIMAL64);
                default -> quantity;
            };
        }
    }

    public ConfirmationRequest {
        Objects.requireNonNull(orderId, "orderId");
        work = List.copyOf(work);
    }

    /** Whether this confirmation is final (also automatic final). */
    public boolean isFinal() {
        return !finalConfirmationType.isEmpty();
    }

    /** Reads and checks a request body; 400 naming the property for anything wrong. */
    public static ConfirmationRequest parse(JsonObject body) {
        String order = ODataValues.limited(body, "OrderID", "", 40);
        if (order.isEmpty()) {
            throw ODataError.missing("OrderID", TYPE);
        }
        boolean withMovements = !ODataValues.navigationEntries(body, Confirmations.MOVEMENTS_NAVIGATION).isEmpty();
        if (withMovements) {
            throw ODataError.badRequest(ODataError.UNSUPPORTED, "Goods movements inside a confirmation ("
                + Confirmations.MOVEMENTS_NAVIGATION + ") are not posted by the PlantMesh embedded ERP; post them "
                + "with API_MATERIAL_DOCUMENT_SRV and set APIConfHasNoGoodsMovements to true.");
        }
        BigDecimal yield = nonNegative(body, "ConfirmationYieldQuantity");
        BigDecimal scrap = nonNegative(body, "ConfirmationScrapQuantity");
        BigDecimal rework = nonNegative(body, "ConfirmationReworkQuantity");
        String unit = ODataValues.limited(body, "ConfirmationUnit", "", 3);
        boolean quantities = yield.signum() > 0 || scrap.signum() > 0 || rework.signum() > 0;
        if (quantities && unit.isEmpty()) {
            throw ODataError.missing("ConfirmationUnit", TYPE + " with a quantity");
        }
        String finalType = ODataValues.limited(body, "FinalConfirmationType", "", 1);
        if (!finalType.isEmpty() && !finalType.equals("X") && !finalType.equals("1")) {
            throw ODataError.invalid("FinalConfirmationType", "FinalConfirmationType " + finalType + " does not "
                + "exist; send \"\" (partial), \"X\" (final) or \"1\" (automatic final).");
        }
        if (finalType.isEmpty() && ODataValues.bool(body, "IsFinalConfirmation", false)) {
            finalType = "X";
        }
        List<Work> work = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            BigDecimal quantity = nonNegative(body, "OpConfirmedWorkQuantity" + i);
            String workUnit = ODataValues.limited(body, "OpWorkQuantityUnit" + i, "", 3).toUpperCase(Locale.ROOT);
            if (quantity.signum() > 0 && workUnit.isEmpty()) {
                throw ODataError.missing("OpWorkQuantityUnit" + i, TYPE + " with OpConfirmedWorkQuantity" + i);
            }
            work.add(new Work(quantity, normalizedTimeUnit(workUnit, i)));
        }
        return new ConfirmationRequest(order, ODataValues.limited(body, "Sequence", "0", 6),
            ODataValues.limited(body, "OrderOperation", "", 4), ODataValues.limited(body, "Material", "", 40),
            ODataValues.limited(body, "Plant", "", 40), ODataValues.limited(body, "WorkCenter", "", 60), yield, scrap,
            rework, unit, finalType, ODataValues.limited(body, "ConfirmationText", "", 40),
            ODataValues.day(body, "PostingDate", null), ODataValues.day(body, "ConfirmedExecutionStartDate", null),
            ODataValues.timeOfDay(body, "ConfirmedExecutionStartTime"),
            ODataValues.day(body, "ConfirmedExecutionEndDate", null),
            ODataValues.timeOfDay(body, "ConfirmedExecutionEndTime"),
            ODataValues.limited(body, "Personnel", "", 8), ODataValues.limited(body, "VarianceReasonCode", "", 4),
            ODataValues.limited(body, "ExternalSystemConfirmation", "", 36), work);
    }

    private static BigDecimal nonNegative(JsonObject body, String property) {
        BigDecimal value = ODataValues.decimal(body, property, BigDecimal.ZERO);
        if (value.signum() < 0) {
            throw ODataError.invalid(property, property + " must not be negative, got " + value.toPlainString()
                + "; a confirmation is cancelled, not confirmed negatively.");
        }
        return value;
    }

    private static String normalizedTimeUnit(String unit, int index) {
        return switch (unit) {
            case "" -> "";
            case "MIN" -> "MIN";
            case "H", "HR", "HUR", "STD" -> "H";
            case "S", "SEC" -> "S";
            default -> throw ODataError.invalid("OpWorkQuantityUnit" + index, "Unit " + unit + " of activity "
                + index + " is not a time unit the embedded ERP costs; send MIN, H or S.");
        };
    }
}
