package io.plantmesh.store.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The on-disk frame shared by journals and snapshots: {@code int length, int crc32c(payload), payload},
 * big-endian. A frame that is short, has an impossible length or a wrong checksum ends the readable part of a file.
 */
final class RecordFraming {

    static final int HEADER_BYTES = 8;
    /** Larger than any BSON document the server accepts (16 MiB) plus the record envelope. */
    static final int MAX_PAYLOAD_BYTES = 20 * 1024 * 1024;

    private RecordFraming() {
    }

    static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, payload.length);
        return (int) crc.getValue();
    }

    /** Receives each intact payload, with the file offset just after its frame. */
    interface PayloadConsumer {
        void accept(byte[] payload, long endOffset) throws IOException;
    }

    /**
     * Why reading stopped before the end of the file, or {@code null} when the whole file was intact.
     *
     * @param validBytes offset just after the last intact frame
     * @param fileBytes  size of the file
     */
    record ReadResult(long records, long validBytes, long fileBytes, String problem) {
        boolean intact() {
            return problem == null;
        }
    }

    static ReadResult readAll(Path file, PayloadConsumer consumer) throws IOException {
        long fileBytes = Files.size(file);
        long offset = 0;
        long records = 0;
        byte[] header = new byte[HEADER_BYTES];
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            while (offset < fileBytes) {
                int headerRead = in.readNBytes(header, 0, HEADER_BYTES);
                if (headerRead < HEADER_BYTES) {
                    return new ReadResult(records, offset, fileBytes, "torn frame header at offset " + offset);
                }
                ByteBuffer headerBuffer = ByteBuffer.wrap(header);
                int length = headerBuffer.getInt();
                int expectedCrc = headerBuffer.getInt();
                boolean plausibleLength = length > 0 && length <= MAX_PAYLOAD_BYTES;
                if (!plausibleLength) {
                    return new ReadResult(records, offset, fileBytes, "impossible frame length " + length + " at offset " + offset);
                }
                byte[] payload = in.readNBytes(length);
                if (payload.length < length) {
                    return new ReadResult(records, offset, fileBytes,
                        "torn frame at offset " + offset + " (" + payload.length + " of " + length + " payload bytes)");
                }
                if (crc(payload) != expectedCrc) {
                    return new ReadResult(records, offset, fileBytes, "checksum mismatch in frame at offset " + offset);
                }
                offset += HEADER_BYTES + length;
                consumer.accept(payload, offset);
                records++;
            }
        }
        return new ReadResult(records, offset, fileBytes, null);
    }

    /** A growable byte array of frames, written to a channel in one go. Not thread-safe. */
    static final class FrameBuffer {
        private byte[] bytes;
        private int size;

        FrameBuffer(int initialCapacity) {
            bytes = new byte[initialCapacity];
        }

        void append(byte[] payload) {
            ensureCapacity(size + HEADER_BYTES + payload.length);
            putInt(payload.length);
            putInt(crc(payload));
            System.arraycopy(payload, 0, bytes, size, payload.length);
            size += payload.length;
        }

        int size() {
            return size;
        }

        boolean isEmpty() {
            return size == 0;
        }

        void clear() {
            size = 0;
        }

        void writeTo(FileChannel channel) throws IOException {
            writeTo(channel, 0, size);
        }

        /** Writes bytes {@code [from, to)}; frame boundaries are the caller's business. */
        void writeTo(FileChannel channel, int from, int to) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, from, to - from);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        private void putInt(int value) {
            bytes[size++] = (byte) (value >>> 24);
            bytes[size++] = (byte) (value >>> 16);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
        }

        private void ensureCapacity(int needed) {
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
            }
        }
    }
}
