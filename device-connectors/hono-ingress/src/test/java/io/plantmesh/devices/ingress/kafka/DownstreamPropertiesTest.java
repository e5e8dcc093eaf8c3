package io.plantmesh.devices.ingress.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class DownstreamPropertiesTest {

    @Test
    void messageOverridesDeviceOverridesTenantDefaults() {
        Map<String, Object> headers = DownstreamProperties.merge(DownstreamProperties.Endpoint.TELEMETRY,
                new JsonObject().put("content-type", "text/tenant").put("site", "plant1"),
                new JsonObject().put("content-type", "text/device"),
                Map.of(HonoHeaders.DEVICE_ID, "plant1:m", HonoHeaders.QOS, 1));
        assertThat(headers).containsEntry("content-type", "text/device").containsEntry("site", "plant1")
                .doesNotContainKey("ttl");
    }

    @Test
    void eventTtlSecondsBecomeMillisecondsAndContentTypeDefaults() {
        Map<String, Object> headers = DownstreamProperties.merge(DownstreamProperties.Endpoint.EVENT,
                new JsonObject(), new JsonObject(), Map.of(HonoHeaders.TTL, 30L));
        assertThat(headers).containsEntry("ttl", 30_000L).containsEntry("content-type", "application/octet-stream");
    }

    @Test
    void telemetryTakesTheQosSpecificDefaultTtl() {
        Map<String, Object> headers = DownstreamProperties.merge(DownstreamProperties.Endpoint.TELEMETRY,
                new JsonObject().put("ttl-telemetry-qos0", 5).put("ttl-telemetry-qos1", 60), new JsonObject(),
                Map.of(HonoHeaders.QOS, 0));
        assertThat(headers).containsEntry("ttl", 5_000L).doesNotContainKeys("ttl-telemetry-qos0",
                "ttl-telemetry-qos1");
    }

    @Test
    void headersAreUtf8StringsOrJson() {
        assertThat(new String(HonoHeaders.encode("a/b"))).isEqualTo("a/b");
        assertThat(new String(HonoHeaders.encode(1))).isEqualTo("1");
        assertThat(new String(HonoHeaders.encode(Boolean.TRUE))).isEqualTo("true");
        assertThat(new String(HonoHeaders.encode(1_700_000_000_000L))).isEqualTo("1700000000000");
    }
}
