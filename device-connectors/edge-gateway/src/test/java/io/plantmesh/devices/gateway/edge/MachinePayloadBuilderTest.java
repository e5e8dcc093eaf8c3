package io.plantmesh.devices.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class MachinePayloadBuilderTest {

    @Test
    void buildsThePlantMeshPayloadAndKeepsTheLatestValue() {
        final MachinePayloadBuilder builder = new MachinePayloadBuilder("plant1:machine-1-01");
        builder.put("telemetry", "spindleSpeed", 1000.0);
        builder.put("counters", "good", 17L);
        builder.put("telemetry", "temperature", 41.2);
        builder.put("telemetry", "spindleSpeed", 1200.5);
        builder.put("state", "reason", null);
        final List<byte[]> payloads = builder.drain(1764144000000L);
        assertThat(payloads).hasSize(1);
        assertThat(new String(payloads.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"ts\":1764144000000,"
                + "\"features\":{\"telemetry\":{\"spindleSpeed\":1200.5,\"temperature\":41.2},"
                + "\"counters\":{\"good\":17},\"state\":{\"reason\":null}}}");
        assertThat(builder.isEmpty()).isTrue();
        assertThat(builder.drain(1)).isEmpty();
    }

    @Test
    void splitsBetweenPropertiesToStayUnderTheLimitWithoutLosingAny() {
        final MachinePayloadBuilder builder = new MachinePayloadBuilder("plant1:machine-1-01");
        final Map<String, Object> expected = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            builder.put(i % 2 == 0 ? "telemetry" : "counters", "property" + i, i * 1.5);
            expected.put((i % 2 == 0 ? "telemetry" : "counters") + "/property" + i, i * 1.5);
        }
        final List<byte[]> payloads = builder.drain(42);
        assertThat(payloads).hasSizeGreaterThan(1);
        final Map<String, Object> seen = new HashMap<>();
        for (final byte[] payload : payloads) {
            assertThat(payload.length).isLessThan(MachinePayloadBuilder.HONO_PAYLOAD_LIMIT);
            final JsonObject json = new JsonObject(new String(payload, StandardCharsets.UTF_8));
            assertThat(json.getLong("ts")).isEqualTo(42L);
            json.getJsonObject("features").forEach(feature -> ((JsonObject) feature.getValue()).forEach(
                    p -> seen.put(feature.getKey() + "/" + p.getKey(), p.getValue())));
        }
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void dropsAPropertyThatAloneExceedsTheLimit() {
        final MachinePayloadBuilder builder = new MachinePayloadBuilder("plant1:machine-1-01", 128);
        builder.put("telemetry", "power", 3.5);
        builder.put("state", "reason", "x".repeat(200));
        builder.put("telemetry", "vibration", 1.25);
        final List<byte[]> payloads = builder.drain(7);
        assertThat(payloads).hasSize(1);
        assertThat(new String(payloads.get(0), StandardCharsets.UTF_8)).contains("power", "vibration")
                .doesNotContain("reason");
    }
}
