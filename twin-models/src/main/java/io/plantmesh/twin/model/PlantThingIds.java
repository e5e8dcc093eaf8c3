package io.plantmesh.twin.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.things.model.ThingId;

/**
 * Builds and parses PlantMesh thing ids. The namespace is the plant; the name says the kind:
 * <ul>
 *     <li>line: {@code plant1:line-1} (line number 1..9999, no leading zero)</li>
 *     <li>machine: {@code plant1:machine-1-03} (line number, then the machine's position on the line as two or more
 *     digits, 1..999)</li>
 *     <li>work order: {@code plant1:wo-000123} (order number, at least six digits, zero padded)</li>
 *     <li>material: {@code plant1:mat-RAW-1001} (the ERP material number: letters, digits, '-', '_' and '.', at most
 *     40 characters, starting with a letter or digit)</li>
 * </ul>
 * Every id is finally checked with {@link ThingId#of(CharSequence)}, so Ditto's own rules (namespace syntax, length)
 * hold as well. Plants are non-empty Ditto namespaces, e.g. {@code plant1} or {@code acme.plant1}.
 */
public final class PlantThingIds {

    private static final Pattern PLANT = Pattern.compile("[a-zA-Z]\\w*(?:[.-][a-zA-Z]\\w*)*");
    private static final Pattern LINE = Pattern.compile("line-([1-9]\\d{0,3})");
    private static final Pattern MACHINE = Pattern.compile("machine-([1-9]\\d{0,3})-(\\d{2,3})");
    private static final Pattern GATEWAY = Pattern.compile("gateway-([1-9]\\d{0,3})");
    private static final Pattern WORK_ORDER = Pattern.compile("wo-(\\d{6,12})");
    private static final Pattern MATERIAL = Pattern.compile("mat-([A-Za-z0-9][A-Za-z0-9._-]{0,39})");

    private PlantThingIds() {
    }

    /** {@code plant1:line-1}. */
    public static ThingId line(final String plant, final int lineNumber) {
        requireRange("line number", lineNumber, 1, 9999);
        return build(plant, "line-" + lineNumber);
    }

    /** {@code plant1:machine-1-03}: machine 3 of line 1. */
    public static ThingId machine(final String plant, final int lineNumber, final int machineNumber) {
        requireRange("line number", lineNumber, 1, 9999);
        requireRange("machine number", machineNumber, 1, 999);
        return build(plant, String.format("machine-%d-%02d", lineNumber, machineNumber));
    }

    /**
     * {@code plant1:gateway-1}: the edge gateway of line 1 (a Hono gateway device; device id = thing id), of
     * kind {@link TwinKind#GATEWAY} with the line number as key.
     */
    public static ThingId gateway(final String plant, final int lineNumber) {
        requireRange("line number", lineNumber, 1, 9999);
        return build(plant, "gateway-" + lineNumber);
    }

    /** True iff the id is an edge gateway's id of the form {@code <plant>:gateway-<line>}. */
    public static boolean isGateway(final CharSequence id) {
        final String text = String.valueOf(id);
        final int colon = text.indexOf(':');
        return colon > 0 && PLANT.matcher(text.substring(0, colon)).matches()
                && GATEWAY.matcher(text.substring(colon + 1)).matches();
    }

    /** {@code plant1:wo-000123}. */
    public static ThingId workOrder(final String plant, final long orderNumber) {
        requireRange("work order number", orderNumber, 1, 999_999_999_999L);
        return build(plant, String.format("wo-%06d", orderNumber));
    }

    /** {@code plant1:mat-RAW-1001}. */
    public static ThingId material(final String plant, final String materialNumber) {
        final String name = "mat-" + materialNumber;
        final boolean wellFormed = MATERIAL.matcher(name).matches();
        if (!wellFormed) {
            throw new InvalidPlantThingIdException("material number '" + materialNumber
                    + "' must be 1..40 letters, digits, '-', '_' or '.', starting with a letter or digit");
        }
        return build(plant, name);
    }

    /**
     * Parses a PlantMesh thing id.
     *
     * @throws InvalidPlantThingIdException if it is not a valid Ditto thing id or does not follow the conventions
     */
    public static PlantThingId parse(final CharSequence id) {
        final ThingId thingId = toThingId(String.valueOf(id));
        final String plant = thingId.getNamespace();
        if (!PLANT.matcher(plant).matches()) {
            throw new InvalidPlantThingIdException("'" + id + "' has no plant namespace");
        }
        final String name = thingId.getName();
        Matcher m = LINE.matcher(name);
        if (m.matches()) {
            return new PlantThingId(thingId, plant, TwinKind.LINE, m.group(1));
        }
        m = MACHINE.matcher(name);
        if (m.matches()) {
            return new PlantThingId(thingId, plant, TwinKind.MACHINE, m.group(1) + "-" + m.group(2));
        }
        m = WORK_ORDER.matcher(name);
        if (m.matches()) {
            return new PlantThingId(thingId, plant, TwinKind.WORK_ORDER, m.group(1));
        }
        m = MATERIAL.matcher(name);
        if (m.matches()) {
            return new PlantThingId(thingId, plant, TwinKind.MATERIAL, m.group(1));
        }
        m = GATEWAY.matcher(name);
        if (m.matches()) {
            return new PlantThingId(thingId, plant, TwinKind.GATEWAY, m.group(1));
        }
        throw new InvalidPlantThingIdException("'" + id + "' is not a PlantMesh id: expected <plant>:line-<n>, "
                + "<plant>:machine-<line>-<nn>, <plant>:wo-<nnnnnn>, <plant>:mat-<material number> or "
                + "<plant>:gateway-<line>");
    }

    /** Like {@link #parse(CharSequence)}, empty instead of an exception. */
    public static Optional<PlantThingId> tryParse(final CharSequence id) {
        try {
            return Optional.of(parse(id));
        } catch (final InvalidPlantThingIdException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses and requires a kind.
     *
     * @throws InvalidPlantThingIdException if the id is invalid or of another kind
     */
    public static PlantThingId parse(final CharSequence id, final TwinKind expected) {
        final PlantThingId parsed = parse(id);
        if (parsed.kind() != expected) {
            throw new InvalidPlantThingIdException("'" + id + "' is a " + parsed.kind() + " id, expected a "
                    + expected + " id");
        }
        return parsed;
    }

    /** The line a machine belongs to by its id: {@code plant1:machine-1-03} gives {@code plant1:line-1}. */
    public static ThingId lineOfMachine(final ThingId machine) {
        final PlantThingId parsed = parse(machine, TwinKind.MACHINE);
        final String lineNumber = parsed.key().substring(0, parsed.key().indexOf('-'));
        return build(parsed.plant(), "line-" + lineNumber);
    }

    private static ThingId build(final String plant, final String name) {
        final boolean validPlant = plant != null && PLANT.matcher(plant).matches();
        if (!validPlant) {
            throw new InvalidPlantThingIdException("plant '" + plant
                    + "' must be a non-empty Ditto namespace, e.g. plant1 or acme.plant1");
        }
        return toThingId(plant + ":" + name);
    }

    private static ThingId toThingId(final String id) {
        try {
            return ThingId.of(id);
        } catch (final DittoRuntimeException e) {
            throw new InvalidPlantThingIdException("'" + id + "' is not a valid Ditto thing id: " + e.getMessage());
        }
    }

    private static void requireRange(final String what, final long value, final long min, final long max) {
        final boolean inRange = value >= min && value <= max;
        if (!inRange) {
            throw new InvalidPlantThingIdException(what + " " + value + " must be in " + min + ".." + max);
        }
    }
}
