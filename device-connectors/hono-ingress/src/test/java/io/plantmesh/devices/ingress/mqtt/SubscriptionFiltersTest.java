package io.plantmesh.devices.ingress.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubscriptionFiltersTest {

    private static final AuthenticatedDevice GATEWAY = new AuthenticatedDevice("plant1", "plant1:gateway-1",
            "plant1_gateway-1");

    @Test
    void commandFiltersInHonosForms() {
        var own = CommandSubscriptions.Filter.parse("command///req/#").orElseThrow();
        assertThat(own.device()).isEmpty();
        assertThat(own.withTenant()).isFalse();
        var all = CommandSubscriptions.Filter.parse("c/plant1/+/q/#").orElseThrow();
        assertThat(all.allDevices()).isTrue();
        assertThat(all.withTenant()).isTrue();
        assertThat(all.endpoint()).isEqualTo("c");
        assertThat(all.requestPart()).isEqualTo("q");
        assertThat(CommandSubscriptions.Filter.parse("command//plant1:machine-1-01/req/#").orElseThrow().device())
                .isEqualTo("plant1:machine-1-01");
        assertThat(CommandSubscriptions.Filter.parse("command/+//req/#")).isEmpty();
        assertThat(CommandSubscriptions.Filter.parse("command///res/#")).isEmpty();
        assertThat(CommandSubscriptions.Filter.parse("command/#")).isEmpty();
    }

    @Test
    void errorTopicNamesTheDeviceOnlyIfTheFilterDid() {
        ErrorTopic.Subscription own = ErrorTopic.parse("e///#", GATEWAY).orElseThrow();
        assertThat(ErrorTopic.topic(own, "plant1", "plant1:gateway-1", "t", "-1", 400)).isEqualTo("e///t/-1/400");
        ErrorTopic.Subscription all = ErrorTopic.parse("error/plant1/+/#", GATEWAY).orElseThrow();
        assertThat(ErrorTopic.topic(all, "plant1", "plant1:machine-1-02", "event", "7", 503))
                .isEqualTo("error/plant1/plant1:machine-1-02/event/7/503");
        assertThat(ErrorTopic.parse("error/other/+/#", GATEWAY)).isEmpty();
        assertThat(ErrorTopic.parse("error//+/x", GATEWAY)).isEmpty();
    }

    @Test
    void errorHandlingModeDependsOnTheErrorSubscription() {
        assertThat(ErrorHandlingMode.from(null).effective(false)).isEqualTo(ErrorHandlingMode.DISCONNECT);
        assertThat(ErrorHandlingMode.from(null).effective(true)).isEqualTo(ErrorHandlingMode.IGNORE);
        assertThat(ErrorHandlingMode.from("skip-ack").effective(true)).isEqualTo(ErrorHandlingMode.SKIP_ACK);
        assertThat(ErrorHandlingMode.from("Disconnect").effective(true)).isEqualTo(ErrorHandlingMode.DISCONNECT);
    }
}
