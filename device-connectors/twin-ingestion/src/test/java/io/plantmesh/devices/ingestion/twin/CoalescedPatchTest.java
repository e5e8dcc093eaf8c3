package io.plantmesh.devices.ingestion.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.ingestion.mapping.TwinUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.AlarmUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.ConnectivityUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.MachineUpdate;

class CoalescedPatchTest {

    @Test
    void newestValuePerPropertyWinsByTsNotByArrival() {
        List<TwinUpdate> updates = List.of(
                machine(300, "{\"telemetry\":{\"properties\":{\"power\":3.0}}}"),
                machine(100, "{\"telemetry\":{\"properties\":{\"power\":1.0,\"temperature\":40.0}}}"),
                machine(200, "{\"counters\":{\"properties\":{\"good\":2}}}"));

        CoalescedPatch patch = CoalescedPatch.of(Channel.TELEMETRY, updates, null, 10);

        assertThat(at(patch, "telemetry/properties/power")).isEqualTo(JsonValue.of(3.0));
        assertThat(at(patch, "telemetry/properties/temperature")).isEqualTo(JsonValue.of(40.0));
        assertThat(at(patch, "counters/properties/good")).isEqualTo(JsonValue.of(2));
        assertThat(at(patch, "connectivity/properties/lastTelemetryTs")).isEqualTo(JsonValue.of(300));
        assertThat(patch.condition()).isEqualTo("or(not(exists(features/connectivity/properties/lastTelemetryTs)),"
                + "lt(features/connectivity/properties/lastTelemetryTs,100))");
    }

    @Test
    void nullsSurviveSoThatTheMergeDeletes() {
        CoalescedPatch patch = CoalescedPatch.of(Channel.EVENT, List.of(
                machine(1, "{\"state\":{\"properties\":{\"state\":\"DOWN\",\"reason\":\"jam\"}}}"),
                machine(2, "{\"state\":{\"properties\":{\"state\":\"RUNNING\",\"reason\":null}}}")), null, 10);

        assertThat(at(patch, "state/properties/reason")).isEqualTo(JsonValue.nullLiteral());
        assertThat(at(patch, "connectivity/properties/lastEventTs")).isEqualTo(JsonValue.of(2));
    }

    @Test
    void alarmsAppendToTheExistingListBoundedAndTheNewestIsLast() {
        JsonArray existing = JsonArray.of(entry("A", 1), entry("B", 2), entry("C", 3));
        CoalescedPatch patch = CoalescedPatch.of(Channel.EVENT, List.of(alarm("D", 4), alarm("B", 2), alarm("E", 5)),
                existing, 4);

        JsonArray alarms = at(patch, "health/properties/alarms").asArray();
        assertThat(alarms.stream().map(v -> v.asObject().getValue("code").orElseThrow().asString()).toList())
                .containsExactly("B", "C", "D", "E");
        assertThat(at(patch, "health/properties/lastAlarm/code")).isEqualTo(JsonValue.of("E"));
    }

    @Test
    void connectivityAloneIsUnconditional() {
        CoalescedPatch patch = CoalescedPatch.of(Channel.EVENT, List.of(
                new ConnectivityUpdate(true, -1, Instant.parse("2026-11-26T08:00:00Z"))), null, 10);

        assertThat(patch.condition()).isNull();
        assertThat(patch.features()).isEqualTo(JsonObject.of("{\"connectivity\":{\"properties\":{\"connected\":true,"
                + "\"since\":\"2026-11-26T08:00:00Z\",\"ttd\":-1}}}"));
    }

    private static JsonValue at(CoalescedPatch patch, String pointer) {
        return patch.features().getValue(JsonPointer.of(pointer)).orElse(null);
    }

    private static MachineUpdate machine(long ts, String features) {
        return new MachineUpdate(ts, JsonObject.of(features));
    }

    private static JsonObject entry(String code, long ts) {
        return JsonObject.of("{\"code\":\"" + code + "\",\"severity\":\"WARNING\",\"since\":\""
                + Instant.ofEpochMilli(ts) + "\"}");
    }

    private static AlarmUpdate alarm(String code, long ts) {
        return new AlarmUpdate(ts, entry(code, ts), entry(code, ts).setValue("ts", ts));
    }
}
