package io.plantmesh.devices.simulator.opcua;

import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.simulator.machine.CommandOutcome;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;

/**
 * The StartJob, HoldJob, StopJob and StartMaintenance methods on a machine's folder. Each answers {@code (accepted: Boolean,
 * message: String)}; a rejection is a normal answer (Good status, accepted = false), not a Bad status code, so the
 * caller always learns why.
 */
final class JobMethod extends AbstractMethodInvocationHandler {

    /** Which command a method node runs. */
    enum Command {
        START_JOB("StartJob", "Starts (or resumes) a job: the machine goes through SETUP to RUNNING."),
        HOLD_JOB("HoldJob", "Holds the running job: the machine goes IDLE and keeps the job."),
        STOP_JOB("StopJob", "Stops the job: the machine goes IDLE and forgets it."),
        START_MAINTENANCE("StartMaintenance", "Planned maintenance of an IDLE machine for durationMinutes: "
                + "MAINTENANCE, then IDLE with its wear reset.");

        final String browseName;
        final String description;

        Command(final String browseName, final String description) {
            this.browseName = browseName;
            this.description = description;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(JobMethod.class);

    private static final Argument WORK_ORDER = new Argument("workOrder", NodeIds.String, ValueRanks.Scalar, null,
            LocalizedText.english("Work order, e.g. plant1:wo-100001"));
    private static final Argument OPERATION = new Argument("operation", NodeIds.String, ValueRanks.Scalar, null,
            LocalizedText.english("Operation of the work order, e.g. 0010"));
    private static final Argument DURATION_MINUTES = new Argument("durationMinutes", NodeIds.Double,
            ValueRanks.Scalar, null, LocalizedText.english("How long the maintenance takes, minutes (> 0)"));
    private static final Argument REASON = new Argument("reason", NodeIds.String, ValueRanks.Scalar, null,
            LocalizedText.english("Why, e.g. predicted spindle bearing failure"));
    private static final Argument ACCEPTED = new Argument("accepted", NodeIds.Boolean, ValueRanks.Scalar, null,
            LocalizedText.english("True if the machine took the command"));
    private static final Argument MESSAGE = new Argument("message", NodeIds.String, ValueRanks.Scalar, null,
            LocalizedText.english("What happened, or why the command was rejected"));

    private final Command command;
    private final SimulatedMachine machine;
    private final Runnable afterCall;

    JobMethod(final UaMethodNode node, final Command command, final SimulatedMachine machine,
            final Runnable afterCall) {
        super(node);
        this.command = command;
        this.machine = machine;
        this.afterCall = afterCall;
    }

    @Override
    public Argument[] getInputArguments() {
        return switch (command) {
            case START_JOB -> new Argument[] {WORK_ORDER, OPERATION};
            case START_MAINTENANCE -> new Argument[] {DURATION_MINUTES, REASON};
            default -> new Argument[0];
        };
    }

    @Override
    public Argument[] getOutputArguments() {
        return new Argument[] {ACCEPTED, MESSAGE};
    }

    @Override
    protected Variant[] invoke(final InvocationContext context, final Variant[] inputValues) {
        final CommandOutcome outcome = switch (command) {
            case START_JOB -> machine.startJob(text(inputValues[0]), text(inputValues[1]));
            case HOLD_JOB -> machine.holdJob();
            case STOP_JOB -> machine.stopJob();
            case START_MAINTENANCE -> machine.startMaintenance(minutes(inputValues[0]), text(inputValues[1]));
        };
        LOG.info("OPC-UA {} on {}: {} ({})", command.browseName, machine.key(),
                outcome.accepted() ? "accepted" : "rejected", outcome.message());
        afterCall.run();
        return new Variant[] {Variant.ofBoolean(outcome.accepted()), Variant.ofString(outcome.message())};
    }

    private static java.time.Duration minutes(final Variant value) {
        final Object raw = value == null ? null : value.value();
        return raw instanceof Double d && d > 0 && !d.isInfinite()
                ? java.time.Duration.ofMillis(Math.round(d * 60_000)) : null;
    }

    private static String text(final Variant value) {
        // the SDK checks the declared type, but a null String still gets through
        final Object raw = value == null ? null : value.value();
        return raw instanceof String s ? s : null;
    }
}
