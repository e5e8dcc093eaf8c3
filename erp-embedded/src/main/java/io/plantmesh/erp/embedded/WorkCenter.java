package io.plantmesh.erp.embedded;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A work centre as finance sees it: the cost centre its machine time is charged from and the machine-hour rate.
 * A confirmation's machine time (SAP: activity 1, {@code OpConfirmedWorkQuantity1}) costs hours x rate, posted to
 * the order and this cost centre.
 *
 * @param workCenter the work centre id, e.g. {@code plant1:machine-1-03} or {@code TURN01} (what confirmations send
 *        in {@code WorkCenter})
 * @param plant the plant
 * @param costCenter the cost centre, e.g. {@code CC-LINE1}
 * @param machineRatePerHour the price of one machine hour in the company code currency
 */
public record WorkCenter(String workCenter, String plant, String costCenter, BigDecimal machineRatePerHour) {

    public WorkCenter {
        workCenter = MaterialMaster.requireText(workCenter, "workCenter", 60);
        plant = MaterialMaster.requireText(plant, "plant", 40);
        costCenter = MaterialMaster.requireText(costCenter, "costCenter", 20);
        Objects.requireNonNull(machineRatePerHour, "machineRatePerHour");
        if (machineRatePerHour.signum() < 0) {
            throw new IllegalArgumentException("machineRatePerHour of " + workCenter + " must not be negative");
        }
    }
}
