package io.plantmesh.erp.embedded.finance;

/**
 * What a cost posting is for, with the cost element PlantMesh books it on. The cost elements follow the numbering of
 * SAP's classic sample chart of accounts (consumption 4xxxxx, factory output 895000, secondary activity allocation
 * 94xxxx) but are PlantMesh conventions, not read from any SAP system.
 */
public enum CostType {

    /** Components issued to an order (movement type 261, reversed by 262): quantity x standard price. */
    MATERIAL_CONSUMPTION("400000"),
    /** Scrapped material (551, reversed by 552): quantity x standard price, on a cost centre (and order, if named). */
    SCRAP("400100"),
    /** Finished product received from an order (101, reversed by 102): credits the order at standard price. */
    PRODUCTION_OUTPUT("895000"),
    /** Confirmed machine time of an order operation: hours x the work centre's machine-hour rate. */
    MACHINE_TIME("943000");

    private final String costElement;

    CostType(String costElement) {
        this.costElement = costElement;
    }

    public String costElement() {
        return costElement;
    }
}
