package io.plantmesh.maintenance.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;

import io.plantmesh.maintenance.model.HealthAlarm;
import io.plantmesh.maintenance.model.HealthAssessment;
import io.plantmesh.maintenance.model.Signal;
import io.plantmesh.maintenance.model.WearMode;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.validation.ThingModelValidator;

class HealthFeatureTest {

    private static final Instant T = Instant.parse("2026-01-05T10:00:00Z");

    private static HealthAssessment predicted() {
        final Map<WearMode, Double> scores = new EnumMap<>(WearMode.class);
        scores.put(WearMode.BEARING_WEAR, 12.345);
        scores.put(WearMode.TOOL_WEAR, 0.1);
        scores.put(WearMode.HYDRAULIC_LEAK, 0.0);
        final HealthAlarm alarm = new HealthAlarm(HealthAlarm.PREDICTED_FAILURE, "WARNING", "BEARING_WEAR predicted",
                T, "BEARING_WEAR", List.of("vibration 3.4 mm/s is 40 % above normal"));
        return new HealthAssessment("plant1:machine-1-03", T, "P2", HealthAssessment.ACTIVE, 0.999999, scores,
                WearMode.BEARING_WEAR, 0.4, new HealthAssessment.FailurePrediction(WearMode.BEARING_WEAR,
                        T.plusSeconds(5 * 3600), T.plusSeconds(4 * 3600), T.plusSeconds(6 * 3600), 0.9, 0.97),
                List.of(alarm), List.of(alarm), List.of(new HealthAssessment.SignalReading(Signal.VIBRATION, 3.4,
                        2.43, 0.05, 19.4)), null);
    }

    @Test
    void thePatchTouchesOnlyTheServicesPropertiesAndFitsTheThingModel() {
        final JsonObject patch = HealthFeature.patch(predicted(), new io.vertx.core.json.JsonObject()
                .put("status", "REQUESTED").put("windowId", "mw-1"));
        final JsonObject properties = patch.getValue("features/health/properties").orElseThrow().asObject();
        assertThat(properties.getKeys().stream().map(Object::toString).toList()).containsExactlyInAnyOrder(
                "anomalyScore", "suspectedMode", "modelState", "regime", "evaluatedAt", "modeScores",
                "predictedFailure", "predictiveAlarms", "maintenanceRequest");
        // the devices' threshold alarms belong to twin ingestion
        assertThat(properties.contains("alarms")).isFalse();
        assertThat(properties.getValue("modeScores/BEARING_WEAR")).contains(JsonValue.of(12.35));
        assertThat(properties.getValue("predictedFailure/earliest")).contains(JsonValue.of("2026-01-05T14:00:00Z"));
        assertThat(properties.getValue("maintenanceRequest/windowId")).contains(JsonValue.of("mw-1"));

        // merged into a machine twin, the result is valid against the machine Thing Model
        final Thing machine = MachineTwin.initial(PlantThingIds.machine("plant1", 1, 3), PlantThingIds.line("plant1",
                1), "Mill", DeviceBinding.hono("plant1", "plant1:machine-1-03"), T).toThing();
        final JsonObject merged = JsonObject.newBuilder().setAll(machine.toJson()).build()
                .setValue("features/health/properties", properties);
        assertThat(ThingModelValidator.plantModels().validate(ThingsModelFactory.newThing(merged))).isEmpty();
    }

    @Test
    void withoutAPredictionOrRequestThoseAreRemoved() {
        final HealthAssessment quiet = new HealthAssessment("plant1:machine-1-03", T, null, HealthAssessment.ACTIVE,
                null, Map.of(), null, null, null, List.of(), List.of(), List.of(), "machine DOWN: SPINDLE_BEARING");
        final JsonObject properties = HealthFeature.patch(quiet, null).getValue("features/health/properties")
                .orElseThrow().asObject();
        assertThat(properties.getValue("predictedFailure")).contains(JsonValue.nullLiteral());
        assertThat(properties.getValue("maintenanceRequest")).contains(JsonValue.nullLiteral());
        assertThat(properties.getValue("predictiveAlarms").orElseThrow().asArray()).isEmpty();
        assertThat(properties.getValue("anomalyScore")).contains(JsonValue.nullLiteral());
    }

    @Test
    void theAlertCarriesTheAlarmAndThePrediction() {
        final HealthAssessment a = predicted();
        final JsonObject alert = HealthFeature.alert(a, a.raised().get(0));
        assertThat(alert.getValue("alarm/code")).contains(JsonValue.of("PREDICTED_FAILURE"));
        assertThat(alert.getValue("predictedFailure")).contains(JsonValue.of("2026-01-05T15:00:00Z"));
    }
}
