package io.plantmesh.erp.embedded.masterdata;

import java.util.List;

import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.odata.Repeatability;
import io.plantmesh.erp.embedded.stock.GoodsMovementPosting;
import io.plantmesh.erp.embedded.stock.GoodsMovementType;
import io.plantmesh.erp.embedded.stock.MaterialDocumentRequest;

/**
 * The initial entry of stock balances (movement type 561) for a material's {@code initialStock}, posted once ever per
 * material, plant and storage location: its {@code Repeatability-Request-ID} is derived from them, so restarts and
 * repeated seeding replay the first posting instead of adding stock again.
 */
public final class InitialStock {

    private InitialStock() {
    }

    /** The posting, or null if the material has no initial stock. */
    public static GoodsMovementPosting posting(MaterialMaster material) {
        if (material.initialStock().signum() <= 0) {
            return null;
        }
        MaterialDocumentRequest request = new MaterialDocumentRequest(null, null, "05", "Initial stock", "",
            List.of(MaterialDocumentRequest.Item.of(material.material(), material.plant(), material.storageLocation(),
                GoodsMovementType.INITIAL_ENTRY, material.initialStock())));
        String id = "plantmesh-initial-stock:" + material.plant() + ":" + material.material() + ":"
            + material.storageLocation();
        return new GoodsMovementPosting(request, new Repeatability(id, null));
    }
}
