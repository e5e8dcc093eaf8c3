package io.plantmesh.devices.ingestion.twin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.hono.application.client.kafka.impl.KafkaDownstreamMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.ingestion.IngestionCounters;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.MachineUpdate;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.impl.KafkaConsumerRecordImpl;

/**
 * Adaptive coalescing of the device lanes, against a fake Ditto that answers only when the test says so. Every step
 * runs as one task on the lanes' context, so "the write started" means: started by the time the next task runs, no
 * clock involved.
 */
class DeviceLanesTest {

    private static final ThingId MACHINE_A = ThingId.of("plant1:machine-1-01");
    private static final ThingId MACHINE_B = ThingId.of("plant1:machine-1-02");
    private static final Duration NO_WINDOW = Duration.ZERO;
    /** {@code lt(<watermark>/offset,<first offset of the write>)} in the write's condition. */
    private static final Pattern FIRST_OFFSET = Pattern.compile("lt\\([^,]+/offset,(\\d+)\\)");

    private final FakeTwins twins = new FakeTwins();
    private final IngestionCounters counters = new IngestionCounters();
    private final List<String> deadLetters = new ArrayList<>();
    private Vertx vertx;
    private Context context;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
    }

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anIdleLanesFirstRecordIsWrittenAtOnceAlone() {
        DeviceLanes lanes = lanes(NO_WINDOW, 100, 64);
        PendingRecord first = record(MACHINE_A, 10);

        onContext(() -> lanes.submit(Channel.TELEMETRY, first));

        assertThat(onContext(twins::writes)).hasSize(1);
        assertThat(offsets(twins.write(0))).containsExactly(10L, 10L);
        assertThat(onContext(lanes::inFlight)).isEqualTo(1);

        onContext(() -> twins.write(0).applied());
        assertThat(first.settled.future().isComplete()).isTrue();
        assertThat(counters.snapshot().writes()).isEqualTo(1);
        assertThat(counters.snapshot().coalesced()).isZero();
    }

    @Test
    void withAWindowAnIdleLaneWaitsForItUntilDrained() {
        DeviceLanes lanes = lanes(Duration.ofHours(1), 100, 64);

        onContext(() -> lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 10)));
        onContext(() -> lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 11)));

        assertThat(onContext(twins::writes)).isEmpty();
        onContext(lanes::drain);
        assertThat(onContext(twins::writes)).hasSize(1);
        assertThat(offsets(twins.write(0))).containsExactly(10L, 11L);
    }

    @Test
    void recordsHandedOverInOneTaskShareTheFirstWrite() {
        DeviceLanes lanes = lanes(NO_WINDOW, 100, 64);

        onContext(() -> {
            lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 10));
            lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 11));
            lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 12));
        });

        assertThat(onContext(twins::writes)).hasSize(1);
        assertThat(offsets(twins.write(0))).containsExactly(10L, 12L);
        assertThat(seq(twins.write(0))).isEqualTo(12);
    }

    @Test
    void recordsArrivingWhileAWriteIsInFlightGoTogetherInKafkaOrderWhenItCompletes() {
        DeviceLanes lanes = lanes(NO_WINDOW, 100, 64);
        onContext(() -> lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 10)));
        PendingRecord r11 = record(MACHINE_A, 11);
        PendingRecord r12 = record(MACHINE_A, 12);
        PendingRecord r13 = record(MACHINE_A, 13);

        onContext(() -> lanes.submit(Channel.TELEMETRY, r11));
        onContext(() -> lanes.submit(Channel.TELEMETRY, r12));
        onContext(() -> lanes.submit(Channel.TELEMETRY, r13));

        // one write in flight per lane: the three wait behind it
        assertThat(onContext(twins::writes)).hasSize(1);
        onContext(() -> twins.write(0).applied());
        assertThat(onContext(twins::writes)).hasSize(2);
        assertThat(offsets(twins.write(1))).containsExactly(11L, 13L);
        assertThat(seq(twins.write(1))).isEqualTo(13);
        assertThat(r11.settled.future().isComplete()).isFalse();

        onContext(() -> twins.write(1).applied());
        assertThat(List.of(r11, r12, r13)).allMatch(r -> r.settled.future().isComplete());
        assertThat(counters.snapshot().writes()).isEqualTo(2);
        assertThat(counters.snapshot().coalesced()).isEqualTo(2);
    }

    @Test
    void theRecordsBehindAWriteAreSplitAtMaxBatch() {
        DeviceLanes lanes = lanes(NO_WINDOW, 2, 64);
        onContext(() -> lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 10)));
        onContext(() -> {
            for (long offset = 11; offset <= 15; offset++) {
                lanes.submit(Channel.TELEMETRY, record(MACHINE_A, offset));
            }
        });

        for (int i = 0; i < 3; i++) {
            int current = i;
            onContext(() -> twins.write(current).applied());
        }

        assertThat(onContext(twins::writes)).hasSize(4);
        assertThat(offsets(twins.write(1))).containsExactly(11L, 12L);
        assertThat(offsets(twins.write(2))).containsExactly(13L, 14L);
        assertThat(offsets(twins.write(3))).containsExactly(15L, 15L);
    }

    @Test
    void aLaneWithoutAFreeSlotKeepsCoalescingUntilOneIsFree() {
        DeviceLanes lanes = lanes(NO_WINDOW, 100, 1);
        onContext(() -> lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 10)));
        onContext(() -> lanes.submit(Channel.TELEMETRY, record(MACHINE_B, 20)));
        onContext(() -> lanes.submit(Channel.TELEMETRY, record(MACHINE_B, 21)));

        assertThat(onContext(twins::writes)).hasSize(1);
        assertThat(onContext(lanes::inFlight)).isEqualTo(1);

        onContext(() -> twins.write(0).applied());
        assertThat(onContext(twins::writes)).hasSize(2);
        assertThat(twins.write(1).thingId.toString()).isEqualTo(MACHINE_B.toString());
        assertThat(offsets(twins.write(1))).containsExactly(20L, 21L);
        assertThat(onContext(lanes::inFlight)).isEqualTo(1);
    }

    @Test
    void anIdleLaneAfterAWriteIsWrittenAtOnceAgain() {
        DeviceLanes lanes = lanes(NO_WINDOW, 100, 64);
        onContext(() -> lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 10)));
        onContext(() -> twins.write(0).applied());

        onContext(() -> lanes.submit(Channel.TELEMETRY, record(MACHINE_A, 11)));

        assertThat(onContext(twins::writes)).hasSize(2);
        assertThat(offsets(twins.write(1))).containsExactly(11L, 11L);
        assertThat(deadLetters).isEmpty();
    }

    // ---- support -----------------------------------------------------------------------------------------------

    private DeviceLanes lanes(Duration window, int maxBatch, int maxInFlight) {
        return new DeviceLanes(context, twins, (r, code, message) -> deadLetters.add(code), counters, window,
                maxBatch, maxInFlight, 10);
    }

    /** Runs {@code action} as one task on the lanes' context and waits for it. */
    private void onContext(Runnable action) {
        onContext(() -> {
            action.run();
            return null;
        });
    }

    private <T> T onContext(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException | AssertionError e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the task on the lanes' context failed or did not run", e);
        }
    }

    private static PendingRecord record(ThingId thingId, long offset) {
        ConsumerRecord<String, Buffer> record = new ConsumerRecord<>("hono.telemetry.plant1", 0, offset, 0L,
                TimestampType.CREATE_TIME, -1, -1, thingId.toString(), Buffer.buffer("{}"), new RecordHeaders(),
                Optional.empty());
        JsonObject features = JsonObject.of("{\"telemetry\":{\"properties\":{\"seq\":" + offset + "}}}");
        return new PendingRecord(new KafkaDownstreamMessage(new KafkaConsumerRecordImpl<>(record)), thingId,
                new MachineUpdate(offset, features), Promise.promise());
    }

    /** The first (from the condition) and last (the watermark written) Kafka offset a write covers. */
    private static List<Long> offsets(Write write) {
        Matcher lessThan = FIRST_OFFSET.matcher(write.condition);
        assertThat(lessThan.find()).as("condition %s names the first offset", write.condition).isTrue();
        long first = Long.parseLong(lessThan.group(1));
        long last = write.features.getValue(JsonPointer.of("connectivity/properties/lastTelemetryPosition/offset"))
                .map(JsonValue::asLong).orElseThrow();
        return List.of(first, last);
    }

    private static int seq(Write write) {
        return write.features.getValue(JsonPointer.of("telemetry/properties/seq")).map(JsonValue::asInt)
                .orElseThrow();
    }

    /** One merge the lanes sent; {@link #applied()} answers it. */
    private static final class Write {
        final ThingId thingId;
        final JsonObject features;
        final String condition;
        final Promise<WriteOutcome> answer = Promise.promise();

        Write(ThingId thingId, JsonObject features, String condition) {
            this.thingId = thingId;
            this.features = features;
            this.condition = condition;
        }

        void applied() {
            answer.complete(new WriteOutcome.Applied());
        }
    }

    /** Ditto that records the merges and answers them when the test calls {@link Write#applied()}. */
    private static final class FakeTwins implements TwinWrites {
        private final List<Write> writes = new ArrayList<>();

        List<Write> writes() {
            return List.copyOf(writes);
        }

        Write write(int index) {
            return writes.get(index);
        }

        @Override
        public Future<WriteOutcome> mergeFeatures(ThingId thingId, JsonObject features, String condition) {
            Write write = new Write(thingId, features, condition);
            writes.add(write);
            return write.answer.future();
        }

        @Override
        public Future<JsonObject> readIngestionFields(ThingId thingId) {
            return Future.failedFuture(new UnsupportedOperationException("no alarms in these tests"));
        }

        @Override
        public Future<WriteOutcome> sendProtocolCommand(Adaptable adaptable) {
            return Future.failedFuture(new UnsupportedOperationException("no protocol commands in these tests"));
        }
    }
}
