package io.plantmesh.devices.ingestion;

import static io.plantmesh.devices.ingestion.support.TestPlant.header;
import static io.plantmesh.devices.ingestion.support.TestPlant.machinePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.ingestion.deadletter.DeadLetterPublisher;
import io.plantmesh.devices.ingestion.mapping.ContentTypes;
import io.plantmesh.devices.ingestion.support.TestPlant;

/** Hono-format records on a real Kafka broker reach machine twins on a real twin server, or the dead-letter topic. */
class TwinIngestionIT {

    private static final String TENANT = "plant2";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long T0 = 1_764_144_000_000L;

    private static TestPlant plant;
    private static TwinIngestion ingestion;

    @BeforeAll
    static void start() throws Exception {
        plant = TestPlant.start(TENANT);
        ingestion = TwinIngestion.create(plant.ingestionConfig(TENANT, "it-ingestion").withCommands(false));
        ingestion.start();
    }

    @AfterAll
    static void stop() {
        if (ingestion != null) {
            ingestion.close();
        }
        if (plant != null) {
            plant.close();
        }
    }

    @Test
    void telemetryRecordUpdatesTheTwin() {
        ThingId machine = plant.createMachine(TENANT, 1, 1);
        plant.telemetry(TENANT, machine, ContentTypes.MACHINE, machinePayload(T0,
                "{\"telemetry\":{\"spindleSpeed\":1200.5,\"temperature\":41.2},\"counters\":{\"good\":17,\"scrap\":1}}"));

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/telemetry/properties/spindleSpeed"))
                        .isEqualTo(JsonValue.of(1200.5)));
        assertThat(plant.value(machine, "/features/counters/properties/good")).isEqualTo(JsonValue.of(17));
        assertThat(plant.value(machine, "/features/telemetry/properties/timestamp"))
                .isEqualTo(JsonValue.of("2025-11-26T08:00:00Z"));
        assertThat(plant.value(machine, "/features/connectivity/properties/lastTelemetryPosition/offset").isNumber())
                .isTrue();
    }

    @Test
    void stateEventDownMakesTheTwinDown() {
        ThingId machine = plant.createMachine(TENANT, 1, 2);
        plant.event(TENANT, machine, ContentTypes.MACHINE, machinePayload(T0,
                "{\"state\":{\"state\":\"DOWN\",\"since\":\"2026-11-26T08:00:00Z\",\"reason\":\"spindle jam\"}}"));

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/state/properties/state")).isEqualTo(JsonValue.of("DOWN")));
        assertThat(plant.value(machine, "/features/state/properties/reason")).isEqualTo(JsonValue.of("spindle jam"));
        assertThat(plant.value(machine, "/features/connectivity/properties/lastEventPosition/offset").isNumber())
                .isTrue();
    }

    @Test
    void dittoProtocolCommandPassesThrough() {
        ThingId machine = plant.createMachine(TENANT, 1, 3);
        plant.telemetry(TENANT, machine, ContentTypes.DITTO_PROTOCOL, "{\"topic\":\"plant2/machine-1-03/things/twin/"
                + "commands/modify\",\"headers\":{},\"path\":\"/features/telemetry/properties/temperature\","
                + "\"value\":45.5}");

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/telemetry/properties/temperature"))
                        .isEqualTo(JsonValue.of(45.5)));
    }

    @Test
    void dittoProtocolCommandForAnotherThingIsDeadLettered() {
        ThingId machine = plant.createMachine(TENANT, 1, 4);
        ThingId other = plant.createMachine(TENANT, 1, 5);
        plant.telemetry(TENANT, machine, ContentTypes.DITTO_PROTOCOL, "{\"topic\":\"plant2/machine-1-05/things/twin/"
                + "commands/modify\",\"headers\":{},\"path\":\"/features/telemetry/properties/temperature\","
                + "\"value\":99.0}");

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(machine, "plantmesh:device.mismatch");
        assertThat(TestPlant.header(deadLetter, DeadLetterPublisher.HEADER_SOURCE_TOPIC))
                .isEqualTo("hono.telemetry." + TENANT);
        assertThat(plant.value(other, "/features/telemetry/properties/temperature")).isEqualTo(JsonValue.nullLiteral());
    }

    @Test
    void twoDistinctEventsWithAnEqualTsBothApply() {
        ThingId machine = plant.createMachine(TENANT, 1, 6);
        long appliedBefore = ingestion.counters().applied();
        long duplicatesBefore = ingestion.counters().duplicates();
        plant.event(TENANT, machine, ContentTypes.MACHINE, machinePayload(T0 + 7_000,
                "{\"state\":{\"state\":\"SETUP\",\"since\":\"2025-11-26T08:00:07Z\",\"reason\":\"job\"}}"));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/state/properties/state")).isEqualTo(JsonValue.of("SETUP")));
        long revisionAfterSetup = plant.revision(machine);

        // the next state change in the same millisecond, a separate write
        plant.event(TENANT, machine, ContentTypes.MACHINE, machinePayload(T0 + 7_000,
                "{\"state\":{\"state\":\"RUNNING\",\"since\":\"2025-11-26T08:00:07Z\",\"reason\":null}}"));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/state/properties/state")).isEqualTo(JsonValue.of("RUNNING")));
        assertThat(plant.revision(machine)).isEqualTo(revisionAfterSetup + 1);
        assertThat(ingestion.counters().applied() - appliedBefore).isGreaterThanOrEqualTo(2);
        assertThat(ingestion.counters().duplicates()).isEqualTo(duplicatesBefore);
    }

    @Test
    void aResentPayloadIsAppliedAgainAndLeavesTheSameValue() {
        ThingId machine = plant.createMachine(TENANT, 1, 7);
        long initialRevision = plant.revision(machine);
        String payload = machinePayload(T0 + 5_000, "{\"telemetry\":{\"spindleSpeed\":900.0}}");

        plant.telemetry(TENANT, machine, ContentTypes.MACHINE, payload);
        await().atMost(WAIT).untilAsserted(() -> assertThat(plant.revision(machine)).isEqualTo(initialRevision + 1));
        // a device-side resend (the gateway's at-least-once after a reconnect) is a new record: applied again
        plant.telemetry(TENANT, machine, ContentTypes.MACHINE, payload);
        await().atMost(WAIT).untilAsserted(() -> assertThat(plant.revision(machine)).isEqualTo(initialRevision + 2));
        assertThat(plant.value(machine, "/features/telemetry/properties/spindleSpeed")).isEqualTo(JsonValue.of(900.0));
    }

    @Test
    void aBurstOfOneDeviceIsCoalescedIntoFewerWrites() {
        ThingId machine = plant.createMachine(TENANT, 2, 1);
        long initialRevision = plant.revision(machine);
        long writesBefore = ingestion.counters().writes();
        for (int i = 1; i <= 100; i++) {
            plant.telemetry(TENANT, machine, ContentTypes.MACHINE, machinePayload(T0 + i * 100L,
                    "{\"counters\":{\"good\":" + i + ",\"scrap\":0},\"telemetry\":{\"power\":" + (10.0 + i) + "}}"));
        }

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/counters/properties/good")).isEqualTo(JsonValue.of(100)));
        long twinWrites = plant.revision(machine) - initialRevision;
        assertThat(twinWrites).isLessThan(100).isGreaterThanOrEqualTo(1);
        assertThat(ingestion.counters().writes() - writesBefore).isLessThan(100);
        assertThat(plant.value(machine, "/features/telemetry/properties/power")).isEqualTo(JsonValue.of(110.0));
    }

    @Test
    void unknownDeviceIsDeadLetteredWithDittosReason() {
        ThingId unknown = ThingId.of(TENANT, "machine-9-99");
        String payload = machinePayload(T0, "{\"telemetry\":{\"spindleSpeed\":1.0}}");
        plant.telemetry(TENANT, unknown, ContentTypes.MACHINE, payload);

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(unknown, "things:thing.notfound");
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo(payload);
        assertThat(header(deadLetter, "device_id")).isEqualTo(unknown.toString());
        assertThat(header(deadLetter, "content-type")).isEqualTo(ContentTypes.MACHINE);
        assertThat(header(deadLetter, DeadLetterPublisher.HEADER_SOURCE_TOPIC)).isEqualTo("hono.telemetry." + TENANT);
        assertThat(header(deadLetter, DeadLetterPublisher.HEADER_REASON)).startsWith("things:thing.notfound: ");
        assertThat(ingestion.counters().deadLetteredByReason()).containsKey("things:thing.notfound");
    }

    @Test
    void modelBreakingPayloadIsDeadLetteredAndItsNeighboursStillApply() {
        ThingId machine = plant.createMachine(TENANT, 2, 2);
        plant.event(TENANT, machine, ContentTypes.MACHINE, machinePayload(T0 + 1,
                "{\"state\":{\"state\":\"RUNNING\",\"since\":\"2026-11-26T08:00:00Z\"}}"));
        plant.event(TENANT, machine, ContentTypes.MACHINE, machinePayload(T0 + 2,
                "{\"state\":{\"state\":\"FLYING\",\"since\":\"2026-11-26T08:01:00Z\"}}"));
        plant.event(TENANT, machine, ContentTypes.MACHINE, machinePayload(T0 + 3,
                "{\"counters\":{\"good\":7,\"scrap\":0}}"));

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(machine, "wot:payload.validation.error");
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).contains("FLYING");
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/counters/properties/good")).isEqualTo(JsonValue.of(7)));
        assertThat(plant.value(machine, "/features/state/properties/state")).isEqualTo(JsonValue.of("RUNNING"));
    }

    @Test
    void unparseablePayloadIsDeadLettered() {
        ThingId machine = plant.createMachine(TENANT, 2, 3);
        plant.produce("hono.telemetry." + TENANT, machine.toString(), ContentTypes.MACHINE,
                "{\"ts\": 17, \"features\": ".getBytes(StandardCharsets.UTF_8), Map.of());

        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(machine, "plantmesh:payload.unparseable");
        assertThat(header(deadLetter, DeadLetterPublisher.HEADER_REASON)).contains("not JSON");
    }

    @Test
    void unknownContentTypeIsDeadLettered() {
        ThingId machine = plant.createMachine(TENANT, 2, 4);
        plant.produce("hono.telemetry." + TENANT, machine.toString(), "application/octet-stream",
                new byte[] {1, 2, 3}, Map.of());

        awaitDeadLetter(machine, "plantmesh:contenttype.unsupported");
    }

    @Test
    void alarmEventSetsLastAlarmAndABoundedList() {
        ThingId machine = plant.createMachine(TENANT, 2, 5);
        for (int i = 1; i <= 12; i++) {
            plant.event(TENANT, machine, ContentTypes.ALARM, alarmPayload(i));
        }

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/health/properties/lastAlarm/code"))
                        .isEqualTo(JsonValue.of("TEMP_HIGH_12")));
        JsonValue alarms = plant.value(machine, "/features/health/properties/alarms");
        assertThat(alarms.asArray().getSize()).isEqualTo(10);
        assertThat(alarms.asArray().get(9).orElseThrow().asObject().getValue("severity"))
                .contains(JsonValue.of("WARNING"));
        assertThat(alarms.asArray().get(0).orElseThrow().asObject().getValue("code"))
                .contains(JsonValue.of("TEMP_HIGH_3"));

        // a device-side resend of an alarm (same content, new record) does not enter the list twice
        plant.event(TENANT, machine, ContentTypes.ALARM, alarmPayload(12));
        plant.event(TENANT, machine, ContentTypes.ALARM, alarmPayload(13));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/health/properties/lastAlarm/code"))
                        .isEqualTo(JsonValue.of("TEMP_HIGH_13")));
        assertThat(plant.value(machine, "/features/health/properties/alarms").asArray().stream()
                .map(a -> a.asObject().getValue("code").orElseThrow().asString()).toList())
                .doesNotHaveDuplicates().hasSize(10).endsWith("TEMP_HIGH_12", "TEMP_HIGH_13");
    }

    @Test
    void honoEmptyNotificationSetsConnectivity() {
        ThingId machine = plant.createMachine(TENANT, 2, 6);
        plant.produce("hono.event." + TENANT, machine.toString(), ContentTypes.HONO_EMPTY_NOTIFICATION, new byte[0],
                Map.of("ttd", "-1"));

        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/connectivity/properties/connected"))
                        .isEqualTo(JsonValue.of(true)));
        assertThat(plant.value(machine, "/features/connectivity/properties/ttd")).isEqualTo(JsonValue.of(-1));

        plant.produce("hono.event." + TENANT, machine.toString(), ContentTypes.HONO_EMPTY_NOTIFICATION, new byte[0],
                Map.of("ttd", "0"));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/connectivity/properties/connected"))
                        .isEqualTo(JsonValue.of(false)));
    }

    @Test
    void unreachableDittoIsRetriedNotDeadLettered() {
        ThingId machine = plant.createMachine(TENANT, 3, 1);
        long retriedBefore = ingestion.counters().retried();
        long deadLettersBefore = ingestion.counters().deadLettered();
        plant.twinServer().stopServer();
        try {
            plant.telemetry(TENANT, machine, ContentTypes.MACHINE, machinePayload(T0,
                    "{\"telemetry\":{\"vibration\":2.5}}"));
            await().atMost(WAIT).until(() -> ingestion.counters().retried() > retriedBefore);
        } finally {
            plant.twinServer().restart();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(plant.value(machine, "/features/telemetry/properties/vibration"))
                        .isEqualTo(JsonValue.of(2.5)));
        assertThat(ingestion.counters().deadLettered()).isEqualTo(deadLettersBefore);
    }

    private static String alarmPayload(int i) {
        return "{\"ts\":" + (T0 + i * 1000L) + ",\"alarm\":{\"code\":\"TEMP_HIGH_" + i + "\",\"severity\":"
                + "\"warning\",\"path\":\"features/telemetry/properties/temperature\",\"value\":81.3,"
                + "\"threshold\":80.0,\"message\":\"too hot\"}}";
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(ThingId device, String reasonCode) {
        List<ConsumerRecord<String, byte[]>> all = plant.readUntil(DeadLetterPublisher.topicFor(TENANT),
                records -> records.stream().anyMatch(r -> matches(r, device, reasonCode)), WAIT);
        return all.stream().filter(r -> matches(r, device, reasonCode)).findFirst()
                .orElseThrow(() -> new AssertionError("no dead letter for " + device + " with reason " + reasonCode
                        + "; dead letters: " + all.stream().map(r -> r.key() + "=" + header(r,
                        DeadLetterPublisher.HEADER_REASON)).toList()));
    }

    private static boolean matches(ConsumerRecord<String, byte[]> r, ThingId device, String reasonCode) {
        return device.toString().equals(r.key())
                && reasonCode.equals(header(r, DeadLetterPublisher.HEADER_REASON_CODE));
    }
}
