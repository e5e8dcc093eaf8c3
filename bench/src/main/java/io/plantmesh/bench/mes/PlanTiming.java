package io.plantmesh.bench.mes;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.mes.MesRules;
import io.plantmesh.mes.plan.Action;
import io.plantmesh.mes.plan.LinePlanner;
import io.plantmesh.mes.plan.LineView;
import io.plantmesh.mes.plan.PlannerMemory;
import io.plantmesh.mes.plan.Versioned;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;

/**
 * A diagnostic beside the end-to-end figures: the CPU time of one planning pass of the bridge's {@link LinePlanner}
 * (pure, no I/O) over a bridge's current view of its line, once as it is (nothing to do) and once with a machine
 * that holds orders set DOWN in the view (what a fault's first reconciliation computes). Measured on the calling
 * thread's CPU clock, so other processes on the machine inflate it less than wall time.
 *
 * @param orders orders in the view
 * @param steadyMs median CPU ms of a plan with nothing to do
 * @param faultMs median CPU ms of a plan for a fault
 * @param faultMaxMs the largest of those
 * @param faultActions actions in the fault plan
 */
public record PlanTiming(int orders, double steadyMs, double faultMs, double faultMaxMs, int faultActions) {

    private static final int WARM_UP = 20;
    private static final int RUNS = 50;

    public static PlanTiming measure(LineView view, MesRules rules) {
        LinePlanner planner = new LinePlanner(rules);
        ThingId faulty = view.orders().values().stream()
                .map(o -> o.twin().status().machine()).filter(m -> m != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no order of " + view.lineId() + " is on a machine"));
        Map<ThingId, Versioned<MachineTwin>> machines = new HashMap<>(view.machines());
        Versioned<MachineTwin> m = machines.get(faulty);
        machines.put(faulty, new Versioned<>(m.twin().withState(MachineState.DOWN, Instant.now(), "plan timing"),
                m.revision() + 1));
        LineView faultView = new LineView(view.lineId(), view.line(), machines, view.orders(), view.materials());
        Latencies steady = time(planner, view);
        Latencies fault = time(planner, faultView);
        List<Action> actions = planner.plan(faultView, Instant.now(), new PlannerMemory());
        return new PlanTiming(view.orders().size(), steady.percentile(50), fault.percentile(50), fault.max(),
                actions.size());
    }

    private static Latencies time(LinePlanner planner, LineView view) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Latencies cpu = new Latencies();
        for (int i = 0; i < WARM_UP + RUNS; i++) {
            PlannerMemory memory = new PlannerMemory();
            Instant now = Instant.now();
            long before = threads.getCurrentThreadCpuTime();
            planner.plan(view, now, memory);
            long took = threads.getCurrentThreadCpuTime() - before;
            if (i >= WARM_UP) {
                cpu.add(took / 1e6);
            }
        }
        return cpu;
    }
}
