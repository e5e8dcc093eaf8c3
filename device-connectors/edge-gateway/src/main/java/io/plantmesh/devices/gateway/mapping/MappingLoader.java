package io.plantmesh.devices.gateway.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.plantmesh.devices.gateway.edge.UnitNormalizer;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Reads and validates machine-type mapping files (JSON, see the module README for the format). Every problem is
 * reported as a {@link MappingException} naming the file, the entry and what is wrong.
 */
public final class MappingLoader {

    /** Classpath folder of the bundled mappings. */
    public static final String BUNDLED_FOLDER = "io/plantmesh/devices/gateway/mappings/";
    /** The machine types shipped with the gateway. */
    public static final List<String> BUNDLED_TYPES = List.of("cnc-spindle", "process-cell");

    private static final Set<String> FEATURES = Set.of(MachineTwin.STATE, MachineTwin.TELEMETRY,
            MachineTwin.COUNTERS, MachineTwin.JOB, MachineTwin.HEALTH, MachineTwin.OEE);
    private static final Pattern PATH = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)/([A-Za-z][A-Za-z0-9_]*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private MappingLoader() {
    }

    /** All bundled mappings by machine type. */
    public static Map<String, MachineMapping> bundled() {
        final Map<String, MachineMapping> mappings = new LinkedHashMap<>();
        for (final String type : BUNDLED_TYPES) {
            final String resource = BUNDLED_FOLDER + type + ".json";
            mappings.put(type, fromClasspath(resource));
        }
        return mappings;
    }

    public static MachineMapping fromClasspath(final String resource) {
        try (InputStream in = MappingLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new MappingException(resource + ": no such resource on the classpath");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new MappingException(resource + ": cannot be read: " + e.getMessage(), e);
        }
    }

    public static MachineMapping fromFile(final Path file) {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (final IOException e) {
            throw new MappingException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses and validates one mapping file.
     *
     * @param source the file name, used in error messages
     */
    public static MachineMapping parse(final String source, final String text) {
        final JsonObject json;
        try {
            json = new JsonObject(text);
        } catch (final DecodeException e) {
            throw new MappingException(source + ": not valid JSON: " + e.getMessage(), e);
        }
        final JsonEntry root = new JsonEntry(source, json);
        root.allowOnly("machineType", "description", "nodes", "commands");
        final String machineType = root.text("machineType");
        final List<JsonEntry> nodeEntries = root.array("nodes", true);
        if (nodeEntries.isEmpty()) {
            throw root.error("'nodes' is empty: a machine type needs at least one node");
        }
        final List<NodeMapping> nodes = new ArrayList<>();
        final Set<String> seenNodes = new HashSet<>();
        final Set<String> seenPaths = new HashSet<>();
        for (final JsonEntry entry : nodeEntries) {
            final NodeMapping node = node(entry);
            if (!seenNodes.add(node.node())) {
                throw entry.error("node '" + node.node() + "' is mapped twice");
            }
            if (!seenPaths.add(node.path())) {
                throw entry.error("twin path '" + node.path() + "' is the target of two nodes");
            }
            if (node.split() != null && !seenPaths.add(node.feature() + "/" + node.split().tailProperty())) {
                throw entry.error("twin path '" + node.feature() + "/" + node.split().tailProperty()
                        + "' (split tailProperty) is the target of two nodes");
            }
            nodes.add(node);
        }
        final Map<String, CommandMapping> commands = new LinkedHashMap<>();
        root.optObject("commands").ifPresent(commandsEntry -> {
            for (final String name : commandsEntry.fieldNames()) {
                final JsonEntry entry = commandsEntry.optObject(name).orElseThrow();
                commands.put(name, command(name, entry));
            }
        });
        return new MachineMapping(machineType, source, nodes, commands);
    }

    private static NodeMapping node(final JsonEntry raw) {
        raw.allowOnly("node", "path", "kind", "type", "sourceUnit", "twinUnit", "samplingIntervalMs", "queueSize",
                "deadband", "aggregation", "alarms", "sinceProperty", "split");
        final String nodeName = raw.text("node");
        final JsonEntry entry = raw.describedAs(nodeName);
        if (!nodeName.contains(NodeMapping.KEY_PLACEHOLDER)) {
            throw entry.error("node must contain the machine key placeholder " + NodeMapping.KEY_PLACEHOLDER
                    + ", e.g. {key}.SpindleSpeed");
        }
        final String path = entry.text("path");
        final var matcher = PATH.matcher(path);
        if (!matcher.matches()) {
            throw entry.error("path '" + path + "' must be <feature>/<property>, e.g. telemetry/spindleSpeed");
        }
        final String feature = matcher.group(1);
        if (!FEATURES.contains(feature)) {
            throw entry.error("feature '" + feature + "' is not a machine feature (known: "
                    + String.join(", ", FEATURES) + ")");
        }
        final MessageKind kind = entry.enumValue("kind", MessageKind.class, MessageKind.TELEMETRY);
        final ValueType type = entry.enumValue("type", ValueType.class, ValueType.NUMBER);
        final String sourceUnit = entry.optText("sourceUnit").orElse(null);
        final String twinUnit = entry.optText("twinUnit").orElse(sourceUnit);
        if (sourceUnit != null) {
            if (!type.numeric()) {
                throw entry.error("units are only allowed for number or integer nodes, this one is " + type);
            }
            try {
                UnitNormalizer.between(sourceUnit, twinUnit);
            } catch (final IllegalArgumentException e) {
                throw entry.error(e.getMessage());
            }
        } else if (twinUnit != null) {
            throw entry.error("twinUnit '" + twinUnit + "' given without sourceUnit");
        }
        final double sampling = entry.number("samplingIntervalMs", 250);
        if (sampling < 0) {
            throw entry.error("samplingIntervalMs must be >= 0 (0 = as fast as the server can), got " + sampling);
        }
        final double queue = entry.number("queueSize", 10);
        final boolean queueValid = queue >= 1 && queue <= 10_000 && queue == Math.rint(queue);
        if (!queueValid) {
            throw entry.error("queueSize must be a whole number in 1..10000, got " + queue);
        }
        final DeadbandSpec deadband = entry.optObject("deadband").map(d -> deadband(d, type))
                .orElse(DeadbandSpec.NONE);
        final AggregationSpec aggregation = entry.optObject("aggregation").map(a -> aggregation(a, type, kind))
                .orElse(AggregationSpec.NONE);
        final List<AlarmRule> alarms = new ArrayList<>();
        for (final JsonEntry alarm : entry.array("alarms", false)) {
            if (!type.numeric()) {
                throw alarm.error("alarms need a number or integer node, this one is " + type);
            }
            alarms.add(alarm(alarm));
        }
        final String since = entry.optText("sinceProperty").orElse(null);
        if (since != null && !NAME.matcher(since).matches()) {
            throw entry.error("sinceProperty '" + since + "' is not a property name");
        }
        final SplitSpec split = entry.optObject("split").map(s -> split(s, type, matcher.group(2), since))
                .orElse(null);
        return new NodeMapping(nodeName, feature, matcher.group(2), kind, type, sourceUnit, twinUnit, sampling,
                (int) queue, deadband, aggregation, alarms, since, split);
    }

    private static SplitSpec split(final JsonEntry entry, final ValueType type, final String property,
            final String since) {
        entry.allowOnly("separator", "tailProperty");
        if (type != ValueType.STRING) {
            throw entry.error("split needs a string node, this one is " + type);
        }
        final String separator = entry.text("separator");
        final String tail = entry.text("tailProperty");
        if (!NAME.matcher(tail).matches()) {
            throw entry.error("tailProperty '" + tail + "' is not a property name");
        }
        if (tail.equals(property) || tail.equals(since)) {
            throw entry.error("tailProperty '" + tail + "' must differ from the node's property and sinceProperty");
        }
        return new SplitSpec(separator, tail);
    }

    private static DeadbandSpec deadband(final JsonEntry entry, final ValueType type) {
        entry.allowOnly("type", "value");
        final DeadbandSpec.Type kind = entry.enumValue("type", DeadbandSpec.Type.class, null);
        final double value = entry.optNumber("value").orElseThrow(() -> entry.error("missing field 'value'"));
        if (kind != DeadbandSpec.Type.NONE && !type.numeric()) {
            throw entry.error("a deadband needs a number or integer node, this one is " + type);
        }
        if (value < 0) {
            throw entry.error("value must be >= 0, got " + value);
        }
        if (kind == DeadbandSpec.Type.PERCENT && value > 100) {
            throw entry.error("a percent deadband must be in 0..100, got " + value);
        }
        return new DeadbandSpec(kind, value);
    }

    private static AggregationSpec aggregation(final JsonEntry entry, final ValueType type, final MessageKind kind) {
        entry.allowOnly("function", "windowMs");
        final AggregationSpec.Function function = entry.enumValue("function", AggregationSpec.Function.class, null);
        if (function == AggregationSpec.Function.NONE) {
            return AggregationSpec.NONE;
        }
        if (type != ValueType.NUMBER || kind != MessageKind.TELEMETRY) {
            throw entry.error("aggregation needs a number telemetry node, this one is " + type + " " + kind);
        }
        final double window = entry.optNumber("windowMs").orElseThrow(() -> entry.error("missing field 'windowMs'"));
        if (window < 1 || window != Math.rint(window)) {
            throw entry.error("windowMs must be a whole number of milliseconds >= 1, got " + window);
        }
        return new AggregationSpec(function, (long) window);
    }

    private static AlarmRule alarm(final JsonEntry entry) {
        entry.allowOnly("code", "direction", "warning", "critical", "hysteresis");
        final String code = entry.text("code");
        final AlarmRule.Direction direction = entry.enumValue("direction", AlarmRule.Direction.class,
                AlarmRule.Direction.ABOVE);
        final Double warning = entry.optNumber("warning").orElse(null);
        final Double critical = entry.optNumber("critical").orElse(null);
        final double hysteresis = entry.number("hysteresis", 0);
        if (warning == null && critical == null) {
            throw entry.error("alarm '" + code + "' needs a 'warning' or a 'critical' threshold (or both)");
        }
        if (hysteresis < 0) {
            throw entry.error("hysteresis must be >= 0, got " + hysteresis);
        }
        if (warning != null && critical != null) {
            final boolean ordered = direction == AlarmRule.Direction.ABOVE ? critical > warning : critical < warning;
            if (!ordered) {
                throw entry.error("alarm '" + code + "': critical threshold " + critical + " must be "
                        + (direction == AlarmRule.Direction.ABOVE ? "above" : "below") + " the warning threshold "
                        + warning + " for direction " + direction.name().toLowerCase());
            }
        }
        return new AlarmRule(code, direction, warning, critical, hysteresis);
    }

    private static CommandMapping command(final String name, final JsonEntry entry) {
        entry.allowOnly("method", "arguments");
        if (!NAME.matcher(name).matches()) {
            throw entry.error("command name '" + name + "' must be letters, digits and '_'");
        }
        final String method = entry.text("method");
        final List<CommandMapping.Argument> arguments = new ArrayList<>();
        final Set<String> names = new HashSet<>();
        for (final JsonEntry argument : entry.array("arguments", false)) {
            argument.allowOnly("name", "type");
            final String argName = argument.text("name");
            if (!names.add(argName)) {
                throw argument.error("argument '" + argName + "' is declared twice");
            }
            arguments.add(new CommandMapping.Argument(argName, argument.enumValue("type",
                    CommandMapping.ArgumentType.class, CommandMapping.ArgumentType.STRING)));
        }
        return new CommandMapping(name, method, arguments);
    }
}
