package io.plantmesh.devices.gateway.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.devices.gateway.mapping.MessageKind;

class StoreAndForwardBufferTest {

    @TempDir
    Path dir;

    @Test
    void replaysUnacknowledgedMessagesInOrderAfterReopen() throws IOException {
        try (StoreAndForwardBuffer buffer = StoreAndForwardBuffer.open(BufferConfig.of(dir, 1 << 20))) {
            for (int i = 0; i < 10; i++) {
                buffer.append(i % 3 == 0 ? MessageKind.EVENT : MessageKind.TELEMETRY, i % 2, "topic/" + i,
                        payload(i));
            }
            assertThat(buffer.peek(buffer.headSeq(), 100)).extracting(BufferedMessage::topic)
                    .startsWith("topic/0", "topic/1");
            buffer.acknowledge(0);
            buffer.acknowledge(1);
            buffer.acknowledge(5);
        }
        try (StoreAndForwardBuffer reopened = StoreAndForwardBuffer.open(BufferConfig.of(dir, 1 << 20))) {
            final List<BufferedMessage> replay = reopened.peek(reopened.headSeq(), 100);
            // 5 was acknowledged after the checkpoint's first-unacknowledged mark (2): at least once, so it comes again
            assertThat(replay).extracting(BufferedMessage::seq).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(replay.get(1).kind()).isEqualTo(MessageKind.EVENT);
            assertThat(replay.get(1).qos()).isEqualTo(1);
            assertThat(replay.get(1).topic()).isEqualTo("topic/3");
            assertThat(new String(replay.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("payload-3");
            final long next = reopened.append(MessageKind.TELEMETRY, 0, "topic/10", payload(10));
            assertThat(next).as("sequence continues after a restart").isEqualTo(10L);
            replay.forEach(m -> ack(reopened, m.seq()));
            ack(reopened, next);
            assertThat(reopened.isEmpty()).isTrue();
            assertThat(reopened.counters().drained()).isEqualTo(9);
        }
        try (StoreAndForwardBuffer empty = StoreAndForwardBuffer.open(BufferConfig.of(dir, 1 << 20))) {
            assertThat(empty.isEmpty()).isTrue();
            assertThat(segments()).as("spent segments are deleted").hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void toleratesATornTail() throws IOException {
        try (StoreAndForwardBuffer buffer = StoreAndForwardBuffer.open(BufferConfig.of(dir, 1 << 20))) {
            for (int i = 0; i < 5; i++) {
                buffer.append(MessageKind.EVENT, 1, "event//d", payload(i));
            }
        }
        final Path segment = segments().get(segments().size() - 1);
        final long intact = Files.size(segment);
        // a crash during the sixth append: a header promising 100 bytes and only part of the body
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            final ByteBuffer torn = ByteBuffer.allocate(20).putInt(100).putInt(12345).putLong(5L).put((byte) 1)
                    .put((byte) 1).putShort((short) 3);
            torn.flip();
            channel.write(torn);
        }
        try (StoreAndForwardBuffer reopened = StoreAndForwardBuffer.open(BufferConfig.of(dir, 1 << 20))) {
            assertThat(reopened.peek(reopened.headSeq(), 100)).extracting(BufferedMessage::seq)
                    .containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(Files.size(segment)).as("torn tail truncated").isEqualTo(intact);
            assertThat(reopened.append(MessageKind.EVENT, 1, "event//d", payload(5))).isEqualTo(5L);
        }
    }

    @Test
    void detectsACorruptFrameByItsChecksum() throws IOException {
        try (StoreAndForwardBuffer buffer = StoreAndForwardBuffer.open(BufferConfig.of(dir, 1 << 20))) {
            for (int i = 0; i < 3; i++) {
                buffer.append(MessageKind.TELEMETRY, 0, "telemetry//d", payload(i));
            }
        }
        final Path segment = segments().get(0);
        final long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {'X'}), size - 2);
        }
        try (StoreAndForwardBuffer reopened = StoreAndForwardBuffer.open(BufferConfig.of(dir, 1 << 20))) {
            assertThat(reopened.peek(-1, 100)).extracting(BufferedMessage::seq).containsExactly(0L, 1L);
        }
    }

    @Test
    void respectsTheBoundByDroppingTheOldestTelemetryAndKeepsEveryEvent() throws IOException {
        final BufferConfig config = new BufferConfig(dir, 8 * 1024, 1024, 1 << 20);
        int events = 0;
        try (StoreAndForwardBuffer buffer = StoreAndForwardBuffer.open(config)) {
            for (int i = 0; i < 400; i++) {
                final boolean event = i % 10 == 0;
                events += event ? 1 : 0;
                buffer.append(event ? MessageKind.EVENT : MessageKind.TELEMETRY, event ? 1 : 0, "t", payload(i));
                assertThat(buffer.counters().bufferedBytes()).as("bound after append " + i)
                        .isLessThanOrEqualTo(config.boundBytes());
            }
            final BufferCounters counters = buffer.counters();
            assertThat(counters.appended()).isEqualTo(400);
            assertThat(counters.droppedTelemetry()).isPositive();
            assertThat(counters.buffered() + counters.droppedTelemetry()).as("every message is kept or counted")
                    .isEqualTo(400);
            final List<BufferedMessage> kept = buffer.peek(-1, 1000);
            assertThat(kept).filteredOn(m -> m.kind() == MessageKind.EVENT).hasSize(events);
            assertThat(kept).extracting(BufferedMessage::seq).isSorted();
            // what was dropped is the oldest telemetry: every dropped message is older than every kept telemetry one
            final java.util.Set<Long> keptSeqs = new java.util.HashSet<>(kept.stream().map(BufferedMessage::seq)
                    .toList());
            final long newestDropped = java.util.stream.LongStream.range(0, 400)
                    .filter(seq -> !keptSeqs.contains(seq)).max().orElseThrow();
            final long oldestKeptTelemetry = kept.stream().filter(m -> m.kind() == MessageKind.TELEMETRY)
                    .mapToLong(BufferedMessage::seq).min().orElseThrow();
            assertThat(newestDropped).isLessThan(oldestKeptTelemetry);
            assertThat(newestDropped % 10).as("no event was dropped").isNotZero();
        }
        try (StoreAndForwardBuffer reopened = StoreAndForwardBuffer.open(config)) {
            assertThat(reopened.peek(-1, 1000)).filteredOn(m -> m.kind() == MessageKind.EVENT).hasSize(events);
        }
    }

    @Test
    void exceedsTheBoundRatherThanDropAnEvent() throws IOException {
        final BufferConfig config = new BufferConfig(dir, 4096, 1024, 1 << 20);
        try (StoreAndForwardBuffer buffer = StoreAndForwardBuffer.open(config)) {
            for (int i = 0; i < 200; i++) {
                buffer.append(MessageKind.EVENT, 1, "e", payload(i));
            }
            assertThat(buffer.counters().buffered()).isEqualTo(200);
            assertThat(buffer.counters().droppedTelemetry()).isZero();
            assertThat(buffer.counters().bufferedBytes()).isGreaterThan(config.boundBytes());
        }
    }

    private static void ack(final StoreAndForwardBuffer buffer, final long seq) {
        try {
            buffer.acknowledge(seq);
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    private static byte[] payload(final int i) {
        return ("payload-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
