package io.plantmesh.devices.simulator.machine;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The kinds of machine on the simulated floor, each with its nominal profile. Values are plausible for a mid-size
 * job shop, not taken from a vendor sheet.
 */
public enum MachineType {

    CNC_MILL(new MachineProfile(Duration.ofSeconds(240), 0.06, 0.02, Duration.ofMinutes(20), Duration.ofHours(60),
            Duration.ofHours(2), 9000, 42, 27, 2.8, 0.4, 18, 3.5, 1.5, 14, List.of(
            new FailureMode("SPINDLE_BEARING", "spindle bearing worn, vibration limit exceeded"),
            new FailureMode("TOOL_CHANGER", "tool changer jammed"),
            new FailureMode("COOLANT_PUMP", "coolant pump failed, spindle overtemperature")))),

    LATHE(new MachineProfile(Duration.ofSeconds(90), 0.05, 0.015, Duration.ofMinutes(15), Duration.ofHours(70),
            Duration.ofMinutes(90), 3000, 45, 26, 2.2, 0.3, 15, 2.5, 1.5, 12, List.of(
            new FailureMode("SPINDLE_BEARING", "main spindle bearing worn, vibration limit exceeded"),
            new FailureMode("CHUCK_HYDRAULICS", "chuck clamping pressure lost"),
            new FailureMode("TURRET_INDEX", "turret indexing fault")))),

    LASER_CUTTER(new MachineProfile(Duration.ofSeconds(150), 0.08, 0.01, Duration.ofMinutes(10), Duration.ofHours(80),
            Duration.ofMinutes(150), 0, 35, 24, 1.2, 0.2, 12, 4, 1.8, 12, List.of(
            new FailureMode("RESONATOR_COOLING", "chiller flow low, resonator overtemperature"),
            new FailureMode("CUTTING_HEAD", "cutting head collision"),
            new FailureMode("AXIS_DRIVE", "axis drive fault")))),

    PRESS(new MachineProfile(Duration.ofSeconds(20), 0.04, 0.01, Duration.ofMinutes(25), Duration.ofHours(90),
            Duration.ofHours(3), 0, 48, 30, 4.5, 0.6, 22, 5, 1.2, 15, List.of(
            new FailureMode("HYDRAULIC_PUMP", "hydraulic pump worn, pressure drop"),
            new FailureMode("RAM_GUIDE", "ram guide worn"),
            new FailureMode("LIGHT_CURTAIN", "safety light curtain fault")))),

    WELDING_CELL(new MachineProfile(Duration.ofSeconds(120), 0.07, 0.025, Duration.ofMinutes(10),
            Duration.ofHours(50), Duration.ofHours(1), 0, 38, 24, 1.8, 0.3, 9, 1.5, 1.5, 12, List.of(
            new FailureMode("WIRE_FEEDER", "wire feeder slipping"),
            new FailureMode("TORCH_COOLING", "torch coolant flow low"),
            new FailureMode("ROBOT_AXIS", "robot axis 4 gearbox worn")))),

    INJECTION_MOULDING(new MachineProfile(Duration.ofSeconds(35), 0.03, 0.03, Duration.ofMinutes(45),
            Duration.ofHours(100), Duration.ofHours(3), 0, 230, 180, 1.5, 0.3, 25, 8, 1.5, 18, List.of(
            new FailureMode("HEATER_BAND", "barrel heater band failed"),
            new FailureMode("HYDRAULIC_PUMP", "hydraulic pump worn, pressure drop"),
            new FailureMode("SCREW_WEAR", "screw and barrel worn, shot weight unstable")))),

    ASSEMBLY_CELL(new MachineProfile(Duration.ofSeconds(60), 0.05, 0.005, Duration.ofMinutes(8),
            Duration.ofHours(120), Duration.ofHours(1), 0, 30, 24, 0.9, 0.15, 4, 1, 2.0, 8, List.of(
            new FailureMode("GRIPPER", "gripper jaw worn, parts dropped"),
            new FailureMode("TORQUE_SENSOR", "torque sensor out of calibration"),
            new FailureMode("CONVEYOR_DRIVE", "conveyor drive bearing worn"))));

    private final MachineProfile profile;

    MachineType(final MachineProfile profile) {
        this.profile = profile;
    }

    public MachineProfile profile() {
        return profile;
    }

    /**
     * The simulated type for a shop-floor role as the demo plant names it ("Machining centre", "CNC lathe",
     * "Laser cutter", "Press brake", "Welding robot cell", "Injection moulding machine", "Leak tester", ...). Roles it
     * does not recognise are simulated as an assembly cell.
     */
    public static MachineType forRole(final String role) {
        final String r = role == null ? "" : role.toLowerCase(Locale.ROOT);
        // before "mill": a turn-mill centre is a lathe with driven tools
        if (r.contains("lathe") || r.contains("turn")) {
            return LATHE;
        }
        if (r.contains("machining") || r.contains("mill") || r.contains("5-axis")) {
            return CNC_MILL;
        }
        if (r.contains("laser")) {
            return LASER_CUTTER;
        }
        if (r.contains("press brake") || r.equals("press") || r.contains("stamping")) {
            return PRESS;
        }
        if (r.contains("weld")) {
            return WELDING_CELL;
        }
        // the granulate dryer feeds the moulding machines and is simulated like one (heated, long settle times)
        if (r.contains("moulding") || r.contains("molding") || r.contains("dryer")) {
            return INJECTION_MOULDING;
        }
        return ASSEMBLY_CELL;
    }
}
