package io.plantmesh.twin.model.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingDefinition;

import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.TwinKind;

/**
 * Checks a thing against the WoT Thing Model its PlantMesh definition names. The twin server calls it on every write
 * to a thing whose definition is in the {@code io.plantmesh} namespace, with the thing as it would be after the write.
 * <p>
 * The Thing Models in this module's resources are the single source of truth: they are compiled once into schema
 * objects and this class holds no per-kind rules. Required attributes, features and properties, JSON types, enums,
 * minimum/maximum, minLength and date-time formats are checked; unknown attributes, features and properties are
 * allowed. Thread-safe and immutable.
 */
public final class ThingModelValidator {

    private final Map<String, CompiledThingModel> modelsByDefinition;

    private ThingModelValidator(final Map<String, CompiledThingModel> modelsByDefinition) {
        this.modelsByDefinition = Map.copyOf(modelsByDefinition);
    }

    /**
     * The validator for the PlantMesh Thing Models (the four twin kinds and the edge gateway, current versions), loaded and compiled from the classpath
     * once per JVM; every call returns the same instance.
     *
     * @throws IllegalStateException if a bundled Thing Model is missing or malformed (a build defect)
     */
    public static ThingModelValidator plantModels() {
        return PlantModelsHolder.INSTANCE;
    }

    /** Models keyed by definition id, for tests that prove the validator follows the TM rather than code. */
    static ThingModelValidator forModels(final Map<String, JsonObject> thingModelsByDefinition) {
        final Map<String, CompiledThingModel> compiled = new TreeMap<>();
        thingModelsByDefinition.forEach((definition, tm) ->
                compiled.put(definition, CompiledThingModel.compile(definition, tm)));
        return new ThingModelValidator(compiled);
    }

    /** True iff the thing's definition is a PlantMesh one ({@code io.plantmesh:<name>:<version>}), known or not. */
    public boolean appliesTo(final Thing thing) {
        return PlantDefinitions.isPlantMesh(thing);
    }

    /**
     * The violations of the thing against its Thing Model; empty if it is valid or not a PlantMesh thing. A PlantMesh
     * definition this validator has no model for (another name or version) is itself a violation at
     * {@code /definition}.
     */
    public List<ModelViolation> validate(final Thing thing) {
        if (!appliesTo(thing)) {
            return List.of();
        }
        final String definition = thing.getDefinition().map(ThingDefinition::toString).orElseThrow();
        final CompiledThingModel model = modelsByDefinition.get(definition);
        if (model == null) {
            return List.of(new ModelViolation("/definition", "unknown PlantMesh definition '" + definition
                    + "'; known definitions: " + String.join(", ", new TreeMap<>(modelsByDefinition).keySet())));
        }
        final List<ModelViolation> violations = new ArrayList<>();
        model.validate(thing, violations);
        return List.copyOf(violations);
    }

    private static final class PlantModelsHolder {

        // class-holder idiom: loaded on first use, exactly once, without locking on later calls
        static final ThingModelValidator INSTANCE = load();

        private static ThingModelValidator load() {
            final Map<String, JsonObject> models = new TreeMap<>();
            for (final TwinKind kind : TwinKind.values()) {
                models.put(PlantDefinitions.definitionOf(kind).toString(),
                        readResource(PlantDefinitions.modelResource(kind)));
            }
            return forModels(models);
        }

        private static JsonObject readResource(final String resource) {
            try (InputStream in = ThingModelValidator.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Thing Model resource " + resource + " is missing");
                }
                return JsonFactory.readFrom(new String(in.readAllBytes(), StandardCharsets.UTF_8)).asObject();
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read Thing Model " + resource, e);
            }
        }
    }
}
