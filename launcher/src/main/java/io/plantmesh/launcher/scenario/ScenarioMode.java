package io.plantmesh.launcher.scenario;

import java.util.List;
import java.util.Locale;

/** How the layers exchange data in one run of the scenario (see docs/scenario.md). */
public enum ScenarioMode {

    /**
     * The siloed "before": the MES polls machine state at an interval (it ignores machine change events), the ERP
     * receives batched transfers (the ERP bridge posts and reads stock only at batch ticks).
     */
    BASELINE,

    /** The mesh: every consumer follows the twins' change events. */
    MESH;

    /** The modes {@code --mode} names: {@code mesh}, {@code baseline} or {@code both} (baseline first). */
    public static List<ScenarioMode> parse(final String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "mesh" -> List.of(MESH);
            case "baseline" -> List.of(BASELINE);
            case "both" -> List.of(BASELINE, MESH);
            default -> throw new IllegalArgumentException("--mode must be mesh, baseline or both, was '" + text
                    + "'");
        };
    }

    /** Lower-case name for tables. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
