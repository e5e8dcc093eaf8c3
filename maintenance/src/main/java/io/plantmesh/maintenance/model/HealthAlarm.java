package io.plantmesh.maintenance.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An alarm of the health model, with the reasons a person can check.
 *
 * @param code {@value #PREDICTED_FAILURE} (a failure is predicted within the horizon) or {@value #ANOMALY} (the
 * machine behaves unlike normal, and no known wear mode explains it)
 * @param severity INFO, WARNING or CRITICAL
 * @param failureMode the suspected mode; null for an anomaly
 * @param reasons one sentence per finding, e.g. {@code vibration 3.41 mm/s is 38 % above normal (2.47 mm/s, z 9.2)}
 */
public record HealthAlarm(String code, String severity, String message, Instant since, String failureMode,
        List<String> reasons) {

    public static final String PREDICTED_FAILURE = "PREDICTED_FAILURE";
    public static final String ANOMALY = "ANOMALY";

    public HealthAlarm {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(since, "since");
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    public JsonObject toJson() {
        final JsonObject json = new JsonObject().put("code", code).put("severity", severity).put("message", message)
                .put("since", since.toString()).put("reasons", new JsonArray(reasons));
        if (failureMode != null) {
            json.put("failureMode", failureMode);
        }
        return json;
    }

    public static HealthAlarm fromJson(final JsonObject json) {
        final List<String> reasons = json.getJsonArray("reasons", new JsonArray()).stream()
                .map(String::valueOf).toList();
        return new HealthAlarm(json.getString("code"), json.getString("severity"), json.getString("message"),
                Instant.parse(json.getString("since")), json.getString("failureMode"), reasons);
    }
}
