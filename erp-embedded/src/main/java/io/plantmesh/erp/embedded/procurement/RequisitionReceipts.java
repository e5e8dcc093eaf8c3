package io.plantmesh.erp.embedded.procurement;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.erp.embedded.engine.ErpCommand;
import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.Posted;
import io.plantmesh.erp.embedded.engine.PostingContext;
import io.plantmesh.erp.embedded.odata.Repeatability;
import io.plantmesh.erp.embedded.stock.GoodsMovementPosting;
import io.plantmesh.erp.embedded.stock.GoodsMovementType;
import io.plantmesh.erp.embedded.stock.MaterialDocumentRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Receives every open purchase requisition that is due (created at least the lead time ago), standing in for
 * purchasing and the supplier: a purchase order number is assigned (from 4500000000), the goods are received against
 * it (movement type 101, goods movement code 01, {@code PurchaseOrder} on each item) into the requisition's storage
 * location, and each item is marked {@code ProcessingStatus} {@code B} (purchase order created) with
 * {@code PurchasingDocument}, {@code OrderedQuantity} = requested, and {@code IsClosed} true. All in one posting.
 */
public final class RequisitionReceipts implements ErpCommand {

    /** First purchase order number. */
    public static final long FIRST_PURCHASE_ORDER = 4_500_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(RequisitionReceipts.class);

    @Override
    public String resource() {
        return "plantmesh/procurement/receipts";
    }

    @Override
    public Repeatability repeatability() {
        return null;
    }

    @Override
    public Posted execute(PostingContext context) {
        List<Document> due = new ArrayList<>();
        for (Document requisition : context.state().openRequisitions()) {
            boolean isDue = !requisition.getDate("_dueAt").toInstant().isAfter(context.now());
            if (isDue && receivable(context, requisition)) {
                due.add(requisition);
            }
        }
        if (due.isEmpty()) {
            return null;
        }
        JsonArray received = new JsonArray();
        for (Document requisition : due) {
            received.add(receive(context, requisition));
        }
        return new Posted(200, null, new JsonObject().put("received", received));
    }

    private static boolean receivable(PostingContext context, Document requisition) {
        for (Document item : items(requisition)) {
            if (context.state().material(item.getString("Plant"), item.getString("Material")) == null) {
                LOG.warn("Purchase requisition {} cannot be received: material {} has no master data in plant {}",
                    requisition.getString("_id"), item.getString("Material"), item.getString("Plant"));
                return false;
            }
        }
        return true;
    }

    private static String receive(PostingContext context, Document requisition) {
        String number = requisition.getString("_id");
        String purchaseOrder = Long.toString(context.nextNumber("purchaseOrder", FIRST_PURCHASE_ORDER));
        List<MaterialDocumentRequest.Item> movements = new ArrayList<>();
        for (Document item : items(requisition)) {
            String itemNumber = item.getString("PurchaseRequisitionItem");
            movements.add(new MaterialDocumentRequest.Item(item.getString("Material"), item.getString("Plant"),
                item.getString("StorageLocation"), GoodsMovementType.GR_FOR_ORDER,
                new BigDecimal(item.getString("RequestedQuantity")), null, "", "", purchaseOrder, itemNumber, "", "B",
                "Purchase requisition " + number + " item " + itemNumber));
        }
        MaterialDocumentRequest receipt = new MaterialDocumentRequest(null, null, "01", "PR " + number, number,
            movements);
        Document materialDocument = GoodsMovementPosting.post(context, receipt);
        String documentId = materialDocument.getString("MaterialDocumentYear") + "/"
            + materialDocument.getString("MaterialDocument");

        List<Document> closedItems = new ArrayList<>();
        for (Document item : items(requisition)) {
            closedItems.add(new Document(item)
                .append("PurchasingDocument", purchaseOrder)
                .append("PurchasingDocumentItem", item.getString("PurchaseRequisitionItem"))
                .append("ProcessingStatus", PurchaseRequisitions.PURCHASE_ORDER_CREATED)
                .append("OrderedQuantity", item.getString("RequestedQuantity"))
                .append("IsClosed", true));
        }
        Document closed = new Document(requisition)
            .append(PurchaseRequisitions.ITEMS_NAVIGATION, closedItems)
            .append("_open", false)
            .append("_receivedAt", Date.from(context.now()))
            .append("_purchaseOrder", purchaseOrder)
            .append("_materialDocument", documentId);
        context.state().closeRequisition(number);
        context.write(ErpStore.REQUISITIONS, closed);
        LOG.debug("Purchase requisition {} received: purchase order {}, material document {}", number, purchaseOrder,
            documentId);
        return number;
    }

    private static List<Document> items(Document requisition) {
        return requisition.getList(PurchaseRequisitions.ITEMS_NAVIGATION, Document.class, List.of());
    }
}
