package io.plantmesh.erp.embedded.engine;

import java.math.BigDecimal;

import org.bson.Document;

import io.plantmesh.erp.embedded.MaterialMaster;
import io.plantmesh.erp.embedded.WorkCenter;

/** Stored form of master data (collections {@value ErpStore#MATERIALS} and {@value ErpStore#WORK_CENTERS}). */
public final class MasterDataDocuments {

    private MasterDataDocuments() {
    }

    /** The identity of a material in a plant. */
    public static String materialKey(String plant, String material) {
        return plant + "|" + material;
    }

    public static Document material(MaterialMaster master) {
        return new Document("_id", materialKey(master.plant(), master.material()))
            .append("Material", master.material())
            .append("Plant", master.plant())
            .append("MaterialDescription", master.description())
            .append("BaseUnit", master.baseUnit())
            .append("StandardPrice", master.standardPrice().toPlainString())
            .append("StorageLocation", master.storageLocation())
            .append("NegativeStockAllowed", master.negativeStockAllowed())
            .append("InitialStock", master.initialStock().toPlainString());
    }

    public static MaterialMaster material(Document document) {
        return new MaterialMaster(document.getString("Material"), document.getString("Plant"),
            document.getString("MaterialDescription"), document.getString("BaseUnit"),
            new BigDecimal(document.getString("StandardPrice")), document.getString("StorageLocation"),
            Boolean.TRUE.equals(document.getBoolean("NegativeStockAllowed")),
            new BigDecimal(document.get("InitialStock", "0")));
    }

    public static Document workCenter(WorkCenter center) {
        return new Document("_id", center.workCenter())
            .append("WorkCenter", center.workCenter())
            .append("Plant", center.plant())
            .append("CostCenter", center.costCenter())
            .append("MachineRatePerHour", center.machineRatePerHour().toPlainString());
    }

    public static WorkCenter workCenter(Document document) {
        return new WorkCenter(document.getString("WorkCenter"), document.getString("Plant"),
            document.getString("CostCenter"), new BigDecimal(document.getString("MachineRatePerHour")));
    }
}
