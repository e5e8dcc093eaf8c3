package io.plantmesh.devices.ingestion.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonField;
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
    void theValueSentLastWinsAndTheWatermarkIsTheLastPosition() {
        List<TwinUpdate> updates = List.of(
                machine(100, "{\"telemetry\":{\"properties\":{\"power\":1.0,\"temperature\":40.0}}}"),
                machine(200, "{\"counters\":{\"properties\":{\"good\":2}}}"),
                machine(300, "{\"telemetry\":{\"properties\":{\"power\":3.0}}}"));

        CoalescedPatch patch = CoalescedPatch.of(Channel.TELEMETRY, new KafkaPosition(2, 40),
                new KafkaPosition(2, 42), updates, null, 10);

        assertThat(at(patch, "telemetry/properties/power")).isEqualTo(JsonValue.of(3.0));
        assertThat(at(patch, "telemetry/properties/temperature")).isEqualTo(JsonValue.of(40.0));
        assertThat(at(patch, "counters/properties/good")).isEqualTo(JsonValue.of(2));
        assertThat(at(patch, "connectivity/properties/lastTelemetryPosition"))
                .isEqualTo(JsonObject.of("{\"partition\":2,\"offset\":42}"));
        String w = "features/connectivity/properties/lastTelemetryPosition";
        assertThat(patch.condition()).isEqualTo("or(not(exists(" + w + "/offset)),ne(" + w + "/partition,2),lt("
                + w + "/offset,40))");
    }

    @Test
    void updatesWithAnEqualTsApplyInKafkaOrder() {
        CoalescedPatch patch = CoalescedPatch.of(Channel.EVENT, new KafkaPosition(0, 7), new KafkaPosition(0, 8),
                List.of(machine(5, "{\"state\":{\"properties\":{\"state\":\"SETUP\"}}}"),
                        machine(5, "{\"state\":{\"properties\":{\"state\":\"RUNNING\"}}}")), null, 10);

        assertThat(at(patch, "state/properties/state")).isEqualTo(JsonValue.of("RUNNING"));
    }

    @Test
    void nullsSurviveSoThatTheMergeDeletes() {
        CoalescedPatch patch = CoalescedPatch.of(Channel.EVENT, new KafkaPosition(0, 1), new KafkaPosition(0, 2),
                List.of(machine(1, "{\"state\":{\"properties\":{\"state\":\"DOWN\",\"reason\":\"jam\"}}}"),
                        machine(2, "{\"state\":{\"properties\":{\"state\":\"RUNNING\",\"reason\":null}}}")),
                null, 10);

        assertThat(at(patch, "state/properties/reason")).isEqualTo(JsonValue.nullLiteral());
        assertThat(at(patch, "connectivity/properties/lastEventPosition/offset")).isEqualTo(JsonValue.of(2));
    }

    @Test
    void alarmsAppendToTheExistingListBoundedAndTheNewestIsLast() {
        JsonArray existing = JsonArray.of(entry("A", 1), entry("B", 2), entry("C", 3));
        CoalescedPatch patch = CoalescedPatch.of(Channel.EVENT, new KafkaPosition(0, 10), new KafkaPosition(0, 12),
                List.of(alarm("D", 4), alarm("B", 2), alarm("E", 5)), existing, 4);

        JsonArray alarms = at(patch, "health/properties/alarms").asArray();
        assertThat(alarms.stream().map(v -> v.asObject().getValue("code").orElseThrow().asString()).toList())
                .containsExactly("B", "C", "D", "E");
        assertThat(at(patch, "health/properties/lastAlarm/code")).isEqualTo(JsonValue.of("E"));
    }

    @Test
    void connectivityIsConditionalOnItsPositionToo() {
        CoalescedPatch patch = CoalescedPatch.of(Channel.EVENT, new KafkaPosition(1, 3), new KafkaPosition(1, 3),
                List.of(new ConnectivityUpdate(true, -1, Instant.parse("2026-11-26T08:00:00Z"))), null, 10);

        assertThat(patch.condition()).contains("lt(features/connectivity/properties/lastEventPosition/offset,3)");
        assertThat(patch.features()).isEqualTo(JsonObject.of("{\"connectivity\":{\"properties\":{\"connected\":true,"
                + "\"since\":\"2026-11-26T08:00:00Z\",\"ttd\":-1,"
                + "\"lastEventPosition\":{\"partition\":1,\"offset\":3}}}}"));
    }

    @Test
    void aWriteSpansOnePartitionOnly() {
        assertThatThrownBy(() -> CoalescedPatch.of(Channel.EVENT, new KafkaPosition(0, 3), new KafkaPosition(1, 4),
                List.of(machine(1, "{}")), null, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordIsCoveredOnlyByAWatermarkOfItsPartitionAtOrAfterIt() {
        KafkaPosition applied = new KafkaPosition(0, 10);
        assertThat(new KafkaPosition(0, 10).isCoveredBy(applied)).isTrue();
        assertThat(new KafkaPosition(0, 9).isCoveredBy(applied)).isTrue();
        assertThat(new KafkaPosition(0, 11).isCoveredBy(applied)).isFalse();
        assertThat(new KafkaPosition(1, 5).isCoveredBy(applied)).isFalse();
        assertThat(KafkaPosition.fromJson(applied.toJson())).contains(applied);
        assertThat(KafkaPosition.fromJson(JsonValue.of(1_764_144_000_000L))).isEmpty();
    }

    @Test
    void composingInOnePassEqualsMergingThePatchesOneAfterTheOther() {
        List<JsonObject> patches = List.of(
                JsonObject.of("{\"telemetry\":{\"properties\":{\"power\":1.0,\"temperature\":40.0}},"
                        + "\"state\":{\"properties\":{\"state\":\"RUNNING\"}}}"),
                JsonObject.of("{\"telemetry\":{\"properties\":{\"power\":null}}}"),
                JsonObject.of("{\"counters\":{\"properties\":{\"good\":1}},"
                        + "\"telemetry\":{\"properties\":{\"extra\":{\"a\":1}}}}"),
                JsonObject.of("{\"telemetry\":{\"properties\":{\"extra\":5}}}"),
                JsonObject.of("{\"telemetry\":{\"properties\":{\"extra\":{\"b\":2},\"power\":2.0}}}"),
                JsonObject.of("{\"state\":{\"properties\":{\"reason\":\"jam\"}}}"));

        for (int n = 1; n <= patches.size(); n++) {
            List<JsonObject> applied = patches.subList(0, n);
            JsonObject oneAfterTheOther = JsonObject.empty();
            for (JsonObject patch : applied) {
                oneAfterTheOther = mergeOneByOne(oneAfterTheOther, patch);
            }
            // same fields in the same order
            assertThat(CoalescedPatch.compose(applied).toString()).isEqualTo(oneAfterTheOther.toString());
        }
        assertThat(CoalescedPatch.compose(patches)).isEqualTo(JsonObject.of("{\"telemetry\":{\"properties\":"
                + "{\"power\":2.0,\"temperature\":40.0,\"extra\":{\"b\":2}}},\"state\":{\"properties\":"
                + "{\"state\":\"RUNNING\",\"reason\":\"jam\"}},\"counters\":{\"properties\":{\"good\":1}}}"));
    }

    /** The reference: RFC 7396 composition of two patches, by copying the result for every field. */
    private static JsonObject mergeOneByOne(JsonObject base, JsonObject patch) {
        JsonObject result = base;
        for (JsonField field : patch) {
            JsonValue incoming = field.getValue();
            JsonValue current = result.getValue(field.getKey()).orElse(null);
            if (incoming.isObject() && current != null && current.isObject()) {
                result = result.setValue(field.getKey(), mergeOneByOne(current.asObject(), incoming.asObject()));
            } else {
                result = result.setValue(field.getKey(), incoming);
            }
        }
        return result;
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
