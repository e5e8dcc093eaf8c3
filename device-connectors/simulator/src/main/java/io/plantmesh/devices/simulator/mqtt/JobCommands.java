package io.plantmesh.devices.simulator.mqtt;

import java.util.Locale;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.simulator.machine.CommandOutcome;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;

/**
 * Runs a Hono command on a machine: {@code startJob} with {@code {"workOrder": "...", "operation": "..."}},
 * {@code holdJob}, {@code stopJob}, {@code startMaintenance} with {@code {"durationMinutes": 90, "reason": "..."}}
 * (names are case-insensitive, '-' and '_' ignored). The answer is
 * {@code {"accepted": <bool>, "message": "..."}} with status 200 (accepted), 409 (the machine's state does not allow it)
 * or 400 (unknown command, bad payload).
 */
public final class JobCommands {

    public static final int OK = 200;
    public static final int BAD_REQUEST = 400;
    public static final int CONFLICT = 409;

    private JobCommands() {
    }

    /** A command's outcome as an HTTP-like status and a JSON body. */
    public record Answer(int status, CommandOutcome outcome) {

        public Buffer payload() {
            return new JsonObject().put("accepted", outcome.accepted()).put("message", outcome.message()).toBuffer();
        }
    }

    public static Answer run(final SimulatedMachine machine, final String command, final Buffer payload) {
        final String name = command.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (name) {
            case "startjob" -> startJob(machine, payload);
            case "holdjob" -> answer(machine.holdJob());
            case "stopjob" -> answer(machine.stopJob());
            case "startmaintenance" -> startMaintenance(machine, payload);
            default -> new Answer(BAD_REQUEST, CommandOutcome.rejected("unknown command '" + command
                    + "'; supported: startJob, holdJob, stopJob, startMaintenance"));
        };
    }

    private static Answer startJob(final SimulatedMachine machine, final Buffer payload) {
        final JsonObject body;
        try {
            body = payload == null || payload.length() == 0 ? new JsonObject() : payload.toJsonObject();
        } catch (final DecodeException | ClassCastException e) {
            return new Answer(BAD_REQUEST, CommandOutcome.rejected("startJob needs a JSON object payload "
                    + "{\"workOrder\": \"plant1:wo-100001\", \"operation\": \"0010\"}: " + e.getMessage()));
        }
        final Object workOrder = body.getValue("workOrder");
        final Object operation = body.getValue("operation");
        final boolean texts = workOrder instanceof String wo && !wo.isBlank() && operation instanceof String op
                && !op.isBlank();
        if (!texts) {
            return new Answer(BAD_REQUEST, CommandOutcome.rejected("startJob needs non-empty string fields "
                    + "workOrder and operation, e.g. {\"workOrder\": \"plant1:wo-100001\", \"operation\": \"0010\"}"));
        }
        return answer(machine.startJob((String) workOrder, (String) operation));
    }

    private static Answer startMaintenance(final SimulatedMachine machine, final Buffer payload) {
        final String expected = "startMaintenance needs a JSON object {\"durationMinutes\": <number > 0>, "
                + "\"reason\": \"...\"}";
        final JsonObject body;
        try {
            body = payload == null || payload.length() == 0 ? new JsonObject() : payload.toJsonObject();
        } catch (final DecodeException | ClassCastException e) {
            return new Answer(BAD_REQUEST, CommandOutcome.rejected(expected + ": " + e.getMessage()));
        }
        final Object minutes = body.getValue("durationMinutes");
        final boolean valid = minutes instanceof Number n && n.doubleValue() > 0
                && !Double.isInfinite(n.doubleValue());
        if (!valid) {
            return new Answer(BAD_REQUEST, CommandOutcome.rejected(expected + "; durationMinutes was " + minutes));
        }
        final Object reason = body.getValue("reason");
        return answer(machine.startMaintenance(java.time.Duration.ofMillis(Math.round(((Number) minutes)
                .doubleValue() * 60_000)), reason instanceof String r ? r : null));
    }

    private static Answer answer(final CommandOutcome outcome) {
        return new Answer(outcome.accepted() ? OK : CONFLICT, outcome);
    }
}
