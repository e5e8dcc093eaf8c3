package io.plantmesh.erp.embedded.stock;

import java.util.Arrays;
import java.util.Set;

import io.plantmesh.erp.embedded.finance.CostType;

/**
 * The SAP movement types the embedded ERP posts, with their direction, the goods movement codes ({@code GMCODE}) SAP
 * accepts them with in {@code A_MaterialDocumentHeader.GoodsMovementCode}, and what they cost.
 * Goods movement codes: {@code 01} goods receipt for purchase order, {@code 02} goods receipt for production order,
 * {@code 03} goods issue, {@code 05} other goods receipt, {@code 06} reversal of goods movements.
 */
public enum GoodsMovementType {

    /** Goods receipt for a production order (code 02) or a purchase order (code 01). */
    GR_FOR_ORDER("101", 1, Set.of("01", "02"), CostType.PRODUCTION_OUTPUT, false),
    /** Reversal of 101. */
    GR_FOR_ORDER_REVERSAL("102", -1, Set.of("01", "02", "06"), CostType.PRODUCTION_OUTPUT, true),
    /** Goods issue of a component to a production order. */
    GI_FOR_ORDER("261", -1, Set.of("03"), CostType.MATERIAL_CONSUMPTION, true),
    /** Reversal of 261 (return of a component from the order). */
    GI_FOR_ORDER_REVERSAL("262", 1, Set.of("03", "06"), CostType.MATERIAL_CONSUMPTION, false),
    /** Goods receipt without purchase order into unrestricted stock. */
    RECEIPT_WITHOUT_ORDER("501", 1, Set.of("05"), null, false),
    /** Reversal of 501. */
    RECEIPT_WITHOUT_ORDER_REVERSAL("502", -1, Set.of("05", "06"), null, false),
    /** Scrapping from unrestricted stock (costs a cost centre). */
    SCRAPPING("551", -1, Set.of("03"), CostType.SCRAP, true),
    /** Reversal of 551. */
    SCRAPPING_REVERSAL("552", 1, Set.of("03", "06"), CostType.SCRAP, false),
    /** Initial entry of stock balances. */
    INITIAL_ENTRY("561", 1, Set.of("05"), null, false),
    /** Reversal of 561. */
    INITIAL_ENTRY_REVERSAL("562", -1, Set.of("05", "06"), null, false);

    private final String code;
    private final int direction;
    private final Set<String> goodsMovementCodes;
    private final CostType costType;
    private final boolean debits;

    GoodsMovementType(String code, int direction, Set<String> goodsMovementCodes, CostType costType,
            boolean debits) {
        this.code = code;
        this.direction = direction;
        this.goodsMovementCodes = goodsMovementCodes;
        this.costType = costType;
        this.debits = debits;
    }

    /** SAP's three-digit movement type. */
    public String code() {
        return code;
    }

    /** +1 if it raises stock, -1 if it lowers it. */
    public int direction() {
        return direction;
    }

    /** Whether a document with {@code goodsMovementCode} may carry this movement type. */
    public boolean allowedWith(String goodsMovementCode) {
        return goodsMovementCodes.contains(goodsMovementCode);
    }

    /** The goods movement codes it is posted with. */
    public Set<String> goodsMovementCodes() {
        return goodsMovementCodes;
    }

    /** What the movement costs, or null if it posts no cost (receipts into stock without an order). */
    public CostType costType() {
        return costType;
    }

    /** Whether the cost is a debit (consumption, scrap, reversal of output) rather than a credit. */
    public boolean debits() {
        return debits;
    }

    /** Whether the item must name a production order ({@code ManufacturingOrder}). */
    public boolean needsManufacturingOrder(String goodsMovementCode) {
        boolean orderReceipt = (this == GR_FOR_ORDER || this == GR_FOR_ORDER_REVERSAL) && "02".equals(goodsMovementCode);
        return orderReceipt || this == GI_FOR_ORDER || this == GI_FOR_ORDER_REVERSAL;
    }

    /** Whether the item must name a purchase order ({@code PurchaseOrder}). */
    public boolean needsPurchaseOrder(String goodsMovementCode) {
        return (this == GR_FOR_ORDER || this == GR_FOR_ORDER_REVERSAL) && "01".equals(goodsMovementCode);
    }

    /** The movement type with SAP code {@code code}, or null if the embedded ERP does not post it. */
    public static GoodsMovementType ofCode(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst().orElse(null);
    }

    /** The codes served, for messages. */
    public static String served() {
        return Arrays.stream(values()).map(GoodsMovementType::code).toList().toString();
    }
}
