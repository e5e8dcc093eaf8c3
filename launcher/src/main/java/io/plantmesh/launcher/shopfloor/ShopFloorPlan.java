package io.plantmesh.launcher.shopfloor;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.plantmesh.devices.simulator.DeviceProtocol;
import io.plantmesh.devices.simulator.MachineSpec;
import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.machine.MachineTwin;

/**
 * The shop floor of the demo plant, read from its machine twins' device bindings: which machines speak OPC-UA (and
 * are served by their line's edge gateway) and which are MQTT devices of their own. The simulator, the registry and
 * the gateways are all configured from this one plan, so they cannot disagree.
 */
public record ShopFloorPlan(String tenant, List<FloorMachine> machines) {

    /** Gateway mapping of machines with a spindle (the bundled {@code cnc-spindle.json}). */
    public static final String CNC_SPINDLE = "cnc-spindle";
    /** Gateway mapping of machines without a spindle (the bundled {@code process-cell.json}). */
    public static final String PROCESS_CELL = "process-cell";

    public ShopFloorPlan {
        machines = List.copyOf(machines);
    }

    /**
     * One machine of the floor.
     *
     * @param thingId thing id = Hono device id, e.g. {@code plant1:machine-1-03}
     * @param key PLC key and OPC-UA folder, e.g. {@code L1M03}
     * @param type what the simulator simulates, from the machine's role
     * @param gatewayMapping the edge gateway's mapping (OPC-UA machines only), null for MQTT machines
     */
    public record FloorMachine(String thingId, int line, int position, String key, String name, MachineType type,
            DeviceProtocol protocol, String gatewayMapping) {

        public boolean opcUa() {
            return protocol == DeviceProtocol.OPC_UA;
        }

        /** Hono auth-id: the device id with ':' as '_' (auth-ids may not contain ':'). */
        public String authId() {
            return ShopFloorPlan.authId(thingId);
        }

        public MachineSpec spec() {
            return new MachineSpec(thingId, key, line, position, type, name, protocol);
        }
    }

    /** The plan of these machine twins, keeping those the filter accepts. */
    public static ShopFloorPlan of(String tenant, List<MachineTwin> twins, Predicate<String> filter) {
        List<FloorMachine> machines = twins.stream()
                .filter(m -> filter.test(m.id().toString()))
                .map(ShopFloorPlan::machine)
                .toList();
        return new ShopFloorPlan(tenant, machines);
    }

    private static FloorMachine machine(MachineTwin twin) {
        String[] lineAndPosition = PlantThingIds.parse(twin.id(), TwinKind.MACHINE).key().split("-");
        int line = Integer.parseInt(lineAndPosition[0]);
        int position = Integer.parseInt(lineAndPosition[1]);
        boolean opcUa = twin.device().opcuaEndpoint() != null;
        String mapping = !opcUa ? null
                : twin.device().opcuaNodeIds().containsKey("spindleSpeed") ? CNC_SPINDLE : PROCESS_CELL;
        return new FloorMachine(twin.id().toString(), line, position, MachineSpec.keyOf(line, position), twin.name(),
                MachineType.forRole(roleOf(twin.name())), opcUa ? DeviceProtocol.OPC_UA : DeviceProtocol.MQTT,
                mapping);
    }

    /** "Machining centre 1-03" is a "Machining centre". */
    static String roleOf(String machineName) {
        int cut = machineName.lastIndexOf(' ');
        return cut < 0 ? machineName : machineName.substring(0, cut);
    }

    public static String authId(String deviceId) {
        return deviceId.replace(':', '_');
    }

    /** {@code plant1:gateway-<line>}: the edge gateway of a line (its Hono device id and its twin's thing id). */
    public String gatewayId(int line) {
        return io.plantmesh.twin.model.PlantThingIds.gateway(tenant, line).toString();
    }

    /** Line number to that line's OPC-UA machines, for lines that have any. */
    public Map<Integer, List<FloorMachine>> opcUaMachinesByLine() {
        Map<Integer, List<FloorMachine>> byLine = new TreeMap<>();
        for (FloorMachine m : machines) {
            if (m.opcUa()) {
                byLine.computeIfAbsent(m.line(), l -> new java.util.ArrayList<>()).add(m);
            }
        }
        return byLine;
    }

    /** Line number to that line's machines (OPC-UA and MQTT), in position order. */
    public Map<Integer, List<FloorMachine>> machinesByLine() {
        Map<Integer, List<FloorMachine>> byLine = new TreeMap<>();
        machines.forEach(m -> byLine.computeIfAbsent(m.line(), l -> new java.util.ArrayList<>()).add(m));
        return byLine;
    }

    public List<MachineSpec> specs() {
        return machines.stream().map(FloorMachine::spec).toList();
    }

    public long mqttMachines() {
        return machines.stream().filter(m -> !m.opcUa()).count();
    }
}
