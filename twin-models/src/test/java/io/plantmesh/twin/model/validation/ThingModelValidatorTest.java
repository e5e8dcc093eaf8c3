package io.plantmesh.twin.model.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.SampleTwins;

class ThingModelValidatorTest {

    private final ThingModelValidator validator = ThingModelValidator.plantModels();

    static Stream<Thing> validTwins() {
        return Stream.of(
                SampleTwins.initialMachine().toThing(), SampleTwins.fullMachine().toThing(),
                SampleTwins.initialLine().toThing(), SampleTwins.fullLine().toThing(),
                SampleTwins.initialWorkOrder().toThing(), SampleTwins.fullWorkOrder().toThing(),
                SampleTwins.initialMaterial().toThing(), SampleTwins.fullMaterial().toThing());
    }

    @ParameterizedTest
    @MethodSource("validTwins")
    void acceptsInitialAndFullyPopulatedTwins(final Thing thing) {
        assertThat(validator.appliesTo(thing)).isTrue();
        assertThat(validator.validate(thing)).isEmpty();
    }

    @Test
    void loadsOnce() {
        assertThat(ThingModelValidator.plantModels()).isSameAs(validator);
    }

    @Test
    void rejectsUnknownMachineState() {
        final Thing thing = machine().setFeatureProperty("state", JsonPointer.of("state"), JsonValue.of("FLYING"));
        assertThat(validator.validate(thing)).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("/features/state/properties/state");
            assertThat(v.message()).contains("RUNNING, IDLE, DOWN, MAINTENANCE, SETUP").contains("FLYING");
        });
    }

    @Test
    void rejectsNonIntegerCounter() {
        final Thing thing = machine().setFeatureProperty("counters", JsonPointer.of("good"), JsonValue.of("many"));
        assertThat(validator.validate(thing)).containsExactly(new ModelViolation(
                "/features/counters/properties/good", "must be an integer but was string \"many\""));
    }

    @Test
    void rejectsFractionalAndNegativeCounters() {
        final Thing fractional = machine().setFeatureProperty("counters", JsonPointer.of("good"), JsonValue.of(1.5));
        assertThat(validator.validate(fractional)).extracting(ModelViolation::path)
                .containsExactly("/features/counters/properties/good");
        final Thing negative = machine().setFeatureProperty("counters", JsonPointer.of("scrap"), JsonValue.of(-1));
        assertThat(validator.validate(negative)).containsExactly(new ModelViolation(
                "/features/counters/properties/scrap", "must be >= 0 but was -1"));
        final Thing wholeDouble = machine().setFeatureProperty("counters", JsonPointer.of("good"), JsonValue.of(7.0));
        assertThat(validator.validate(wholeDouble)).isEmpty();
    }

    @Test
    void rejectsOutOfRangeOeeAndBadTimestamp() {
        final Thing thing = machine()
                .setFeatureProperty("oee", JsonPointer.of("availability"), JsonValue.of(1.2))
                .setFeatureProperty("state", JsonPointer.of("since"), JsonValue.of("yesterday"));
        assertThat(validator.validate(thing)).extracting(ModelViolation::path)
                .containsExactlyInAnyOrder("/features/oee/properties/availability",
                        "/features/state/properties/since");
    }

    @Test
    void rejectsMissingRequiredAttributeFeatureAndProperty() {
        final Thing thing = machine()
                .removeAttribute("name")
                .removeAttribute(JsonPointer.of("device/deviceId"))
                .removeFeature("counters")
                .removeFeatureProperty("state", JsonPointer.of("since"));
        assertThat(validator.validate(thing)).extracting(ModelViolation::path).containsExactlyInAnyOrder(
                "/attributes/name", "/attributes/device/deviceId", "/features/counters",
                "/features/state/properties/since");
    }

    @Test
    void checksMaintenanceWindowsAndTheMaintenanceServicesHealthFields() {
        final Thing thing = machine()
                .setFeatureProperty("maintenance", JsonPointer.of("windows/mw-1"), JsonObject.newBuilder()
                        .set("start", "2026-12-01T08:00:00Z").build())
                .setFeatureProperty("maintenance", JsonPointer.of("windows/mw-2"), JsonObject.newBuilder()
                        .set("start", "2026-12-01T08:00:00Z").set("end", "soon").build())
                .setFeatureProperty("health", JsonPointer.of("modelState"), JsonValue.of("SLEEPING"))
                .setFeatureProperty("health", JsonPointer.of("predictiveAlarms"), JsonFactory.newArrayBuilder()
                        .add(JsonObject.newBuilder().set("code", "PREDICTED_FAILURE").set("severity", "WARNING")
                                .set("reasons", JsonFactory.newArrayBuilder().add("vibration +40 %").build())
                                .build())
                        .add(JsonObject.newBuilder().set("code", "ANOMALY").build())
                        .build());
        assertThat(validator.validate(thing)).extracting(ModelViolation::path).containsExactlyInAnyOrder(
                "/features/maintenance/properties/windows/mw-1/end",
                "/features/maintenance/properties/windows/mw-2/end",
                "/features/health/properties/modelState",
                "/features/health/properties/predictiveAlarms/1/severity");
    }

    @Test
    void checksDesiredProperties() {
        final Thing thing = machine().setFeatureDesiredProperty("job", JsonPointer.of("workOrder"), JsonValue.of(42));
        assertThat(validator.validate(thing)).extracting(ModelViolation::path)
                .containsExactly("/features/job/desiredProperties/workOrder");
    }

    @Test
    void checksArrayItemsOfWorkOrders() {
        final JsonObject bomItemWithoutUnit = JsonFactory.newObjectBuilder()
                .set("material", "RAW-1")
                .set("quantity", 1)
                .build();
        final Thing thing = SampleTwins.initialWorkOrder().toThing()
                .setAttribute(JsonPointer.of("billOfMaterials"), JsonFactory.newArrayBuilder()
                        .add(bomItemWithoutUnit).build())
                .setFeatureProperty("status", JsonPointer.of("status"), JsonValue.of("DONE"));
        assertThat(validator.validate(thing)).extracting(ModelViolation::path).containsExactlyInAnyOrder(
                "/attributes/billOfMaterials/0/unit", "/features/status/properties/status");
    }

    @Test
    void rejectsWrongTypesInLineAndMaterial() {
        final Thing line = SampleTwins.initialLine().toThing()
                .setFeatureProperty("machines", JsonPointer.of("thingIds"), JsonValue.of("plant1:machine-1-03"));
        assertThat(validator.validate(line)).containsExactly(new ModelViolation(
                "/features/machines/properties/thingIds", "must be an array but was string \"plant1:machine-1-03\""));
        final Thing material = SampleTwins.initialMaterial().toThing()
                .setFeatureProperty("stock", JsonPointer.of("onHand"), JsonValue.of(true));
        assertThat(validator.validate(material)).extracting(ModelViolation::path)
                .containsExactly("/features/stock/properties/onHand");
    }

    @Test
    void allowsUnknownAttributesFeaturesAndProperties() {
        final Thing thing = machine()
                .setAttribute(JsonPointer.of("location/hall"), JsonValue.of("H2"))
                .setFeatureProperty("telemetry", JsonPointer.of("coolantPressure"), JsonValue.of(4.2))
                .setFeature(ThingsModelFactory.newFeature("camera",
                        ThingsModelFactory.newFeatureProperties(JsonFactory.newObject("{\"fps\":30}"))));
        assertThat(validator.validate(thing)).isEmpty();
    }

    @Test
    void unknownPlantMeshVersionIsAViolation() {
        final Thing thing = machine().setDefinition(ThingsModelFactory.newDefinition("io.plantmesh:machine:9.9.9"));
        assertThat(validator.appliesTo(thing)).isTrue();
        assertThat(validator.validate(thing)).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("/definition");
            assertThat(v.message()).contains("unknown PlantMesh definition 'io.plantmesh:machine:9.9.9'")
                    .contains("io.plantmesh:machine:1.0.0");
        });
    }

    @Test
    void foreignOrMissingDefinitionsAreNotOurs() {
        final Thing foreign = machine().setDefinition(ThingsModelFactory.newDefinition("org.example:pump:1.0.0"))
                .setFeatureProperty("state", JsonPointer.of("state"), JsonValue.of("FLYING"));
        assertThat(validator.appliesTo(foreign)).isFalse();
        assertThat(validator.validate(foreign)).isEmpty();
        final Thing none = machine().removeDefinition();
        assertThat(validator.appliesTo(none)).isFalse();
        assertThat(validator.validate(none)).isEmpty();
    }

    @Test
    void followsTheThingModelNotCode() {
        // a made-up model: if the validator had per-kind code, this would not be enforced
        final JsonObject tm = JsonFactory.newObject("""
                {
                  "@context": "https://www.w3.org/2022/wot/td/v1.1",
                  "@type": "tm:ThingModel",
                  "version": {"model": "2.0.0"},
                  "tm:required": ["#/properties/colour", "#/pm:features/lamp"],
                  "properties": {"colour": {"type": "string", "enum": ["RED", "GREEN"]}},
                  "pm:features": {
                    "lamp": {"properties": {"on": {"type": "boolean"}, "label": {"type": "string", "pattern": "^L-"}},
                             "required": ["on"]}
                  }
                }
                """);
        final ThingModelValidator custom = ThingModelValidator.forModels(Map.of("io.plantmesh:lamp:2.0.0", tm));
        final Thing good = ThingsModelFactory.newThing("""
                {"thingId": "plant1:lamp-1", "definition": "io.plantmesh:lamp:2.0.0",
                 "attributes": {"colour": "RED"}, "features": {"lamp": {"properties": {"on": true, "label": "L-1"}}}}
                """);
        assertThat(custom.validate(good)).isEmpty();
        final Thing bad = good.setAttribute(JsonPointer.of("colour"), JsonValue.of("BLUE"))
                .setFeatureProperty("lamp", JsonPointer.of("on"), JsonValue.of("yes"))
                .setFeatureProperty("lamp", JsonPointer.of("label"), JsonValue.of("X-1"));
        assertThat(custom.validate(bad)).extracting(ModelViolation::path).containsExactlyInAnyOrder(
                "/attributes/colour", "/features/lamp/properties/on", "/features/lamp/properties/label");
        // the plant machine model is not loaded in this validator
        assertThat(custom.validate(machine())).extracting(ModelViolation::path).containsExactly("/definition");
    }

    @Test
    void malformedThingModelsFailAtLoad() {
        final JsonObject wrongType = JsonFactory.newObject("""
                {"@context": "https://www.w3.org/2022/wot/td/v1.1", "@type": "tm:ThingModel",
                 "version": {"model": "1.0.0"}, "properties": {"x": {"type": "strng"}}}
                """);
        assertThatThrownBy(() -> ThingModelValidator.forModels(Map.of("io.plantmesh:x:1.0.0", wrongType)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'strng'");
        final JsonObject requiredButUndescribed = JsonFactory.newObject("""
                {"@context": "https://www.w3.org/2022/wot/td/v1.1", "@type": "tm:ThingModel",
                 "version": {"model": "1.0.0"}, "tm:required": ["#/pm:features/ghost"]}
                """);
        assertThatThrownBy(() -> ThingModelValidator.forModels(Map.of("io.plantmesh:x:1.0.0",
                requiredButUndescribed))).hasMessageContaining("ghost");
        final JsonObject wrongVersion = JsonFactory.newObject("""
                {"@context": "https://www.w3.org/2022/wot/td/v1.1", "@type": "tm:ThingModel",
                 "version": {"model": "1.1.0"}}
                """);
        assertThatThrownBy(() -> ThingModelValidator.forModels(Map.of("io.plantmesh:x:1.0.0", wrongVersion)))
                .hasMessageContaining("version.model 1.1.0");
    }

    private static Thing machine() {
        return SampleTwins.initialMachine().toThing();
    }

    @Test
    void everyBundledModelIsLoaded() {
        for (final var definition : PlantDefinitions.currentDefinitions()) {
            final Thing empty = ThingsModelFactory.newThingBuilder()
                    .setId(SampleTwins.LINE_1).setDefinition(definition).build();
            // an empty thing misses required attributes, but is never "unknown definition"
            final List<ModelViolation> violations = validator.validate(empty);
            assertThat(violations).isNotEmpty().noneMatch(v -> v.path().equals("/definition"));
        }
    }
}
