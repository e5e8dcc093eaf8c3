package io.plantmesh.devices.ingestion;

import static io.plantmesh.devices.ingestion.support.TestPlant.machinePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.ingestion.mapping.ContentTypes;
import io.plantmesh.devices.ingestion.support.TestPlant;

/**
 * The ingestion stops (cleanly, or as if it crashed between twin writes and offset commits) while devices keep
 * sending; a new ingestion in the same consumer group applies every record exactly once: the final values are
 * right, each record is counted as applied by exactly one of the two, and a twin watcher never sees a value twice
 * or going back.
 */
class IngestionRestartIT {

    private static final long T0 = 1_764_144_000_000L;
    private static final int ROUNDS = 100;
    private static final int MACHINES = 3;

    private static TestPlant plant;
    private static DittoClient watcher;

    @BeforeAll
    static void start() throws Exception {
        plant = TestPlant.start("plant3", "plant4", "plant5");
        var provider = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint(plant.httpBase().replace("http://", "ws://"))
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username("ditto").password("ditto").build()));
        watcher = DittoClients.newInstance(provider).connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        watcher.twin().startConsumption().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (watcher != null) {
            watcher.destroy();
        }
        if (plant != null) {
            plant.close();
        }
    }

    @Test
    void stoppedMidStreamAndRestartedAppliesEveryRecordOnce() throws Exception {
        Result result = runAcrossRestart("plant3", TwinIngestion::close);
        // a clean stop writes what it received and commits it: each record is applied by exactly one of the two
        assertThat(result.first.applied() + result.second.applied()).isEqualTo((long) ROUNDS * MACHINES);
        assertThat(result.second.duplicates()).isZero();
    }

    @Test
    void crashedMidStreamAndRestartedAppliesEveryRecordOnce() throws Exception {
        Result result = runAcrossRestart("plant4", first -> {
            long appliedBefore = first.counters().applied();
            // writes keep landing in the twins, but their offsets are never committed
            first.crash(Duration.ofMillis(300));
            assertThat(first.counters().applied()).isGreaterThan(appliedBefore);
        });
        // no record was applied by both (a write whose acknowledgement the crash swallowed counts for neither)
        assertThat(result.first.applied() + result.second.applied()).isLessThanOrEqualTo((long) ROUNDS * MACHINES);
        // the records the first applied after its last commit came again, and were recognised
        assertThat(result.second.duplicates()).isPositive();
        assertThat(result.second.applied() + result.second.duplicates()).isEqualTo(result.second.received());
    }

    @Test
    void theSameRecordReadAgainChangesTheTwinOnce() {
        ThingId machine = plant.createMachine("plant5", 1, 1);
        long initialRevision = plant.revision(machine);
        plant.telemetry("plant5", machine, ContentTypes.MACHINE, machinePayload(T0,
                "{\"telemetry\":{\"spindleSpeed\":900.0}}"));
        try (TwinIngestion first = TwinIngestion.create(plant.ingestionConfig("plant5", "replay-first")
                .withCommands(false))) {
            first.start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(plant.revision(machine)).isEqualTo(initialRevision + 1));
        }
        // a new consumer group reads the topic from the beginning: the same record (partition and offset) again,
        // as after a restart before the commit
        try (TwinIngestion second = TwinIngestion.create(plant.ingestionConfig("plant5", "replay-second")
                .withCommands(false))) {
            second.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> second.counters().duplicates() == 1);
            assertThat(second.counters().applied()).isZero();
            assertThat(plant.revision(machine)).isEqualTo(initialRevision + 1);
            assertThat(plant.value(machine, "/features/telemetry/properties/spindleSpeed"))
                    .isEqualTo(JsonValue.of(900.0));
        }
    }

    private Result runAcrossRestart(String tenant, Consumer<TwinIngestion> stopMidStream) throws Exception {
        ThingId[] machines = new ThingId[MACHINES];
        // (revision, value): the client may hand change notifications to its callbacks out of order, so what the
        // twin went through is the values in revision order
        Map<ThingId, List<long[]>> seenGood = new ConcurrentHashMap<>();
        for (int m = 0; m < MACHINES; m++) {
            machines[m] = plant.createMachine(tenant, 1, m + 1);
            ThingId id = machines[m];
            List<long[]> seen = new CopyOnWriteArrayList<>();
            seenGood.put(id, seen);
            watcher.twin().forId(id).registerForThingChanges("watch-" + id, change -> {
                JsonObject asThing = change.getPath().isEmpty() && change.getValue().filter(JsonValue::isObject)
                        .isPresent() ? change.getValue().get().asObject()
                        : JsonObject.empty().setValue(change.getPath(), change.getValue().orElse(JsonValue.nullLiteral()));
                asThing.getValue(JsonPointer.of("/features/counters/properties/good"))
                        .filter(JsonValue::isNumber)
                        .ifPresent(v -> seen.add(new long[] {change.getRevision(), v.asLong()}));
            });
        }

        IngestionConfig config = plant.ingestionConfig(tenant, "restart-" + tenant).withCommands(false);
        TwinIngestion first = TwinIngestion.create(config);
        first.start();
        AtomicInteger produced = new AtomicInteger();
        Thread devices = new Thread(() -> {
            for (int round = 1; round <= ROUNDS; round++) {
                for (ThingId machine : machines) {
                    plant.telemetry(tenant, machine, ContentTypes.MACHINE, machinePayload(T0 + round * 10L,
                            "{\"counters\":{\"good\":" + round + ",\"scrap\":0}}"));
                    produced.incrementAndGet();
                }
                sleep(3);
            }
        }, "test-devices");
        devices.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> produced.get() >= ROUNDS * MACHINES / 3);
        stopMidStream.accept(first);
        IngestionCounters.Snapshot firstCounters = first.counters();

        TwinIngestion second = TwinIngestion.create(config);
        try {
            second.start();
            devices.join(60_000);
            assertThat(produced.get()).isEqualTo(ROUNDS * MACHINES);
            for (ThingId machine : machines) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(plant.value(machine, "/features/counters/properties/good"))
                                .isEqualTo(JsonValue.of(ROUNDS)));
            }
            // no change notifications left in flight before judging what the watcher saw
            await().atMost(Duration.ofSeconds(10)).until(() -> seenGood.values().stream()
                    .allMatch(s -> inRevisionOrder(s).contains((long) ROUNDS)));
            seenGood.forEach((machine, seen) -> assertThat(inRevisionOrder(seen))
                    .as("values of counters/good on %s in revision order", machine)
                    .isSortedAccordingTo(Long::compare)
                    .doesNotHaveDuplicates());
            return new Result(firstCounters, second.counters());
        } finally {
            second.close();
            for (ThingId machine : machines) {
                watcher.twin().deregister("watch-" + machine);
            }
        }
    }

    private static List<Long> inRevisionOrder(List<long[]> seen) {
        return seen.stream().sorted(java.util.Comparator.comparingLong(e -> e[0])).map(e -> e[1]).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Result(IngestionCounters.Snapshot first, IngestionCounters.Snapshot second) {
    }
}
