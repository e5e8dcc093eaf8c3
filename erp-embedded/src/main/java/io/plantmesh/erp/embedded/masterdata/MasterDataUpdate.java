package io.plantmesh.erp.embedded.masterdata;

import java.util.List;

import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.WorkCenter;
import io.plantmesh.erp.embedded.engine.ErpCommand;
import io.plantmesh.erp.embedded.engine.ErpStore;
import io.plantmesh.erp.embedded.engine.MasterDataDocuments;
import io.plantmesh.erp.embedded.engine.Posted;
import io.plantmesh.erp.embedded.engine.PostingContext;
import io.plantmesh.erp.embedded.odata.Repeatability;
import io.vertx.core.json.JsonObject;

/** Creates or replaces material master data and work centres (stock is never touched here). */
public final class MasterDataUpdate implements ErpCommand {

    private final List<MaterialMaster> materials;
    private final List<WorkCenter> workCenters;

    public MasterDataUpdate(List<MaterialMaster> materials, List<WorkCenter> workCenters) {
        this.materials = List.copyOf(materials);
        this.workCenters = List.copyOf(workCenters);
    }

    @Override
    public String resource() {
        return "plantmesh/admin/master-data";
    }

    @Override
    public Repeatability repeatability() {
        return null;
    }

    @Override
    public Posted execute(PostingContext context) {
        if (materials.isEmpty() && workCenters.isEmpty()) {
            return null;
        }
        for (MaterialMaster material : materials) {
            context.state().putMaterial(material);
            context.write(ErpStore.MATERIALS, MasterDataDocuments.material(material));
        }
        for (WorkCenter center : workCenters) {
            context.state().putWorkCenter(center);
            context.write(ErpStore.WORK_CENTERS, MasterDataDocuments.workCenter(center));
        }
        return new Posted(200, null, new JsonObject().put("materials", materials.size())
            .put("workCenters", workCenters.size()));
    }
}
