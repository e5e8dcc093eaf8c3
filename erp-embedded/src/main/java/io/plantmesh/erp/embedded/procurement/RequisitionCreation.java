package io.plantmesh.erp.embedded.procurement;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.bson.Document;

import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.engine.ErpCommand;
import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.Posted;
import io.plantmesh.erp.embedded.engine.PostingContext;
import io.plantmesh.erp.embedded.odata.EntitySet;
import io.plantmesh.erp.embedded.odata.ODataError;
import io.plantmesh.erp.embedded.odata.ODataJson;
import io.plantmesh.erp.embedded.odata.ODataValues;
import io.plantmesh.erp.embedded.odata.Repeatability;

/**
 * Creates a purchase requisition (numbers from 10000000, as SAP's default range) for materials in the material
 * master. It is due for receipt {@link io.plantmesh.erp.embedded.ErpConfig#receiptLeadTime()} after its creation
 * ({@link RequisitionReceipts}).
 */
public final class RequisitionCreation implements ErpCommand {

    /** First purchase requisition number. */
    public static final long FIRST_NUMBER = 10_000_000L;

    private final RequisitionRequest request;
    private final Repeatability repeatability;

    public RequisitionCreation(RequisitionRequest request, Repeatability repeatability) {
        this.request = Objects.requireNonNull(request, "request");
        this.repeatability = repeatability;
    }

    @Override
    public String resource() {
        return PurchaseRequisitions.SERVICE + "/" + PurchaseRequisitions.HEADER.name();
    }

    @Override
    public Repeatability repeatability() {
        return repeatability;
    }

    @Override
    public Posted execute(PostingContext context) {
        List<MaterialMaster> masters = new ArrayList<>();
        for (RequisitionRequest.Item item : request.items()) {
            MaterialMaster master = context.state().material(item.plant(), item.material());
            if (master == null) {
                throw new ODataError(400, ODataError.UNKNOWN_MATERIAL, "Material " + item.material() + " is not "
                    + "maintained in plant " + item.plant() + " (item " + item.itemNumber() + "); create its master "
                    + "data (ErpConfig materials or POST /plantmesh/erp/admin/materials) or correct Material/Plant.",
                    "Material", null);
            }
            boolean otherUnit = item.baseUnit() != null && !item.baseUnit().equalsIgnoreCase(master.baseUnit());
            if (otherUnit) {
                throw ODataError.invalid("BaseUnit", "Unit " + item.baseUnit() + " of item " + item.itemNumber()
                    + " is not the base unit " + master.baseUnit() + " of material " + item.material()
                    + "; request the quantity in " + master.baseUnit() + ".");
            }
            masters.add(master);
        }
        String number = Long.toString(context.nextNumber("purchaseRequisition", FIRST_NUMBER));
        Date due = Date.from(context.now().plus(context.settings().receiptLeadTime()));
        LocalDate defaultDelivery = context.now().plus(context.settings().receiptLeadTime())
            .atOffset(ZoneOffset.UTC).toLocalDate();
        Date today = ODataValues.dayStart(context.today());
        List<Document> items = new ArrayList<>();
        for (int i = 0; i < request.items().size(); i++) {
            RequisitionRequest.Item item = request.items().get(i);
            MaterialMaster master = masters.get(i);
            BigDecimal price = item.price() == null ? master.standardPrice() : item.price();
            LocalDate delivery = item.deliveryDate() == null ? defaultDelivery : item.deliveryDate();
            items.add(new Document("PurchaseRequisition", number)
                .append("PurchaseRequisitionItem", item.itemNumber())
                .append("PurchasingDocument", "")
                .append("PurchasingDocumentItem", "")
                .append("PurReqnReleaseStatus", "")
                .append("PurchaseRequisitionType", request.type())
                .append("PurchasingDocumentItemCategory", "0")
                .append("PurchaseRequisitionItemText", item.text().isEmpty() ? master.description() : item.text())
                .append("AccountAssignmentCategory", "")
                .append("Material", item.material())
                .append("MaterialGroup", item.materialGroup())
                .append("PurchasingDocumentCategory", "B")
                .append("RequestedQuantity", ODataValues.quantity(item.quantity()))
                .append("BaseUnit", master.baseUnit())
                .append("PurchaseRequisitionPrice", ODataValues.amount(price))
                .append("PurReqnPriceQuantity", "1")
                .append("PurchasingOrganization", item.purchasingOrganization())
                .append("PurchasingGroup", item.purchasingGroup())
                .append("Plant", item.plant())
                .append("CompanyCode", context.settings().companyCode())
                .append("OrderedQuantity", ODataValues.quantity(BigDecimal.ZERO))
                .append("DeliveryDate", ODataValues.dayStart(delivery))
                .append("CreationDate", today)
                .append("ProcessingStatus", PurchaseRequisitions.NOT_EDITED)
                .append("Supplier", item.supplier())
                .append("FixedSupplier", item.fixedSupplier())
                .append("IsDeleted", "")
                .append("CreatedByUser", context.user())
                .append("PurReqCreationDate", today)
                .append("PurReqnItemCurrency", item.currency().isEmpty() ? context.settings().currency()
                    : item.currency())
                .append("StorageLocation", item.storageLocation() == null ? master.storageLocation()
                    : item.storageLocation())
                .append("IsClosed", false)
                .append("ReleaseIsNotCompleted", false)
                .append("GoodsReceiptIsExpected", true)
                .append("PurReqnExternalReference", item.externalReference()));
        }
        Document requisition = new Document("_id", number)
            .append("PurchaseRequisition", number)
            .append("PurchaseRequisitionType", request.type())
            .append("PurReqnDescription", request.description())
            .append("SourceDetermination", false)
            .append("PurReqnDoOnlyValidation", false)
            .append(PurchaseRequisitions.ITEMS_NAVIGATION, items)
            .append("_open", true)
            .append("_createdAt", context.nowDate())
            .append("_dueAt", due);
        context.state().putOpenRequisition(number, requisition);
        context.write(ErpStore.REQUISITIONS, requisition);
        return new Posted(201, PurchaseRequisitions.HEADER.relativeUri(Map.of("PurchaseRequisition", number)),
            ODataJson.single(ODataJson.entity(PurchaseRequisitions.HEADER, requisition,
                Set.of(PurchaseRequisitions.ITEMS_NAVIGATION), targets())));
    }

    static Function<String, EntitySet> targets() {
        return name -> PurchaseRequisitions.ITEM;
    }
}
