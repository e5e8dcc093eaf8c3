package io.plantmesh.erp.embedded.stock;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.bson.Document;

import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.engine.ErpCommand;
import io.plantmesh.erp.embedded.engine.ErpState;
import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.Posted;
import io.plantmesh.erp.embedded.engine.PostingContext;
import io.plantmesh.erp.embedded.engine.StockLevel;
import io.plantmesh.erp.embedded.finance.CostPostings;
import io.plantmesh.erp.embedded.finance.CostType;
import io.plantmesh.erp.embedded.odata.EntitySet;
import io.plantmesh.erp.embedded.odata.ODataError;
import io.plantmesh.erp.embedded.odata.ODataJson;
import io.plantmesh.erp.embedded.odata.ODataValues;
import io.plantmesh.erp.embedded.odata.Repeatability;

/**
 * Posts a material document: checks every item against the material master and the stock (no item may leave stock
 * negative unless its material allows it; SAP's deficit message otherwise), numbers the document (receipts for
 * orders 50xxxxxxxx, everything else 49xxxxxxxx, as SAP's default number ranges for transaction types WE/WF and WA),
 * moves stock, and posts the cost of order-related and scrap items.
 */
public final class GoodsMovementPosting implements ErpCommand {

    /** First number of material documents for goods receipts for purchase and production orders. */
    public static final long FIRST_RECEIPT_NUMBER = 5_000_000_000L;
    /** First number of all other material documents. */
    public static final long FIRST_OTHER_NUMBER = 4_900_000_000L;

    private final MaterialDocumentRequest request;
    private final Repeatability repeatability;

    public GoodsMovementPosting(MaterialDocumentRequest request, Repeatability repeatability) {
        this.request = Objects.requireNonNull(request, "request");
        this.repeatability = repeatability;
    }

    @Override
    public String resource() {
        return MaterialDocuments.SERVICE + "/" + MaterialDocuments.HEADER.name();
    }

    @Override
    public Repeatability repeatability() {
        return repeatability;
    }

    @Override
    public Posted execute(PostingContext context) {
        Document document = post(context, request);
        Map<String, String> key = Map.of("MaterialDocumentYear", document.getString("MaterialDocumentYear"),
            "MaterialDocument", document.getString("MaterialDocument"));
        return new Posted(201, MaterialDocuments.HEADER.relativeUri(key), ODataJson.single(ODataJson.entity(
            MaterialDocuments.HEADER, document, Set.of(MaterialDocuments.ITEMS_NAVIGATION), targets())));
    }

    static java.util.function.Function<String, EntitySet> targets() {
        return name -> MaterialDocuments.ITEM;
    }

    /**
     * Checks and posts {@code request} in {@code context}: the stored material document, or 400 with nothing
     * changed. Also used by procurement to receive requisitions.
     */
    public static Document post(PostingContext context, MaterialDocumentRequest request) {
        ErpState state = context.state();
        List<Resolved> items = resolve(state, request);
        checkStock(state, items);

        LocalDate postingDate = request.postingDate() == null ? context.today() : request.postingDate();
        LocalDate documentDate = request.documentDate() == null ? postingDate : request.documentDate();
        String code = request.goodsMovementCode();
        boolean orderReceipt = code.equals("01") || code.equals("02");
        long number = orderReceipt ? context.nextNumber("materialDocument.receipt", FIRST_RECEIPT_NUMBER)
            : context.nextNumber("materialDocument.other", FIRST_OTHER_NUMBER);
        String year = Integer.toString(postingDate.getYear());
        String documentNumber = Long.toString(number);
        Date posting = ODataValues.dayStart(postingDate);
        Date documentDay = ODataValues.dayStart(documentDate);

        Map<String, StockLevel> changed = new LinkedHashMap<>();
        List<Document> itemDocuments = new ArrayList<>();
        int position = 0;
        for (Resolved item : items) {
            position++;
            String itemNumber = Integer.toString(position);
            StockLevel level = changed.getOrDefault(item.stockKey(), state.stock(item.plant(), item.storageLocation(),
                item.material()));
            if (level == null) {
                level = new StockLevel(item.material(), item.plant(), item.storageLocation(), item.master().baseUnit(),
                    BigDecimal.ZERO);
            }
            changed.put(item.stockKey(), level.plus(item.delta()));
            itemDocuments.add(itemDocument(item, year, documentNumber, itemNumber, posting, documentDay));
            postCost(context, item, year + "/" + documentNumber, itemNumber);
        }
        for (StockLevel level : changed.values()) {
            state.putStock(level);
            context.write(ErpStore.STOCK, level.toDocument(context.sequence(), context.nowDate()));
        }
        Document header = new Document("_id", MaterialDocuments.id(year, documentNumber))
            .append("MaterialDocumentYear", year)
            .append("MaterialDocument", documentNumber)
            .append("InventoryTransactionType", code.equals("01") ? "WE" : code.equals("02") ? "WF" : "WA")
            .append("DocumentDate", documentDay)
            .append("PostingDate", posting)
            .append("CreationDate", ODataValues.dayStart(context.today()))
            .append("CreationTime", ODataValues.time(context.timeOfDay()))
            .append("CreatedByUser", context.user())
            .append("MaterialDocumentHeaderText", request.headerText())
            .append("ReferenceDocument", request.referenceDocument())
            .append("GoodsMovementCode", code)
            .append(MaterialDocuments.ITEMS_NAVIGATION, itemDocuments);
        context.write(ErpStore.MATERIAL_DOCUMENTS, header);
        return header;
    }

    /** An item with its master data and stock place resolved. */
    private record Resolved(MaterialDocumentRequest.Item item, MaterialMaster master, String storageLocation) {

        String material() {
            return item.material();
        }

        String plant() {
            return item.plant();
        }

        String stockKey() {
            return StockLevel.key(plant(), storageLocation, material());
        }

        BigDecimal delta() {
            return item.type().direction() > 0 ? item.quantity() : item.quantity().negate();
        }
    }

    private static List<Resolved> resolve(ErpState state, MaterialDocumentRequest request) {
        List<Resolved> resolved = new ArrayList<>();
        int position = 0;
        for (MaterialDocumentRequest.Item item : request.items()) {
            position++;
            MaterialMaster master = state.material(item.plant(), item.material());
            if (master == null) {
                throw new ODataError(400, ODataError.UNKNOWN_MATERIAL, "Material " + item.material() + " is not "
                    + "maintained in plant " + item.plant() + " (item " + position + "); create its master data "
                    + "(ErpConfig materials or POST /plantmesh/erp/admin/materials) or correct Material/Plant.",
                    "Material", null);
            }
            boolean otherUnit = item.entryUnit() != null && !item.entryUnit().equalsIgnoreCase(master.baseUnit());
            if (otherUnit) {
                throw ODataError.invalid("EntryUnit", "Unit " + item.entryUnit() + " of item " + position + " is not "
                    + "the base unit " + master.baseUnit() + " of material " + item.material() + "; send the quantity "
                    + "in " + master.baseUnit() + " (the embedded ERP converts no units).");
            }
            String storageLocation = item.storageLocation() == null ? master.storageLocation()
                : item.storageLocation();
            resolved.add(new Resolved(item, master, storageLocation));
        }
        return resolved;
    }

    /** Refuses the document if any stock place would end below zero without its material allowing it. */
    private static void checkStock(ErpState state, List<Resolved> items) {
        Map<String, BigDecimal> delta = new LinkedHashMap<>();
        Map<String, Resolved> first = new LinkedHashMap<>();
        for (Resolved item : items) {
            delta.merge(item.stockKey(), item.delta(), BigDecimal::add);
            first.putIfAbsent(item.stockKey(), item);
        }
        for (Map.Entry<String, BigDecimal> change : delta.entrySet()) {
            Resolved item = first.get(change.getKey());
            BigDecimal before = state.quantity(item.plant(), item.storageLocation(), item.material());
            BigDecimal after = before.add(change.getValue());
            boolean deficit = after.signum() < 0 && change.getValue().signum() < 0
                && !item.master().negativeStockAllowed();
            if (deficit) {
                BigDecimal missing = after.negate().min(change.getValue().negate());
                throw new ODataError(400, ODataError.STOCK_DEFICIT, "Deficit of SL Unrestricted-use "
                    + missing.stripTrailingZeros().toPlainString() + " " + item.master().baseUnit() + " : "
                    + item.material() + " " + item.plant() + " " + item.storageLocation(), "QuantityInEntryUnit", null);
            }
        }
    }

    private static Document itemDocument(Resolved resolved, String year, String number, String itemNumber,
            Date posting, Date documentDay) {
        MaterialDocumentRequest.Item item = resolved.item();
        String quantity = ODataValues.quantity(item.quantity());
        return new Document("MaterialDocumentYear", year)
            .append("MaterialDocument", number)
            .append("MaterialDocumentItem", itemNumber)
            .append("Material", item.material())
            .append("Plant", item.plant())
            .append("StorageLocation", resolved.storageLocation())
            .append("Batch", "")
            .append("GoodsMovementType", item.type().code())
            .append("InventoryStockType", "01")
            .append("InventorySpecialStockType", "")
            .append("Supplier", "")
            .append("Customer", "")
            .append("PurchaseOrder", item.purchaseOrder())
            .append("PurchaseOrderItem", item.purchaseOrderItem())
            .append("ManufacturingOrder", item.manufacturingOrder())
            .append("ManufacturingOrderItem", item.manufacturingOrderItem())
            .append("GoodsMovementRefDocType", item.goodsMovementRefDocType())
            .append("CostCenter", item.costCenter())
            .append("GoodsMovementIsCancelled", false)
            .append("IsCompletelyDelivered", false)
            .append("QuantityInEntryUnit", quantity)
            .append("EntryUnit", resolved.master().baseUnit())
            .append("QuantityInBaseUnit", quantity)
            .append("MaterialBaseUnit", resolved.master().baseUnit())
            .append("MaterialDocumentItemText", item.text())
            .append("PostingDate", posting)
            .append("DocumentDate", documentDay);
    }

    private static void postCost(PostingContext context, Resolved resolved, String document, String itemNumber) {
        MaterialDocumentRequest.Item item = resolved.item();
        CostType type = item.type().costType();
        boolean onOrder = !item.manufacturingOrder().isEmpty();
        boolean costs = type == CostType.SCRAP || type != null && onOrder;
        if (!costs) {
            return;
        }
        String costCenter = item.costCenter().isEmpty() ? context.settings().defaultCostCenter() : item.costCenter();
        CostPostings.post(context, new CostPostings.Line(type, item.manufacturingOrder(), costCenter, "",
            item.material(), item.quantity(), resolved.master().baseUnit(), resolved.master().standardPrice(),
            "MKPF", document, itemNumber), item.type().debits());
    }
}
