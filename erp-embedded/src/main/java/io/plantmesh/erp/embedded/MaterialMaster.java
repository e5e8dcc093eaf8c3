package io.plantmesh.erp.embedded;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The material master data the embedded ERP keeps per material and plant (SAP: MARA/MARC/MBEW in one record).
 *
 * @param material the material number, e.g. {@code RM-100} or {@code FG-2001} (at most 40 characters, as in SAP)
 * @param plant the plant, e.g. {@code plant1}
 * @param description a short text, may be empty
 * @param baseUnit the base unit of measure every quantity is kept in, e.g. {@code PC}, {@code KG}
 * @param standardPrice the standard price per one base unit, in the company code currency; material cost is
 *        quantity x standard price
 * @param storageLocation the storage location used when a posting names none, e.g. {@code 0001}
 * @param negativeStockAllowed whether goods issues may drive stock below zero (SAP: negative stocks allowed in the
 *        plant and for the storage location); otherwise such postings are refused with a deficit message
 * @param initialStock unrestricted stock booked once, by an initial entry of stock (movement type 561), the first time
 *        the ERP sees this material in this storage location; zero for none
 */
public record MaterialMaster(String material, String plant, String description, String baseUnit,
        BigDecimal standardPrice, String storageLocation, boolean negativeStockAllowed, BigDecimal initialStock) {

    public MaterialMaster {
        material = requireText(material, "material", 40);
        plant = requireText(plant, "plant", 40);
        description = description == null ? "" : description;
        baseUnit = requireText(baseUnit, "baseUnit", 3);
        Objects.requireNonNull(standardPrice, "standardPrice");
        if (standardPrice.signum() < 0) {
            throw new IllegalArgumentException("standardPrice of " + material + " must not be negative: "
                + standardPrice);
        }
        storageLocation = requireText(storageLocation, "storageLocation", 10);
        initialStock = initialStock == null ? BigDecimal.ZERO : initialStock;
        if (initialStock.signum() < 0) {
            throw new IllegalArgumentException("initialStock of " + material + " must not be negative: "
                + initialStock);
        }
    }

    /** A material with no initial stock and no negative stock, in storage location {@code 0001}. */
    public static MaterialMaster of(String material, String plant, String baseUnit, BigDecimal standardPrice) {
        return new MaterialMaster(material, plant, "", baseUnit, standardPrice, "0001", false, BigDecimal.ZERO);
    }

    public MaterialMaster withInitialStock(BigDecimal quantity) {
        return new MaterialMaster(material, plant, description, baseUnit, standardPrice, storageLocation,
            negativeStockAllowed, quantity);
    }

    public MaterialMaster withNegativeStockAllowed(boolean allowed) {
        return new MaterialMaster(material, plant, description, baseUnit, standardPrice, storageLocation, allowed,
            initialStock);
    }

    public MaterialMaster withStorageLocation(String value) {
        return new MaterialMaster(material, plant, description, baseUnit, standardPrice, value, negativeStockAllowed,
            initialStock);
    }

    static String requireText(String value, String name, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        String trimmed = value.trim();
        if (trimmed.length() > maxLength) {
            throw new IllegalArgumentException(name + " \"" + trimmed + "\" is longer than " + maxLength
                + " characters");
        }
        return trimmed;
    }
}
