package io.plantmesh.devices.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

import io.plantmesh.devices.gateway.buffer.BufferCounters;
import io.plantmesh.devices.gateway.edge.OutboundMessage;
import io.plantmesh.devices.gateway.mapping.MessageKind;

class GatewayHealthReporterTest {

    private static final String GATEWAY = "plant1:gateway-1";
    private static final String ENDPOINT = "opc.tcp://127.0.0.1:4841/plantmesh";

    private static BufferCounters buffer(final long messages, final long dropped) {
        return new BufferCounters(messages, messages * 100, 0, 0, dropped, 1L << 20);
    }

    private static List<GatewayHealthReporter.Session> sessions(final boolean connected, final String error) {
        return List.of(new GatewayHealthReporter.Session("plant1:machine-1-01", connected, ENDPOINT, error),
                new GatewayHealthReporter.Session("plant1:machine-1-02", connected, ENDPOINT, error));
    }

    @Test
    void firstReportCarriesBufferAndSessionsAsTelemetryForTheGatewayItself() {
        final GatewayHealthReporter reporter = new GatewayHealthReporter(GATEWAY, 10_000);
        final List<OutboundMessage> out = reporter.poll(1_000, buffer(3, 0), sessions(true, null), false);
        assertThat(out).hasSize(1);
        final OutboundMessage message = out.get(0);
        assertThat(message.deviceId()).isEqualTo(GATEWAY);
        assertThat(message.kind()).isEqualTo(MessageKind.TELEMETRY);
        assertThat(message.contentType()).isEqualTo("application/vnd.plantmesh.gateway+json");
        final JsonObject body = new JsonObject(message.payloadText());
        assertThat(body.getLong("ts")).isEqualTo(1_000L);
        final JsonObject features = body.getJsonObject("features");
        assertThat(features.getJsonObject("buffer").getLong("messages")).isEqualTo(3L);
        assertThat(features.getJsonObject("buffer").getLong("bytes")).isEqualTo(300L);
        assertThat(features.getJsonObject("buffer").getLong("overflowed")).isZero();
        assertThat(features.getJsonObject("buffer").getLong("boundBytes")).isEqualTo(1L << 20);
        final JsonObject machine = features.getJsonObject("opcua").getJsonObject("machines")
                .getJsonObject("plant1:machine-1-02");
        assertThat(machine.getString("session")).isEqualTo("CONNECTED");
        assertThat(machine.getString("endpoint")).isEqualTo(ENDPOINT);
    }

    @Test
    void reportsEveryIntervalAndAtOnceOnAChange() {
        final GatewayHealthReporter reporter = new GatewayHealthReporter(GATEWAY, 10_000);
        assertThat(reporter.poll(0, buffer(0, 0), sessions(true, null), false)).isNotEmpty();
        assertThat(reporter.poll(1_000, buffer(5, 0), sessions(true, null), false))
                .as("buffer depth alone waits for the interval").isEmpty();
        assertThat(reporter.poll(10_000, buffer(5, 0), sessions(true, null), false)).isNotEmpty();
        assertThat(reporter.poll(11_000, buffer(0, 0), sessions(true, null), false))
                .as("the buffer became empty").isNotEmpty();
        assertThat(reporter.poll(12_000, buffer(0, 0), sessions(false, "connection refused"), false))
                .as("a session was lost").isNotEmpty();
        assertThat(reporter.poll(13_000, buffer(0, 0), sessions(false, "connection refused"), false)).isEmpty();
        assertThat(reporter.poll(14_000, buffer(0, 7), sessions(false, "connection refused"), false))
                .as("telemetry overflowed").isNotEmpty();
        assertThat(reporter.poll(15_000, buffer(0, 7), sessions(false, "connection refused"), true))
                .as("forced (MQTT connected)").isNotEmpty();
        assertThat(reporter.reports()).isEqualTo(6);
    }

    @Test
    void manyMachinesAreSplitIntoPayloadsUnderHonosLimitWithLongErrorsCut() {
        final GatewayHealthReporter reporter = new GatewayHealthReporter(GATEWAY, 10_000);
        final List<GatewayHealthReporter.Session> many = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            many.add(new GatewayHealthReporter.Session(String.format("plant1:machine-1-%02d", i), false, ENDPOINT,
                    "x".repeat(500)));
        }
        final List<OutboundMessage> out = reporter.poll(0, buffer(1, 0), many, false);
        assertThat(out).hasSizeGreaterThan(1);
        int machines = 0;
        for (final OutboundMessage message : out) {
            assertThat(message.payload().length).isLessThanOrEqualTo(GatewayHealthReporter.MAX_PAYLOAD_BYTES);
            final JsonObject machinesJson = new JsonObject(message.payloadText()).getJsonObject("features")
                    .getJsonObject("opcua").getJsonObject("machines");
            machines += machinesJson.size();
            machinesJson.forEach(e -> assertThat(((JsonObject) e.getValue()).getString("lastError"))
                    .hasSize(GatewayHealthReporter.MAX_ERROR_CHARS).endsWith("..."));
        }
        assertThat(machines).isEqualTo(40);
        assertThat(new JsonObject(out.get(0).payloadText()).getJsonObject("features").containsKey("buffer")).isTrue();
        assertThat(new JsonObject(out.get(1).payloadText()).getJsonObject("features").containsKey("buffer")).isFalse();
    }

    @Test
    void intervalMustBePositive() {
        assertThatThrownBy(() -> new GatewayHealthReporter(GATEWAY, 0)).hasMessageContaining("must be positive");
    }
}
