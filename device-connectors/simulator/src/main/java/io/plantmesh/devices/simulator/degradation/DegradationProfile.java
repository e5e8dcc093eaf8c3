package io.plantmesh.devices.simulator.degradation;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.plantmesh.devices.simulator.machine.FailureMode;
import io.plantmesh.devices.simulator.machine.MachineType;

/**
 * What wears on one machine type: which degradation modes it has and how each fails, the extra signals it reports
 * (spindle load, hydraulic pressure) and which of its failure modes stay sudden (no precursor).
 *
 * @param modes the degradation modes and the failure each ends in
 * @param spindleLoadPercent normal spindle load while running the standard program, % of rated; 0 without spindle
 * @param hydraulicPressureBar hydraulic system set point, bar; 0 without hydraulics
 * @param suddenModes the type's failure modes that come without warning
 */
public record DegradationProfile(List<ModeFailure> modes, double spindleLoadPercent, double hydraulicPressureBar,
        List<FailureMode> suddenModes) {

    /** A degradation mode and the failure (code and reason) it ends in on this type. */
    public record ModeFailure(DegradationMode mode, FailureMode failure) {

        public ModeFailure {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(failure, "failure");
        }
    }

    public DegradationProfile {
        modes = List.copyOf(modes);
        suddenModes = List.copyOf(suddenModes);
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("a degradation profile needs at least one mode");
        }
    }

    public boolean hasSpindleLoad() {
        return spindleLoadPercent > 0;
    }

    public boolean hasHydraulics() {
        return hydraulicPressureBar > 0;
    }

    /** The degradation profile of a machine type. */
    public static DegradationProfile of(final MachineType type) {
        return switch (type) {
            case CNC_MILL -> build(type, 45, 0,
                    new ModeFailure(DegradationMode.BEARING_WEAR, failure(type, "SPINDLE_BEARING")),
                    new ModeFailure(DegradationMode.TOOL_WEAR, TOOL_WORN));
            case LATHE -> build(type, 40, 60,
                    new ModeFailure(DegradationMode.BEARING_WEAR, failure(type, "SPINDLE_BEARING")),
                    new ModeFailure(DegradationMode.TOOL_WEAR, TOOL_WORN),
                    new ModeFailure(DegradationMode.HYDRAULIC_LEAK, failure(type, "CHUCK_HYDRAULICS")));
            case LASER_CUTTER -> build(type, 0, 0,
                    new ModeFailure(DegradationMode.BEARING_WEAR, failure(type, "AXIS_DRIVE")));
            case PRESS -> build(type, 0, 180,
                    new ModeFailure(DegradationMode.BEARING_WEAR, failure(type, "RAM_GUIDE")),
                    new ModeFailure(DegradationMode.HYDRAULIC_LEAK, failure(type, "HYDRAULIC_PUMP")));
            case WELDING_CELL -> build(type, 0, 0,
                    new ModeFailure(DegradationMode.BEARING_WEAR, failure(type, "ROBOT_AXIS")));
            case INJECTION_MOULDING -> build(type, 0, 140,
                    new ModeFailure(DegradationMode.HYDRAULIC_LEAK, failure(type, "HYDRAULIC_PUMP")));
            case ASSEMBLY_CELL -> build(type, 0, 0,
                    new ModeFailure(DegradationMode.BEARING_WEAR, failure(type, "CONVEYOR_DRIVE")));
        };
    }

    /** The failure a worn-out cutting tool ends in. */
    public static final FailureMode TOOL_WORN = new FailureMode("TOOL_WEAR",
            "cutting tool worn out, spindle overload");

    private static DegradationProfile build(final MachineType type, final double load, final double pressure,
            final ModeFailure... modes) {
        final Set<String> worn = List.of(modes).stream().map(m -> m.failure().code()).collect(Collectors.toSet());
        final List<FailureMode> sudden = type.profile().failureModes().stream()
                .filter(f -> !worn.contains(f.code()))
                .toList();
        return new DegradationProfile(List.of(modes), load, pressure, sudden);
    }

    private static FailureMode failure(final MachineType type, final String code) {
        return type.profile().failureModes().stream()
                .filter(f -> f.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(type + " has no failure mode " + code));
    }
}
