package io.plantmesh.erp.embedded.engine;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The organisational settings every posting uses.
 *
 * @param companyCode the company code of postings
 * @param currency the company code currency
 * @param defaultCostCenter the cost centre charged when neither posting nor work centre names one
 * @param defaultMachineRatePerHour the machine-hour rate of work centres without master data
 * @param receiptLeadTime how long after creation a purchase requisition is received
 */
public record ErpSettings(String companyCode, String currency, String defaultCostCenter,
        BigDecimal defaultMachineRatePerHour, Duration receiptLeadTime) {

    public ErpSettings {
        Objects.requireNonNull(companyCode, "companyCode");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(defaultCostCenter, "defaultCostCenter");
        Objects.requireNonNull(defaultMachineRatePerHour, "defaultMachineRatePerHour");
        Objects.requireNonNull(receiptLeadTime, "receiptLeadTime");
    }
}
