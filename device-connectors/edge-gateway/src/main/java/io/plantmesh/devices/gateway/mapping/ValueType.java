package io.plantmesh.devices.gateway.mapping;

/** The JSON type a node's value is reported as in the twin. */
public enum ValueType {
    /** a double, after unit conversion */
    NUMBER,
    /** a long (counters); OPC-UA unsigned and floating values are rounded towards zero */
    INTEGER,
    STRING,
    BOOLEAN;

    public boolean numeric() {
        return this == NUMBER || this == INTEGER;
    }
}
