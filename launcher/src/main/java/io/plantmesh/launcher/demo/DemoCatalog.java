package io.plantmesh.launcher.demo;

import java.util.List;
import java.util.Map;

/**
 * The fixed master data of the demo plant: its five lines with the kinds of machine each one runs, the raw
 * materials and finished products, and which line makes which product from what. {@link DemoPlant} draws the
 * variable parts (which model stands where, stock, orders) from these with a seeded random generator.
 */
final class DemoCatalog {

    /** ERP plant code of the demo plant. */
    static final String ERP_PLANT = "1000";
    static final String RAW_STORE = "0001";
    static final String FINISHED_GOODS_STORE = "0002";

    private DemoCatalog() {
    }

    /** A machine type a line may run: what it is called on the shop floor, its vendor and model. */
    record MachineType(String role, String vendor, String model) {
    }

    /** A line: its name, the machine types it is equipped with, and the OPC-UA tags its PLCs expose. */
    record LineSpec(String name, List<MachineType> machineTypes, List<String> opcuaTags) {
    }

    /** A material's master data. @param reorderPoint null for made (not purchased) materials */
    record MaterialSpec(String number, String description, String unit, Double reorderPoint, Double reorderQuantity) {

        boolean finishedProduct() {
            return number.startsWith("FG-");
        }
    }

    /** One bill-of-materials line per piece of product. */
    record Component(String material, double perPiece, String unit) {
    }

    /** A product, the line that makes it, and its bill of materials per piece. */
    record ProductSpec(String material, int line, List<Component> components) {
    }

    private static final List<String> SPINDLE_TAGS = List.of("spindleSpeed", "temperature", "vibration", "power",
            "goodCount", "scrapCount", "cycleTimeMs", "state");
    private static final List<String> PROCESS_TAGS = List.of("temperature", "vibration", "power", "goodCount",
            "scrapCount", "cycleTimeMs", "state");

    static final List<LineSpec> LINES = List.of(
            new LineSpec("Line 1 - CNC machining", List.of(
                    new MachineType("Machining centre", "DMG MORI", "DMU 50"),
                    new MachineType("Machining centre", "DMG MORI", "CMX 600 V"),
                    new MachineType("Machining centre", "Haas", "VF-2"),
                    new MachineType("Machining centre", "Mazak", "VCN-530C"),
                    new MachineType("5-axis centre", "Hermle", "C 42 U"),
                    new MachineType("Machining centre", "Okuma", "GENOS M560-V")), SPINDLE_TAGS),
            new LineSpec("Line 2 - Turning", List.of(
                    new MachineType("CNC lathe", "DMG MORI", "CLX 450"),
                    new MachineType("CNC lathe", "Mazak", "QUICK TURN 250"),
                    new MachineType("CNC lathe", "Okuma", "LB3000 EX II"),
                    new MachineType("Turn-mill centre", "EMCO", "Hyperturn 45"),
                    new MachineType("Multi-spindle lathe", "INDEX", "MS24-6")), SPINDLE_TAGS),
            new LineSpec("Line 3 - Sheet metal and welding", List.of(
                    new MachineType("Laser cutter", "TRUMPF", "TruLaser 3030"),
                    new MachineType("Press brake", "TRUMPF", "TruBend 5130"),
                    new MachineType("Welding robot cell", "KUKA", "KR 16 R1610"),
                    new MachineType("Welding robot cell", "ABB", "IRB 1600"),
                    new MachineType("Welding power source", "Fronius", "TPS 500i")), PROCESS_TAGS),
            new LineSpec("Line 4 - Injection moulding", List.of(
                    new MachineType("Injection moulding machine", "ENGEL", "victory 120"),
                    new MachineType("Injection moulding machine", "ARBURG", "ALLROUNDER 470 E"),
                    new MachineType("Injection moulding machine", "KraussMaffei", "CX 160"),
                    new MachineType("Injection moulding machine", "Wittmann Battenfeld", "SmartPower 120"),
                    new MachineType("Granulate dryer", "motan", "LUXORplus 80")), PROCESS_TAGS),
            new LineSpec("Line 5 - Final assembly and test", List.of(
                    new MachineType("Press-fit station", "Kistler", "maXYmos NC"),
                    new MachineType("Tightening station", "Atlas Copco", "PF6000"),
                    new MachineType("Vision inspection", "KEYENCE", "CV-X480"),
                    new MachineType("Leak tester", "Marposs", "M1 Wave"),
                    new MachineType("Handling module", "Festo", "YXMx")), PROCESS_TAGS));

    static final List<MaterialSpec> MATERIALS = List.of(
            new MaterialSpec("RAW-1001", "Steel bar 42CrMo4 D40", "M", 120.0, 400.0),
            new MaterialSpec("RAW-1002", "Aluminium block AlMg4.5Mn 120x80x60", "PC", 200.0, 600.0),
            new MaterialSpec("RAW-1003", "Steel sheet DC01 2 mm", "KG", 800.0, 2500.0),
            new MaterialSpec("RAW-1004", "Brass rod CuZn39Pb3 D20", "M", 60.0, 200.0),
            new MaterialSpec("RAW-1005", "Granulate PA6-GF30", "KG", 300.0, 1000.0),
            new MaterialSpec("RAW-1006", "Granulate ABS natural", "KG", 300.0, 1000.0),
            new MaterialSpec("RAW-1007", "Welding wire G3Si1 1.0 mm", "KG", 40.0, 150.0),
            new MaterialSpec("RAW-1008", "Hex bolt M8x30 8.8 zinc plated", "PC", 2000.0, 10000.0),
            new MaterialSpec("RAW-1009", "O-ring 20x2 NBR 70", "PC", 1500.0, 5000.0),
            new MaterialSpec("RAW-1010", "Ball bearing 6204-2RS", "PC", 400.0, 1500.0),
            new MaterialSpec("RAW-1011", "Cutting fluid, water-miscible", "L", 100.0, 400.0),
            new MaterialSpec("RAW-1012", "Shipping carton 400x300x200", "PC", 500.0, 2000.0),
            new MaterialSpec("FG-2001", "Gear shaft GS-40", "PC", null, null),
            new MaterialSpec("FG-2002", "Pump housing PH-12", "PC", null, null),
            new MaterialSpec("FG-2003", "Welded bracket WB-200", "PC", null, null),
            new MaterialSpec("FG-2004", "Valve body VB-20", "PC", null, null),
            new MaterialSpec("FG-2005", "Housing cover HC-6", "PC", null, null),
            new MaterialSpec("FG-2006", "Control box shell CB-3", "PC", null, null),
            new MaterialSpec("FG-2007", "Drive unit DU-400", "PC", null, null),
            new MaterialSpec("FG-2008", "Pump assembly PA-12", "PC", null, null));

    static final List<ProductSpec> PRODUCTS = List.of(
            new ProductSpec("FG-2002", 1, List.of(
                    new Component("RAW-1002", 1, "PC"), new Component("RAW-1011", 0.1, "L"))),
            new ProductSpec("FG-2001", 2, List.of(
                    new Component("RAW-1001", 0.25, "M"), new Component("RAW-1011", 0.05, "L"))),
            new ProductSpec("FG-2004", 2, List.of(
                    new Component("RAW-1004", 0.12, "M"), new Component("RAW-1009", 2, "PC"))),
            new ProductSpec("FG-2003", 3, List.of(
                    new Component("RAW-1003", 1.8, "KG"), new Component("RAW-1007", 0.05, "KG"),
                    new Component("RAW-1008", 4, "PC"))),
            new ProductSpec("FG-2005", 4, List.of(new Component("RAW-1005", 0.35, "KG"))),
            new ProductSpec("FG-2006", 4, List.of(new Component("RAW-1006", 0.5, "KG"))),
            new ProductSpec("FG-2007", 5, List.of(
                    new Component("FG-2001", 1, "PC"), new Component("RAW-1010", 2, "PC"),
                    new Component("RAW-1008", 6, "PC"), new Component("RAW-1012", 1, "PC"))),
            new ProductSpec("FG-2008", 5, List.of(
                    new Component("FG-2002", 1, "PC"), new Component("FG-2005", 1, "PC"),
                    new Component("RAW-1009", 2, "PC"), new Component("RAW-1012", 1, "PC"))));

    private static final Map<String, String> DESCRIPTIONS = MATERIALS.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(MaterialSpec::number, MaterialSpec::description));

    /** The material's description, or null for a material not in the catalogue. */
    static String description(String materialNumber) {
        return DESCRIPTIONS.get(materialNumber);
    }

    static List<ProductSpec> productsOfLine(int line) {
        return PRODUCTS.stream().filter(p -> p.line() == line).toList();
    }

    /** The process capability every production machine of a line has and every order of the line needs. */
    static String processCapability(int line) {
        return switch (line) {
            case 1 -> "milling";
            case 2 -> "turning";
            case 3 -> "sheet-metal-welding";
            case 4 -> "injection-moulding";
            default -> "assembly";
        };
    }

    /**
     * What a machine of this role on this line can do: auxiliary equipment (dryer, welding power source, handling
     * module) only its own function, so the MES never dispatches orders to it; production machines their line's
     * process, and the 5-axis centre also 5-axis work.
     */
    static List<String> capabilities(String role, int line) {
        String r = role.toLowerCase(java.util.Locale.ROOT);
        if (r.contains("dryer")) {
            return List.of("material-drying");
        }
        if (r.contains("power source")) {
            return List.of("welding-power");
        }
        if (r.contains("handling")) {
            return List.of("handling");
        }
        if (r.contains("5-axis")) {
            return List.of(processCapability(line), "5-axis-milling");
        }
        return List.of(processCapability(line));
    }
}
