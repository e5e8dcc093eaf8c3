package io.plantmesh.mes.plan;

/**
 * Why the MES holds a work order ({@code features/status/properties/reasonCode}). The first three are lifted by the
 * MES itself when the cause goes away; QUALITY and MANUAL wait for a person (the MES API's resume).
 */
public enum HoldReason {
    /** A material of the bill of materials is short (material twin {@code stock}). Released when stock returns. */
    MATERIAL_SHORTAGE(true),
    /** No capable machine of the line is up. Released when one is. */
    NO_MACHINE(true),
    /** No machine of the line has the capability the order needs. Released when one appears. */
    NO_CAPABLE_MACHINE(true),
    /** The scrap rate over the quality window went above the threshold. */
    QUALITY(false),
    /** Held through the MES API. */
    MANUAL(false);

    private final boolean automatic;

    HoldReason(final boolean automatic) {
        this.automatic = automatic;
    }

    /** True if the MES releases the order by itself once the cause is gone. */
    public boolean releasedAutomatically() {
        return automatic;
    }

    /** The reason named by a status's reason code, or null if it is none of these. */
    public static HoldReason of(final String reasonCode) {
        if (reasonCode == null) {
            return null;
        }
        for (final HoldReason r : values()) {
            if (r.name().equals(reasonCode)) {
                return r;
            }
        }
        return null;
    }
}
