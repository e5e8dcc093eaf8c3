package io.plantmesh.devices.gateway.mapping;

import java.util.List;
import java.util.Objects;

/**
 * A Hono command mapped to an OPC-UA method on the machine's folder object: {@code startJob} with JSON body
 * {@code {"workOrder":"...","operation":"..."}} becomes {@code StartJob(workOrder, operation)}. The method answers
 * {@code (accepted: Boolean, message: String)}.
 */
public record CommandMapping(String command, String method, List<Argument> arguments) {

    /** An input argument, taken from the command's JSON body field of the same name. */
    public record Argument(String name, ArgumentType type) {
    }

    public enum ArgumentType {
        STRING,
        DOUBLE,
        INT32,
        BOOLEAN
    }

    public CommandMapping {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(method, "method");
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }
}
