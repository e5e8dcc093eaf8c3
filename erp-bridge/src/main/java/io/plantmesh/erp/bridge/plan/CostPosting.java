package io.plantmesh.erp.bridge.plan;

import java.util.Locale;

/**
 * When the bridge books an order's machine time to finance and shows the order's costs on its twin (issue #5: "order
 * costs are posted to finance at completion (and, configurably, per confirmation)"). Material costs are booked by the
 * ERP with each component issue either way.
 */
public enum CostPosting {

    /**
     * Machine time once, with the final confirmation (RUNNING to COMPLETED); {@code features/cost} written when the
     * order is completed and everything is posted. The default.
     */
    AT_COMPLETION("at-completion"),

    /**
     * Machine time with every confirmation (the time since the order started RUNNING up to the progress reading the
     * confirmation reports, less what earlier confirmations booked); {@code features/cost} rewritten after every
     * recorded confirmation, and once more at completion.
     */
    PER_CONFIRMATION("per-confirmation");

    private final String text;

    CostPosting(final String text) {
        this.text = text;
    }

    /** {@code at-completion} or {@code per-confirmation}. */
    public String describe() {
        return text;
    }

    /**
     * Parses {@code at-completion} or {@code per-confirmation} (case and {@code _}/{@code -} ignored).
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static CostPosting parse(final String value) {
        final String normal = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (final CostPosting c : values()) {
            if (c.text.equals(normal)) {
                return c;
            }
        }
        throw new IllegalArgumentException("cost posting '" + value + "' is not known; use at-completion (the "
                + "default) or per-confirmation");
    }
}
