package io.plantmesh.maintenance.twin;

import java.util.Locale;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import io.vertx.core.json.JsonArray;

import io.plantmesh.maintenance.model.HealthAlarm;
import io.plantmesh.maintenance.model.HealthAssessment;

/**
 * The maintenance service's part of the machine twin's {@code features/health} as a merge patch: anomaly score,
 * suspected mode, mode scores, model state, regime, evaluation time, predicted failure (with its interval), predictive
 * alarms with reasons and the maintenance request. It never touches {@code alarms} or {@code lastAlarm}, which twin
 * ingestion writes from the devices' threshold alarms. Absent values are written as null (removed).
 */
public final class HealthFeature {

    /** Subject of the alert event raised from the machine's outbox when an alarm is raised. */
    public static final String ALERT_SUBJECT = "healthAlert";

    private HealthFeature() {
    }

    /**
     * The merge patch for the whole thing.
     *
     * @param request what was asked of the MES for the current episode; null if nothing
     */
    public static JsonObject patch(final HealthAssessment a, final io.vertx.core.json.JsonObject request) {
        final org.eclipse.ditto.json.JsonObjectBuilder properties = JsonObject.newBuilder()
                .set("anomalyScore", a.anomalyScore() == null ? JsonValue.nullLiteral()
                        : JsonValue.of(round(a.anomalyScore(), 4)))
                .set("suspectedMode", a.suspectedMode() == null ? JsonValue.nullLiteral()
                        : JsonValue.of(a.suspectedMode().name()))
                .set("modelState", a.state())
                .set("regime", a.regime() == null ? JsonValue.nullLiteral() : JsonValue.of(a.regime()))
                .set("evaluatedAt", a.at().toString());
        final org.eclipse.ditto.json.JsonObjectBuilder scores = JsonObject.newBuilder();
        a.modeScores().forEach((mode, score) -> scores.set(JsonFactory.newKey(mode.name()),
                JsonValue.of(round(score, 2))));
        properties.set("modeScores", scores.build());
        if (a.prediction() == null) {
            properties.set("predictedFailure", JsonValue.nullLiteral());
        } else {
            final HealthAssessment.FailurePrediction p = a.prediction();
            properties.set("predictedFailure", JsonObject.newBuilder()
                    .set("at", p.at().toString())
                    .set("earliest", p.earliest().toString())
                    .set("latest", p.latest().toString())
                    .set("confidence", p.confidence())
                    .set("failureMode", p.mode().name())
                    .set("probability", round(p.probabilityWithinHorizon(), 3))
                    .build());
        }
        final io.vertx.core.json.JsonArray alarms = new JsonArray();
        a.alarms().forEach(alarm -> alarms.add(alarm.toJson()));
        properties.set("predictiveAlarms", JsonFactory.readFrom(alarms.encode()));
        properties.set("maintenanceRequest", request == null ? JsonValue.nullLiteral()
                : JsonFactory.readFrom(request.encode()));
        return JsonObject.newBuilder().set("features", JsonObject.newBuilder().set("health", JsonObject.newBuilder()
                .set("properties", properties.build()).build()).build()).build();
    }

    /** The payload of the alert event for a raised alarm. */
    public static JsonObject alert(final HealthAssessment a, final HealthAlarm alarm) {
        final org.eclipse.ditto.json.JsonObjectBuilder json = JsonObject.newBuilder()
                .set("machine", a.machineId())
                .set("alarm", JsonFactory.readFrom(alarm.toJson().encode()));
        if (a.prediction() != null) {
            json.set("predictedFailure", a.prediction().at().toString())
                    .set("earliest", a.prediction().earliest().toString())
                    .set("latest", a.prediction().latest().toString());
        }
        return json.build();
    }

    private static double round(final double value, final int decimals) {
        return Double.parseDouble(String.format(Locale.ROOT, "%." + decimals + "f", value));
    }
}
