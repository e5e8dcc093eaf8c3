package io.plantmesh.devices.ingress.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PropertyBagTest {

    @Test
    void decodesTheBagAfterTheLastSlashQuestionMarkCaseInsensitively() {
        PropertyBag bag = PropertyBag.fromTopic(
                "event//plant1:machine-1-03/?Content-Type=application%2Fvnd.plantmesh.alarm%2Bjson&hono-ttl=30");
        assertThat(bag.topic()).isEqualTo("event//plant1:machine-1-03");
        assertThat(bag.get("content-type")).isEqualTo("application/vnd.plantmesh.alarm+json");
        assertThat(bag.get("HONO-TTL")).isEqualTo("30");
        assertThat(bag.get("on-error")).isNull();
    }

    @Test
    void topicWithoutBagIsUnchanged() {
        PropertyBag bag = PropertyBag.fromTopic("t");
        assertThat(bag.topic()).isEqualTo("t");
        assertThat(bag.properties()).isEmpty();
    }
}
