package io.plantmesh.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;

class RecordFramingTest {

    @TempDir
    Path dir;

    @Test
    void recordsRoundTripWithTheirValueTypes() {
        Document document = new Document("_id", new ObjectId())
            .append("text", "Presse 7")
            .append("count", 42)
            .append("big", 1L << 40)
            .append("ratio", 0.25)
            .append("at", Instant.ofEpochMilli(1_700_000_000_123L))
            .append("uuid", UUID.fromString("8a4d3c1e-0f6b-4b7e-9a1d-2c3b4a5d6e7f"))
            .append("nested", new Document("a", List.of(1, "two", new Document("three", 3))))
            .append("none", null);
        List<JournalRecord> records = List.of(
            JournalRecord.insert("plant", "machines", document),
            JournalRecord.update("plant", "machines", document),
            JournalRecord.delete("plant", "machines", document.get("_id")),
            JournalRecord.createCollection("plant", "machines"),
            JournalRecord.createIndex("plant", new Document("key", new Document("serial", 1)).append("name", "serial_1")
                .append("unique", true).append("ns", "plant.machines")),
            JournalRecord.dropIndex("plant", "machines", "serial_1"),
            JournalRecord.renameCollection("plant.machines", "plant.assets"),
            JournalRecord.dropCollection("plant", "assets"),
            JournalRecord.dropDatabase("plant"));

        for (JournalRecord record : records) {
            JournalRecord decoded = JournalRecord.decode(record.encode());
            assertThat(decoded.type()).isEqualTo(record.type());
            assertThat(decoded.body()).isEqualTo(record.body());
        }
    }

    @Test
    void readsEveryIntactFrame() throws IOException {
        Path file = writeFrames(10);

        List<JournalRecord> read = new ArrayList<>();
        RecordFraming.ReadResult result = RecordFraming.readAll(file, (payload, end) -> read.add(JournalRecord.decode(payload)));

        assertThat(result.intact()).isTrue();
        assertThat(result.records()).isEqualTo(10);
        assertThat(result.validBytes()).isEqualTo(Files.size(file));
        assertThat(read).extracting(r -> r.document().get("_id")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void stopsAtATornFrameAndKeepsTheEarlierOnes() throws IOException {
        Path file = writeFrames(5);
        long intactBytes = Files.size(file);
        byte[] next = frameBytes(JournalRecord.insert("db", "c", new Document("_id", 5).append("v", "x".repeat(100))));
        for (int tornLength : new int[] {3, 8, next.length - 1}) {
            Path torn = dir.resolve("torn-" + tornLength);
            Files.copy(file, torn);
            Files.write(torn, java.util.Arrays.copyOf(next, tornLength), StandardOpenOption.APPEND);

            List<Object> ids = new ArrayList<>();
            RecordFraming.ReadResult result = RecordFraming.readAll(torn, (payload, end) -> ids.add(JournalRecord.decode(payload).document().get("_id")));

            assertThat(result.intact()).isFalse();
            assertThat(result.problem()).contains("torn");
            assertThat(result.validBytes()).isEqualTo(intactBytes);
            assertThat(ids).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void stopsAtAChecksumMismatch() throws IOException {
        Path file = writeFrames(4);
        long thirdFrameStart = frameOffset(file, 2);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            long payloadByte = thirdFrameStart + RecordFraming.HEADER_BYTES + 5;
            channel.read(one, payloadByte);
            one.flip();
            byte flipped = (byte) (one.get() ^ 0x40);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), payloadByte);
        }

        List<Object> ids = new ArrayList<>();
        RecordFraming.ReadResult result = RecordFraming.readAll(file, (payload, end) -> ids.add(JournalRecord.decode(payload).document().get("_id")));

        assertThat(result.intact()).isFalse();
        assertThat(result.problem()).contains("checksum mismatch").contains("offset " + thirdFrameStart);
        assertThat(result.validBytes()).isEqualTo(thirdFrameStart);
        assertThat(ids).containsExactly(0, 1);
    }

    @Test
    void rejectsAnImpossibleLength() throws IOException {
        Path file = writeFrames(2);
        long intactBytes = Files.size(file);
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 1, 2}, StandardOpenOption.APPEND);

        RecordFraming.ReadResult result = RecordFraming.readAll(file, (payload, end) -> { });

        assertThat(result.problem()).contains("impossible frame length");
        assertThat(result.validBytes()).isEqualTo(intactBytes);
    }

    private Path writeFrames(int count) throws IOException {
        Path file = dir.resolve("frames-" + count + "-" + System.nanoTime());
        RecordFraming.FrameBuffer buffer = new RecordFraming.FrameBuffer(64);
        for (int i = 0; i < count; i++) {
            buffer.append(JournalRecord.insert("db", "c", new Document("_id", i).append("v", "x".repeat(i * 10))).encode());
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            buffer.writeTo(channel);
        }
        return file;
    }

    private static byte[] frameBytes(JournalRecord record) {
        byte[] payload = record.encode();
        return ByteBuffer.allocate(RecordFraming.HEADER_BYTES + payload.length)
            .putInt(payload.length).putInt(RecordFraming.crc(payload)).put(payload).array();
    }

    private static long frameOffset(Path file, int index) throws IOException {
        long[] offsets = new long[index + 1];
        int[] seen = {0};
        RecordFraming.readAll(file, (payload, end) -> {
            if (seen[0] < index) {
                offsets[seen[0] + 1] = end;
            }
            seen[0]++;
        });
        return offsets[index];
    }
}
