package io.plantmesh.launcher.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.launcher.demo.DemoCatalog.Component;
import io.plantmesh.launcher.demo.DemoCatalog.LineSpec;
import io.plantmesh.launcher.demo.DemoCatalog.MachineType;
import io.plantmesh.launcher.demo.DemoCatalog.MaterialSpec;
import io.plantmesh.launcher.demo.DemoCatalog.ProductSpec;
import io.plantmesh.policies.PolicyKind;
import io.plantmesh.policies.PolicyTemplates;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.gateway.GatewayTwin;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * The demo plant: 5 lines of 10 machines each, one edge gateway per line with OPC-UA machines, 40 released work
 * orders, 20 materials (12 raw, 8 finished), and the plant's four policies ({@link PolicyTemplates}: shop floor,
 * orders, materials, gateways; with the development user {@code nginx:ditto} like it-admin, as the embedded footprint
 * has it). Built with twin-models' typed factories, so every twin is valid
 * against its Thing Model. The same seed and reference time give the same plant.
 *
 * <p>Ids: {@code <plant>:line-1..5}, {@code <plant>:machine-<line>-01..10}, {@code <plant>:wo-100001..100040},
 * {@code <plant>:mat-RAW-1001..1012}, {@code <plant>:mat-FG-2001..2008}, {@code <plant>:gateway-1..5} (the ids the
 * shop floor's gateways use as Hono device ids).
 */
public record DemoPlant(String plant, List<Policy> policies, List<LineTwin> lines, List<MachineTwin> machines,
        List<WorkOrderTwin> workOrders, List<MaterialTwin> materials, List<GatewayTwin> gateways) {

    public static final String DEFAULT_PLANT = "plant1";
    public static final int LINES = 5;
    public static final int MACHINES_PER_LINE = 10;
    public static final int WORK_ORDERS = 40;
    public static final long FIRST_WORK_ORDER = 100_001;
    /** Machines per line reached over MQTT through Hono only (retrofitted sensor kits); the rest speak OPC-UA. */
    static final int MQTT_MACHINES_PER_LINE = 3;
    /** Raw materials at or below their reorder point, so the ERP's reorder logic has something to do. */
    static final int LOW_STOCK_MATERIALS = 2;
    /** The embedded footprint's policies: the roles' and the development user's. */
    static final PolicyTemplates POLICIES =
            PolicyTemplates.withDevelopmentSubjects(List.of(PolicyTemplates.DEVELOPMENT_SUBJECT));

    public DemoPlant {
        policies = List.copyOf(policies);
        lines = List.copyOf(lines);
        machines = List.copyOf(machines);
        workOrders = List.copyOf(workOrders);
        materials = List.copyOf(materials);
        gateways = List.copyOf(gateways);
    }

    /**
     * Generates the plant.
     *
     * @param seed drives every random choice (machine models, protocols, stock, orders)
     * @param referenceTime "now" of the plant: machines are IDLE since then, orders released before and due after it
     */
    public static DemoPlant generate(String plant, long seed, Instant referenceTime) {
        Random random = new Random(seed);
        Instant now = referenceTime.truncatedTo(ChronoUnit.SECONDS);
        List<MachineTwin> machines = new ArrayList<>();
        List<LineTwin> lines = new ArrayList<>();
        for (int line = 1; line <= LINES; line++) {
            List<MachineTwin> onLine = machinesOfLine(plant, line, random, now);
            machines.addAll(onLine);
            LineSpec spec = DemoCatalog.LINES.get(line - 1);
            lines.add(LineTwin.initial(PlantThingIds.line(plant, line), spec.name(), DemoCatalog.ERP_PLANT,
                    onLine.stream().map(MachineTwin::id).toList()));
        }
        List<String> reordered = new ArrayList<>(DemoCatalog.MATERIALS.stream()
                .filter(spec -> spec.reorderPoint() != null).map(MaterialSpec::number).toList());
        Collections.shuffle(reordered, random);
        List<String> lowStock = reordered.subList(0, LOW_STOCK_MATERIALS);
        List<MaterialTwin> materials = DemoCatalog.MATERIALS.stream()
                .map(spec -> material(plant, spec, lowStock.contains(spec.number()), random, now))
                .toList();
        List<WorkOrderTwin> orders = new ArrayList<>();
        for (int i = 0; i < WORK_ORDERS; i++) {
            orders.add(workOrder(plant, FIRST_WORK_ORDER + i, i % LINES + 1, random, now));
        }
        List<GatewayTwin> gateways = new ArrayList<>();
        for (int line = 1; line <= LINES; line++) {
            int lineNumber = line;
            boolean opcUa = machines.stream().anyMatch(m -> m.device().opcuaEndpoint() != null
                    && PlantThingIds.lineOfMachine(m.id()).equals(PlantThingIds.line(plant, lineNumber)));
            if (opcUa) {
                gateways.add(GatewayTwin.initial(PlantThingIds.gateway(plant, line), "Edge gateway line " + line,
                        PlantThingIds.line(plant, line)));
            }
        }
        List<Policy> policies = POLICIES.all(plant);
        return new DemoPlant(plant, policies, lines, machines, orders, materials, gateways);
    }

    /**
     * The same plant with its policies from {@code templates}, e.g. {@link PolicyTemplates#production()} (role
     * subjects only, no development user) where provisioning runs on tokens.
     */
    public DemoPlant withPolicies(PolicyTemplates templates) {
        return new DemoPlant(plant, templates.all(plant), lines, machines, workOrders, materials, gateways);
    }

    /**
     * Every twin as a Ditto thing with its area's policy id, in provisioning order (lines, machines, gateways, orders,
     * materials).
     */
    public List<Thing> things() {
        List<Thing> things = new ArrayList<>();
        PolicyId shopfloor = PolicyKind.SHOPFLOOR.id(plant);
        lines.forEach(l -> things.add(l.toThing().setPolicyId(shopfloor)));
        machines.forEach(m -> things.add(m.toThing().setPolicyId(shopfloor)));
        gateways.forEach(g -> things.add(g.toThing().setPolicyId(PolicyKind.GATEWAYS.id(plant))));
        workOrders.forEach(w -> things.add(w.toThing().setPolicyId(PolicyKind.ORDERS.id(plant))));
        materials.forEach(m -> things.add(m.toThing().setPolicyId(PolicyKind.MATERIALS.id(plant))
                .setAttribute(JsonPointer.of("description"), JsonValue.of(DemoCatalog.description(m.materialNumber())))));
        return things;
    }

    private static List<MachineTwin> machinesOfLine(String plant, int line, Random random, Instant now) {
        LineSpec spec = DemoCatalog.LINES.get(line - 1);
        List<Integer> positions = new ArrayList<>();
        for (int p = 1; p <= MACHINES_PER_LINE; p++) {
            positions.add(p);
        }
        Collections.shuffle(positions, random);
        List<Integer> mqttPositions = positions.subList(0, MQTT_MACHINES_PER_LINE);
        ThingId lineId = PlantThingIds.line(plant, line);
        List<MachineTwin> result = new ArrayList<>();
        for (int position = 1; position <= MACHINES_PER_LINE; position++) {
            MachineType type = spec.machineTypes().get(random.nextInt(spec.machineTypes().size()));
            ThingId id = PlantThingIds.machine(plant, line, position);
            String tag = String.format("L%dM%02d", line, position);
            DeviceBinding device = mqttPositions.contains(position)
                    ? DeviceBinding.hono(plant, id.toString())
                    : new DeviceBinding(plant, id.toString(), "opc.tcp://127.0.0.1:" + (4840 + line) + "/plantmesh",
                            nodeIds(tag, spec.opcuaTags()));
            String name = String.format("%s %d-%02d", type.role(), line, position);
            // the ideal cycle is the simulated machine type's nominal cycle (the simulator draws 0.8..1.3 x of it)
            double idealCycleMs = io.plantmesh.devices.simulator.machine.MachineType.forRole(type.role()).profile()
                    .nominalCycle().toMillis();
            result.add(MachineTwin.initial(id, lineId, name, device, now)
                    .withVendorAndModel(type.vendor(), type.model())
                    .withCapabilities(DemoCatalog.capabilities(type.role(), line), idealCycleMs));
        }
        return result;
    }

    private static Map<String, String> nodeIds(String plcTag, List<String> tags) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String tag : tags) {
            ids.put(tag, "ns=2;s=" + plcTag + "." + Character.toUpperCase(tag.charAt(0)) + tag.substring(1));
        }
        return ids;
    }

    private static MaterialTwin material(String plant, MaterialSpec spec, boolean lowStock, Random random,
            Instant now) {
        String store = spec.finishedProduct() ? DemoCatalog.FINISHED_GOODS_STORE : DemoCatalog.RAW_STORE;
        MaterialTwin twin = MaterialTwin.initial(PlantThingIds.material(plant, spec.number()), spec.unit(),
                DemoCatalog.ERP_PLANT, store, spec.reorderPoint(), spec.reorderQuantity());
        double onHand;
        if (spec.reorderPoint() == null) {
            onHand = 10 * (5 + random.nextInt(60));
        } else {
            double factor = lowStock ? 0.4 + random.nextDouble() * 0.5 : 1.5 + random.nextDouble() * 2.5;
            onHand = Math.round(spec.reorderPoint() * factor);
        }
        String document = String.format("49%08d", 1 + (spec.number().hashCode() & 0xffffff) % 10_000_000);
        MaterialTwin.StockMovement initialCount = new MaterialTwin.StockMovement(document, "561", onHand,
                now.minus(Duration.ofDays(30)));
        return twin.withStock(MaterialTwin.Stock.of(onHand, 0, initialCount));
    }

    private static WorkOrderTwin workOrder(String plant, long number, int line, Random random, Instant now) {
        List<ProductSpec> products = DemoCatalog.productsOfLine(line);
        ProductSpec product = products.get(random.nextInt(products.size()));
        double quantity = 50 + 10 * random.nextInt(46);
        List<WorkOrderTwin.BomItem> bom = new ArrayList<>();
        for (Component c : product.components()) {
            bom.add(new WorkOrderTwin.BomItem(c.material(), round3(c.perPiece() * quantity), c.unit()));
        }
        Instant due = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1 + random.nextInt(14)))
                .plus(Duration.ofHours(14));
        Instant released = now.minus(Duration.ofMinutes(30 + random.nextInt(72 * 60)));
        int priority = 1 + Math.min(8, (int) Math.abs(Math.round(random.nextGaussian() * 1.8 + 4)));
        return WorkOrderTwin.initial(PlantThingIds.workOrder(plant, number), product.material(), quantity, due,
                PlantThingIds.line(plant, line), priority, bom, released)
                .withRouting(WorkOrderTwin.DEFAULT_OPERATION, DemoCatalog.processCapability(line));
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Number of twins (things) in the plant. */
    public int twinCount() {
        return lines.size() + machines.size() + gateways.size() + workOrders.size() + materials.size();
    }
}
