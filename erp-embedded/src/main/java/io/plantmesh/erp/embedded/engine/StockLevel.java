package io.plantmesh.erp.embedded.engine;

import java.math.BigDecimal;
import java.util.Date;
import java.util.Objects;

import org.bson.Document;

import io.plantmesh.erp.embedded.odata.ODataValues;

/**
 * Unrestricted-use stock of one material in one storage location of a plant (SAP: stock type {@code 01}, no special
 * stock, no batch), as kept in collection {@value ErpStore#STOCK} and served as {@code A_MatlStkInAcctMod}.
 *
 * @param material the material
 * @param plant the plant
 * @param storageLocation the storage location
 * @param baseUnit the material's base unit
 * @param quantity the stock in the base unit (negative only if the material allows negative stock)
 */
public record StockLevel(String material, String plant, String storageLocation, String baseUnit,
        BigDecimal quantity) {

    public StockLevel {
        Objects.requireNonNull(material, "material");
        Objects.requireNonNull(plant, "plant");
        Objects.requireNonNull(storageLocation, "storageLocation");
        Objects.requireNonNull(baseUnit, "baseUnit");
        Objects.requireNonNull(quantity, "quantity");
    }

    /** The identity of a stock level in the store and in the head state. */
    public static String key(String plant, String storageLocation, String material) {
        return plant + "|" + storageLocation + "|" + material;
    }

    public String key() {
        return key(plant, storageLocation, material);
    }

    public StockLevel plus(BigDecimal delta) {
        return new StockLevel(material, plant, storageLocation, baseUnit, quantity.add(delta));
    }

    /** The stored document: SAP's {@code A_MatlStkInAcctMod} properties plus the journal sequence that wrote it. */
    public Document toDocument(long sequence, Date changed) {
        return new Document("_id", key())
            .append("Material", material)
            .append("Plant", plant)
            .append("StorageLocation", storageLocation)
            .append("Batch", "")
            .append("Supplier", "")
            .append("Customer", "")
            .append("WBSElementInternalID", "00000000")
            .append("SDDocument", "")
            .append("SDDocumentItem", "000000")
            .append("InventorySpecialStockType", "")
            .append("InventoryStockType", "01")
            .append("MaterialBaseUnit", baseUnit)
            .append("MatlWrhsStkQtyInMatlBaseUnit", ODataValues.quantity(quantity))
            .append("_seq", sequence)
            .append("_changed", changed);
    }

    static StockLevel fromDocument(Document document) {
        return new StockLevel(document.getString("Material"), document.getString("Plant"),
            document.getString("StorageLocation"), document.getString("MaterialBaseUnit"),
            new BigDecimal(document.getString("MatlWrhsStkQtyInMatlBaseUnit")));
    }
}
