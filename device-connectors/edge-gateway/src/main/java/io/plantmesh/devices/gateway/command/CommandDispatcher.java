package io.plantmesh.devices.gateway.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.gateway.MachineDevice;
import io.plantmesh.devices.gateway.mapping.CommandMapping;
import io.plantmesh.devices.gateway.mapping.MachineMapping;
import io.plantmesh.devices.gateway.mqtt.CommandRequest;
import io.plantmesh.devices.gateway.opcua.MachineMethodInvoker;
import io.plantmesh.devices.gateway.opcua.MethodOutcome;
import io.plantmesh.devices.gateway.opcua.OpcUaUnavailableException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Turns a Hono command into an OPC-UA method call through the machine type's mapping ({@code startJob} with body
 * {@code {"workOrder":"...","operation":"..."}} calls {@code StartJob(workOrder, operation)}) and the method's answer
 * {@code (accepted, message)} into a status: 200 accepted, 409 rejected by the machine (or a bad status from the
 * method), 400 bad payload or arguments, 404 unknown device or command, 503 OPC-UA unreachable.
 */
public final class CommandDispatcher {

    /** A device the gateway serves, how to reach its methods, and its mapping. */
    public record Target(MachineDevice device, MachineMapping mapping, MachineMethodInvoker invoker) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private final Map<String, Target> targets;

    public CommandDispatcher(final Map<String, Target> targets) {
        this.targets = Map.copyOf(targets);
    }

    /** Never fails: every problem becomes an outcome with its status. */
    public CompletableFuture<CommandOutcome> dispatch(final CommandRequest request) {
        final Target target = targets.get(request.deviceId());
        if (target == null) {
            return done(404, "device " + request.deviceId() + " is not served by this gateway");
        }
        final CommandMapping mapping = target.mapping().command(request.command()).orElse(null);
        if (mapping == null) {
            return done(404, "command '" + request.command() + "' is unknown for machine type "
                    + target.mapping().machineType() + " (known: " + String.join(", ",
                    target.mapping().commands().keySet()) + ")");
        }
        final List<Object> inputs;
        try {
            inputs = inputs(mapping, request.payload());
        } catch (final IllegalArgumentException e) {
            return done(400, e.getMessage());
        }
        LOG.info("Command {} for {} (request '{}') -> {}{}", request.command(), request.deviceId(),
                request.requestId(), mapping.method(), inputs);
        return target.invoker().call(target.device(), mapping.method(), inputs)
                .thenApply(outcome -> answer(mapping, outcome))
                .exceptionally(failure -> {
                    final Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    final boolean unreachable = cause instanceof OpcUaUnavailableException;
                    return CommandOutcome.of(unreachable ? 503 : 500, false, cause.getMessage());
                });
    }

    private static CommandOutcome answer(final CommandMapping mapping, final MethodOutcome outcome) {
        if (!outcome.good()) {
            final long code = outcome.statusCode();
            final boolean badArguments = code == StatusCodes.Bad_InvalidArgument
                    || code == StatusCodes.Bad_ArgumentsMissing || code == StatusCodes.Bad_TooManyArguments
                    || code == StatusCodes.Bad_TypeMismatch || code == StatusCodes.Bad_OutOfRange;
            final boolean unknownMethod = code == StatusCodes.Bad_MethodInvalid
                    || code == StatusCodes.Bad_NodeIdUnknown;
            final int status = badArguments ? 400 : unknownMethod ? 404 : 409;
            return CommandOutcome.of(status, false, mapping.method() + " answered " + outcome.statusName());
        }
        final List<Object> outputs = outcome.outputs();
        final boolean accepted = !outputs.isEmpty() && Boolean.TRUE.equals(outputs.get(0));
        final String message = outputs.size() > 1 && outputs.get(1) != null ? outputs.get(1).toString()
                : accepted ? "accepted" : "rejected";
        return CommandOutcome.of(accepted ? 200 : 409, accepted, message);
    }

    private static List<Object> inputs(final CommandMapping mapping, final byte[] payload) {
        final JsonObject body;
        final String text = payload == null ? "" : new String(payload, StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            body = new JsonObject();
        } else {
            try {
                body = new JsonObject(text);
            } catch (final DecodeException e) {
                throw new IllegalArgumentException("payload of " + mapping.command() + " is not a JSON object: "
                        + e.getMessage());
            }
        }
        final List<Object> inputs = new ArrayList<>();
        for (final CommandMapping.Argument argument : mapping.arguments()) {
            final Object value = body.getValue(argument.name());
            if (value == null) {
                throw new IllegalArgumentException(mapping.command() + " needs '" + argument.name() + "' ("
                        + argument.type().name().toLowerCase() + ") in its JSON payload");
            }
            inputs.add(convert(mapping, argument, value));
        }
        return inputs;
    }

    private static Object convert(final CommandMapping mapping, final CommandMapping.Argument argument,
            final Object value) {
        final boolean ok = switch (argument.type()) {
            case STRING -> value instanceof String;
            case DOUBLE -> value instanceof Number;
            case INT32 -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                    && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE;
            case BOOLEAN -> value instanceof Boolean;
        };
        if (!ok) {
            throw new IllegalArgumentException(mapping.command() + ": '" + argument.name() + "' must be a "
                    + argument.type().name().toLowerCase() + ", got " + value);
        }
        return switch (argument.type()) {
            case STRING, BOOLEAN -> value;
            case DOUBLE -> ((Number) value).doubleValue();
            case INT32 -> ((Number) value).intValue();
        };
    }

    private static CompletableFuture<CommandOutcome> done(final int status, final String message) {
        return CompletableFuture.completedFuture(CommandOutcome.of(status, false, message));
    }
}
