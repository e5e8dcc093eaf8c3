package io.plantmesh.twin.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.machine.MaintenanceWindow;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/** Twins used across tests: fresh ones from the factories and fully populated ones (every optional value set). */
public final class SampleTwins {

    public static final Instant T0 = Instant.parse("2026-11-24T06:00:00Z");
    public static final ThingId LINE_1 = PlantThingIds.line("plant1", 1);
    public static final ThingId MACHINE_1_03 = PlantThingIds.machine("plant1", 1, 3);
    public static final ThingId MACHINE_1_04 = PlantThingIds.machine("plant1", 1, 4);
    public static final ThingId WO_123 = PlantThingIds.workOrder("plant1", 123);
    public static final ThingId RAW_1001 = PlantThingIds.material("plant1", "RAW-1001");

    private SampleTwins() {
    }

    public static DeviceBinding opcuaDevice() {
        return new DeviceBinding("plant1", "machine-1-03", "opc.tcp://127.0.0.1:4840/milo",
                Map.of("spindleSpeed", "ns=2;s=M103.SpindleSpeed", "temperature", "ns=2;s=M103.Temperature"));
    }

    public static MachineTwin initialMachine() {
        return MachineTwin.initial(MACHINE_1_03, LINE_1, "CNC mill 3", opcuaDevice(), T0);
    }

    public static MachineTwin fullMachine() {
        return initialMachine()
                .withVendorAndModel("DMG Mori", "DMU 50")
                .withCapabilities(List.of("milling", "5-axis"), 40_000.0)
                .withState(MachineState.RUNNING, T0.plusSeconds(60), "job started")
                .withTelemetry(new MachineTwin.Telemetry(12000.0, 41.5, 2.25, 7.5, T0.plusSeconds(61)))
                .withCounters(new MachineTwin.Counters(120, 3, 41_250.0))
                .withJob(new MachineTwin.Job(new MachineTwin.Assignment(WO_123.toString(), "0010"),
                        new MachineTwin.Assignment(WO_123.toString(), "0010")))
                .withHealth(new MachineTwin.Health(0.12,
                        List.of(new MachineTwin.Alarm("SPINDLE_TEMP", MachineTwin.Severity.WARNING,
                                "spindle warm", T0.plusSeconds(30))),
                        new MachineTwin.PredictedFailure(T0.plusSeconds(86_400), "spindle bearing", 0.35,
                                T0.plusSeconds(72_000), T0.plusSeconds(100_800)), "BEARING_WEAR"))
                .withOee(new MachineTwin.Oee(0.9, 0.95, 0.98, 0.9 * 0.95 * 0.98, "PT1H", T0.plusSeconds(3600),
                        new MachineTwin.ShiftOee("early", T0, 0.8, 0.9, 1.0, 0.72)))
                .withMaintenance(List.of(new MaintenanceWindow("mw-2", T0.plusSeconds(7200), T0.plusSeconds(14_400),
                                "predicted BEARING_WEAR failure", "maintenance", "BEARING_WEAR", T0.plusSeconds(60)),
                        new MaintenanceWindow("mw-1", T0.plusSeconds(3600), T0.plusSeconds(5400), null, null, null,
                                null)));
    }

    public static LineTwin initialLine() {
        return LineTwin.initial(LINE_1, "Line 1", "1000", List.of(MACHINE_1_03, MACHINE_1_04));
    }

    public static LineTwin fullLine() {
        return initialLine()
                .withSchedule(List.of(
                        new LineTwin.ScheduleEntry(WO_123, MACHINE_1_03, T0, T0.plusSeconds(3600)),
                        new LineTwin.ScheduleEntry(PlantThingIds.workOrder("plant1", 124), null, null, null)))
                .withKpi(new LineTwin.Kpi(0.81, 0.9, 0.95, 0.95, 118.5, 2L, "PT1H", T0.plusSeconds(3600),
                        new MachineTwin.ShiftOee("early", T0, 0.8, 0.9, 1.0, 0.72)));
    }

    public static WorkOrderTwin initialWorkOrder() {
        return WorkOrderTwin.initial(WO_123, "FG-2001", 500, T0.plusSeconds(3 * 86_400), LINE_1,
                WorkOrderTwin.DEFAULT_PRIORITY,
                List.of(new WorkOrderTwin.BomItem("RAW-1001", 500, "PC"),
                        new WorkOrderTwin.BomItem("RAW-1002", 2.5, "KG")),
                T0);
    }

    public static WorkOrderTwin fullWorkOrder() {
        final WorkOrderTwin held = initialWorkOrder()
                .withRouting("20", "milling")
                .dispatchTo(MACHINE_1_03, T0.plusSeconds(10))
                .withStatus(WorkOrderStatus.RUNNING, T0.plusSeconds(60), null)
                .withStatus(WorkOrderStatus.HELD, T0.plusSeconds(600), "machine down");
        return held.withStatusEntry(held.status().withReasonCode("NO_MACHINE")
                        .withPlan(MACHINE_1_03, T0.plusSeconds(60), T0.plusSeconds(3600)))
                .withProgress(new WorkOrderTwin.Progress(120, 3,
                        new WorkOrderTwin.CounterBase(MACHINE_1_03, 1120, 13), T0.plusSeconds(599)))
                .withErp(new WorkOrderTwin.ErpPostings(
                        List.of(new WorkOrderTwin.Confirmation("CONF-0001", 120, 3, false, T0.plusSeconds(610),
                                "plant1:wo-000123/conf/0-0")),
                        List.of(new WorkOrderTwin.GoodsMovement("4900000001", "261", "RAW-1001", 123, "PC",
                                        T0.plusSeconds(611), "plant1:wo-000123/261/RAW-1001/0"),
                                new WorkOrderTwin.GoodsMovement("5000000001", "101", "FG-2001", 120, null, null)),
                        List.of(new WorkOrderTwin.Rejection("plant1:wo-000123/261/RAW-1002/0", "261",
                                "Deficit of SL Unrestricted-use 0.6 KG : RAW-1002 1000 0001", T0.plusSeconds(612),
                                2))))
                .withCost(new WorkOrderTwin.OrderCost(307.5, 135.0, 442.5, "EUR", T0.plusSeconds(700)));
    }

    public static MaterialTwin initialMaterial() {
        return MaterialTwin.initial(RAW_1001, "PC", "1000", "0001", 200.0, 1000.0);
    }

    public static MaterialTwin fullMaterial() {
        return initialMaterial()
                .withStock(MaterialTwin.Stock.of(1500, 500,
                        new MaterialTwin.StockMovement("4900000001", "261", -123, T0.plusSeconds(611))))
                .withOpenRequisitions(List.of(new MaterialTwin.Requisition("10000042", 1000, T0,
                        "RAW-1001/reorder/2")))
                .withRequisitionCounts(3, 2);
    }
}
