package io.plantmesh.devices.ingestion.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;
import org.eclipse.hono.application.client.kafka.impl.KafkaDownstreamMessage;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.ingestion.mapping.MappingResult.Mapped;
import io.plantmesh.devices.ingestion.mapping.MappingResult.Unmappable;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.AlarmUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.ConnectivityUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.MachineUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.ProtocolCommand;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.impl.KafkaConsumerRecordImpl;

class DownstreamMapperTest {

    private static final String DEVICE = "plant1:machine-1-03";
    private final DownstreamMapper mapper = new DownstreamMapper();

    @Test
    void machinePayloadBecomesFeaturePropertiesWithTheTelemetryTimestamp() {
        MappingResult result = mapper.map(message(DEVICE, ContentTypes.MACHINE, "{\"ts\":1764144000000,\"features\":"
                + "{\"telemetry\":{\"spindleSpeed\":1200.5},\"state\":{\"state\":\"RUNNING\",\"reason\":null}}}",
                Map.of()));

        MachineUpdate update = (MachineUpdate) ((Mapped) result).update();
        assertThat(((Mapped) result).thingId().toString()).isEqualTo(DEVICE);
        assertThat(update.tsMillis()).isEqualTo(1764144000000L);
        assertThat(update.features().getValue(JsonPointer.of("telemetry/properties/spindleSpeed")))
                .contains(JsonValue.of(1200.5));
        assertThat(update.features().getValue(JsonPointer.of("telemetry/properties/timestamp")))
                .contains(JsonValue.of("2025-11-26T08:00:00Z"));
        assertThat(update.features().getValue(JsonPointer.of("state/properties/reason")))
                .contains(JsonValue.nullLiteral());
    }

    @Test
    void gatewayHealthReportBecomesFeaturePropertiesOfTheGatewayTwin() {
        MappingResult result = mapper.map(message("plant1:gateway-1", ContentTypes.GATEWAY, "{\"ts\":1764144000000,"
                + "\"features\":{\"buffer\":{\"messages\":0,\"overflowed\":2},\"opcua\":{\"machines\":"
                + "{\"plant1:machine-1-01\":{\"session\":\"CONNECTED\",\"lastError\":null}}}}}", Map.of()));

        MachineUpdate update = (MachineUpdate) ((Mapped) result).update();
        assertThat(((Mapped) result).thingId().toString()).isEqualTo("plant1:gateway-1");
        assertThat(update.features().getValue(JsonPointer.of("buffer/properties/overflowed")))
                .contains(JsonValue.of(2));
        assertThat(update.features().getValue(JsonPointer.of("opcua/properties/machines")).orElseThrow().asObject()
                .getValue("plant1:machine-1-01/session")).contains(JsonValue.of("CONNECTED"));
        assertThat(update.features().contains("telemetry")).isFalse();
        Unmappable ownsConnectivity = (Unmappable) mapper.map(message("plant1:gateway-1", ContentTypes.GATEWAY,
                "{\"ts\":1,\"features\":{\"connectivity\":{\"connected\":true}}}", Map.of()));
        assertThat(ownsConnectivity.reasonCode()).isEqualTo(DownstreamMapper.INVALID);
    }

    @Test
    void contentTypeParametersAndCaseDoNotMatter() {
        MappingResult result = mapper.map(message(DEVICE, "Application/VND.plantmesh.machine+json; charset=utf-8",
                "{\"ts\":1,\"features\":{}}", Map.of()));
        assertThat(result).isInstanceOf(Mapped.class);
    }

    @Test
    void machinePayloadWithoutTsOrWritingConnectivityIsInvalid() {
        assertThat(unmappable(mapper.map(message(DEVICE, ContentTypes.MACHINE, "{\"features\":{}}", Map.of()))))
                .isEqualTo(DownstreamMapper.INVALID);
        assertThat(unmappable(mapper.map(message(DEVICE, ContentTypes.MACHINE,
                "{\"ts\":1,\"features\":{\"connectivity\":{\"lastTelemetryTs\":9}}}", Map.of()))))
                .isEqualTo(DownstreamMapper.INVALID);
        assertThat(unmappable(mapper.map(message(DEVICE, ContentTypes.MACHINE, "{\"ts\":\"x\",\"features\":{}}",
                Map.of())))).isEqualTo(DownstreamMapper.INVALID);
    }

    @Test
    void brokenJsonIsUnparseable() {
        assertThat(unmappable(mapper.map(message(DEVICE, ContentTypes.MACHINE, "{\"ts\":", Map.of()))))
                .isEqualTo(DownstreamMapper.UNPARSEABLE);
        assertThat(unmappable(mapper.map(message(DEVICE, ContentTypes.MACHINE, "[1,2]", Map.of()))))
                .isEqualTo(DownstreamMapper.UNPARSEABLE);
    }

    @Test
    void alarmGetsModelSeverityAndSince() {
        MappingResult result = mapper.map(message(DEVICE, ContentTypes.ALARM, "{\"ts\":1764144000000,\"alarm\":"
                + "{\"code\":\"TEMP_HIGH\",\"severity\":\"critical\",\"value\":81.3,\"message\":\"hot\"}}", Map.of()));

        AlarmUpdate alarm = (AlarmUpdate) ((Mapped) result).update();
        assertThat(alarm.entry()).isEqualTo(JsonObject.of("{\"code\":\"TEMP_HIGH\",\"severity\":\"CRITICAL\","
                + "\"since\":\"2025-11-26T08:00:00Z\",\"message\":\"hot\"}"));
        assertThat(alarm.details().getValue("value")).contains(JsonValue.of(81.3));
    }

    @Test
    void dittoProtocolTwinCommandOnTheDevicesOwnThingPassesThrough() {
        MappingResult result = mapper.map(message(DEVICE, ContentTypes.DITTO_PROTOCOL,
                "{\"topic\":\"plant1/machine-1-03/things/twin/commands/modify\",\"headers\":{},"
                        + "\"path\":\"/attributes/x\",\"value\":1}", Map.of()));
        assertThat(((Mapped) result).update()).isInstanceOf(ProtocolCommand.class);
    }

    @Test
    void dittoProtocolForAnotherThingOrNotATwinCommandIsRefused() {
        assertThat(unmappable(mapper.map(message(DEVICE, ContentTypes.DITTO_PROTOCOL,
                "{\"topic\":\"plant1/machine-1-04/things/twin/commands/modify\",\"headers\":{},"
                        + "\"path\":\"/attributes/x\",\"value\":1}", Map.of()))))
                .isEqualTo(DownstreamMapper.DEVICE_MISMATCH);
        assertThat(unmappable(mapper.map(message(DEVICE, ContentTypes.DITTO_PROTOCOL,
                "{\"topic\":\"plant1/machine-1-03/things/live/messages/hello\",\"headers\":{},"
                        + "\"path\":\"/inbox/messages/hello\",\"value\":1}", Map.of()))))
                .isEqualTo(DownstreamMapper.UNSUPPORTED_PROTOCOL_MESSAGE);
    }

    @Test
    void honoEmptyNotificationGivesConnectivity() {
        ConnectivityUpdate up = (ConnectivityUpdate) ((Mapped) mapper.map(message(DEVICE,
                ContentTypes.HONO_EMPTY_NOTIFICATION, null, Map.of("ttd", "-1", "creation-time", "1764144000000"))))
                .update();
        assertThat(up.connected()).isTrue();
        assertThat(up.ttd()).isEqualTo(-1);
        assertThat(up.since().toEpochMilli()).isEqualTo(1764144000000L);

        ConnectivityUpdate down = (ConnectivityUpdate) ((Mapped) mapper.map(message(DEVICE,
                ContentTypes.HONO_EMPTY_NOTIFICATION, null, Map.of("ttd", "0")))).update();
        assertThat(down.connected()).isFalse();
    }

    @Test
    void otherContentTypesAndBadDeviceIdsAreRefused() {
        assertThat(unmappable(mapper.map(message(DEVICE, "text/plain", "hello", Map.of()))))
                .isEqualTo(DownstreamMapper.UNSUPPORTED_CONTENT_TYPE);
        assertThat(unmappable(mapper.map(message("no-namespace", ContentTypes.MACHINE, "{}", Map.of()))))
                .isEqualTo(DownstreamMapper.DEVICE_ID_INVALID);
    }

    private static String unmappable(MappingResult result) {
        assertThat(result).isInstanceOf(Unmappable.class);
        return ((Unmappable) result).reasonCode();
    }

    static DownstreamMessage<KafkaMessageContext> message(String device, String contentType, String payload,
            Map<String, String> extraHeaders) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader("device_id", device.getBytes(StandardCharsets.UTF_8)));
        if (contentType != null) {
            headers.add(new RecordHeader("content-type", contentType.getBytes(StandardCharsets.UTF_8)));
        }
        extraHeaders.forEach((k, v) -> headers.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
        Buffer value = payload == null ? Buffer.buffer() : Buffer.buffer(payload);
        ConsumerRecord<String, Buffer> record = new ConsumerRecord<>("hono.telemetry.plant1", 0, 7L, 0L,
                TimestampType.CREATE_TIME, -1, -1, device, value, headers, Optional.empty());
        return new KafkaDownstreamMessage(new KafkaConsumerRecordImpl<>(record));
    }
}
