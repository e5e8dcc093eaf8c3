package io.plantmesh.twin.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingDefinition;
import org.eclipse.ditto.things.model.ThingsModelFactory;

/**
 * The one place that maps a Ditto thing definition ({@code io.plantmesh:<kind>:<version>}) to a {@link TwinKind} and to
 * the WoT Thing Model resource that describes it.
 */
public final class PlantDefinitions {

    /** Namespace of every PlantMesh definition id; a thing whose definition has it is "ours". */
    public static final String NAMESPACE = "io.plantmesh";

    /** The model version this build writes and validates for every kind. */
    public static final String CURRENT_VERSION = "1.0.0";

    public static final ThingDefinition MACHINE = definition(TwinKind.MACHINE, CURRENT_VERSION);
    public static final ThingDefinition LINE = definition(TwinKind.LINE, CURRENT_VERSION);
    public static final ThingDefinition WORK_ORDER = definition(TwinKind.WORK_ORDER, CURRENT_VERSION);
    public static final ThingDefinition MATERIAL = definition(TwinKind.MATERIAL, CURRENT_VERSION);

    /** Name of the edge gateway's model in definition ids and Thing Model files ({@link TwinKind#GATEWAY}). */
    public static final String EDGE_GATEWAY_MODEL = TwinKind.GATEWAY.modelName();

    /** {@code io.plantmesh:edge-gateway:1.0.0}: the twin of an edge gateway (Hono gateway device). */
    public static final ThingDefinition EDGE_GATEWAY = definition(TwinKind.GATEWAY, CURRENT_VERSION);

    private static final String RESOURCE_FOLDER = "/io/plantmesh/twin/model/tm/";

    private PlantDefinitions() {
    }

    /** The current definition of a kind, e.g. {@code io.plantmesh:machine:1.0.0}. */
    public static ThingDefinition definitionOf(final TwinKind kind) {
        return switch (kind) {
            case MACHINE -> MACHINE;
            case LINE -> LINE;
            case WORK_ORDER -> WORK_ORDER;
            case MATERIAL -> MATERIAL;
            case GATEWAY -> EDGE_GATEWAY;
        };
    }

    /** All current definitions, one per kind. */
    public static List<ThingDefinition> currentDefinitions() {
        return Arrays.stream(TwinKind.values()).map(PlantDefinitions::definitionOf).toList();
    }

    /**
     * Classpath resource of the WoT Thing Model of a kind in the current version,
     * e.g. {@code /io/plantmesh/twin/model/tm/machine-1.0.0.tm.jsonld}.
     */
    public static String modelResource(final TwinKind kind) {
        return RESOURCE_FOLDER + kind.modelName() + "-" + CURRENT_VERSION + ".tm.jsonld";
    }

    /** Classpath resource of the edge gateway's WoT Thing Model ({@link #modelResource} of the gateway kind). */
    public static String gatewayModelResource() {
        return modelResource(TwinKind.GATEWAY);
    }

    /** True iff the definition is in the PlantMesh namespace, whatever its name and version. */
    public static boolean isPlantMesh(final ThingDefinition definition) {
        // a URL definition has no namespace of this form, so a string prefix test is enough and never throws
        return definition.toString().startsWith(NAMESPACE + ":");
    }

    /** True iff the thing declares a PlantMesh definition (of any name and version). */
    public static boolean isPlantMesh(final Thing thing) {
        return thing.getDefinition().map(PlantDefinitions::isPlantMesh).orElse(false);
    }

    /** The kind whose <em>current</em> definition equals the given one; empty for foreign or unknown versions. */
    public static Optional<TwinKind> kindOf(final ThingDefinition definition) {
        final String id = definition.toString();
        return Arrays.stream(TwinKind.values())
                .filter(kind -> definitionOf(kind).toString().equals(id))
                .findFirst();
    }

    /** The kind of a thing by its current PlantMesh definition; empty if it has none or another one. */
    public static Optional<TwinKind> kindOf(final Thing thing) {
        return thing.getDefinition().flatMap(PlantDefinitions::kindOf);
    }

    private static ThingDefinition definition(final TwinKind kind, final String version) {
        return ThingsModelFactory.newDefinition(NAMESPACE + ":" + kind.modelName() + ":" + version);
    }
}
