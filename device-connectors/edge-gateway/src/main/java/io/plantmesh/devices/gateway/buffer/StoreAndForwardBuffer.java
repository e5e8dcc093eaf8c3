package io.plantmesh.devices.gateway.buffer;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.gateway.mapping.MessageKind;

/**
 * A bounded, ordered, on-disk queue of MQTT messages that survives a restart of the gateway.
 * <p>
 * Messages are appended to segment files ({@code segment-<first seq>.log}) as frames
 * {@code [int length][int crc32][long seq][byte kind][byte qos][short topic length][topic][payload]}; the active
 * segment is fsynced in batches ({@link #sync()} on the owner's timer, and at the latest every
 * {@link BufferConfig#syncEveryBytes()}). A message stays until {@link #acknowledge(long)} (after PUBACK for QoS 1,
 * after the write for QoS 0); a segment whose messages are all acknowledged is deleted, and a small
 * {@code checkpoint} file records the first unacknowledged sequence number, so a reopened buffer hands out exactly the
 * messages not yet acknowledged (a message acknowledged after the last checkpoint may be sent twice: at least once).
 * A torn or corrupt frame (a crash in the middle of a write) ends its segment: the rest is truncated and logged.
 * <p>
 * Bound: when the segment files exceed {@link BufferConfig#boundBytes()}, the oldest segment holding telemetry is
 * rewritten without its telemetry (events are never dropped; acknowledged leftovers go too), until the bound holds.
 * Every drop is counted and logged with totals. If only events are left, the bound is exceeded and that is logged.
 * <p>
 * Thread-safe (every method synchronized); all methods do file I/O, so never call them on an event loop.
 */
public final class StoreAndForwardBuffer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreAndForwardBuffer.class);
    private static final int HEADER = 8;
    private static final int BODY_FIXED = 8 + 1 + 1 + 2;
    private static final int MAX_FRAME = 16 << 20;
    private static final String SEGMENT_PREFIX = "segment-";
    private static final String SEGMENT_SUFFIX = ".log";
    private static final String CHECKPOINT = "checkpoint";
    /** The checkpoint is rewritten at most this often (and on close): a crash resends at most this much. */
    private static final long CHECKPOINT_INTERVAL_NANOS = 1_000_000_000L;

    private final BufferConfig config;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private Segment active;
    private long nextSeq;
    private long totalBytes;
    private long unsyncedBytes;
    private boolean checkpointDirty;
    private long lastCheckpointNanos = System.nanoTime();
    private boolean warnedEventsOnly;
    private long appended;
    private long drained;
    private long droppedTelemetry;
    private boolean closed;

    private StoreAndForwardBuffer(final BufferConfig config) {
        this.config = config;
    }

    /**
     * Opens the buffer in its directory, recovering what a previous run left: messages not yet acknowledged are
     * handed out again by {@link #peek}.
     *
     * @throws IOException if the directory or its files cannot be read or written
     */
    public static StoreAndForwardBuffer open(final BufferConfig config) throws IOException {
        final StoreAndForwardBuffer buffer = new StoreAndForwardBuffer(config);
        buffer.recover();
        return buffer;
    }

    /** Appends a message and returns its sequence number; may drop the oldest telemetry to respect the bound. */
    public synchronized long append(final MessageKind kind, final int qos, final String topic, final byte[] payload)
            throws IOException {
        ensureOpen();
        final long seq = nextSeq;
        final ByteBuffer frame = encode(seq, kind, qos, topic, payload);
        final int length = frame.remaining();
        final boolean full = active.size > 0 && active.size + length > config.segmentBytes();
        if (full) {
            roll();
        }
        writeFully(active.channel, frame, active.size);
        entries.put(seq, new Entry(active, active.size, length, kind));
        active.size += length;
        active.frames++;
        active.live++;
        if (kind == MessageKind.TELEMETRY) {
            active.liveTelemetry++;
        }
        nextSeq++;
        appended++;
        totalBytes += length;
        unsyncedBytes += length;
        if (unsyncedBytes >= config.syncEveryBytes()) {
            sync(false);
        }
        enforceBound();
        return seq;
    }

    /** Up to {@code max} messages with a sequence number greater than {@code afterSeq}, oldest first. */
    public synchronized List<BufferedMessage> peek(final long afterSeq, final int max) throws IOException {
        ensureOpen();
        final List<BufferedMessage> result = new ArrayList<>();
        for (final Map.Entry<Long, Entry> e : entries.tailMap(afterSeq, false).entrySet()) {
            if (result.size() >= max) {
                break;
            }
            result.add(read(e.getKey(), e.getValue()));
        }
        return result;
    }

    /** Removes a message that was delivered; unknown (already acknowledged or dropped) numbers are ignored. */
    public synchronized void acknowledge(final long seq) throws IOException {
        ensureOpen();
        final Entry entry = entries.remove(seq);
        if (entry == null) {
            return;
        }
        final Segment segment = entry.segment;
        segment.live--;
        if (entry.kind == MessageKind.TELEMETRY) {
            segment.liveTelemetry--;
        }
        drained++;
        checkpointDirty = true;
        final boolean spent = segment.live == 0 && segment != active;
        if (spent) {
            delete(segment);
        }
    }

    /** The sequence number before the oldest message held (what {@link #peek} starts after for a full replay). */
    public synchronized long headSeq() {
        return (entries.isEmpty() ? nextSeq : entries.firstKey()) - 1;
    }

    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Forces appended messages to disk and, at most once a second, records the first unacknowledged sequence number
     * (so a crash may resend up to a second's worth of acknowledged messages: at least once, never lost).
     */
    public synchronized void sync() throws IOException {
        ensureOpen();
        sync(false);
    }

    private void sync(final boolean forceCheckpoint) throws IOException {
        if (unsyncedBytes > 0) {
            active.channel.force(false);
            unsyncedBytes = 0;
        }
        final boolean due = forceCheckpoint || System.nanoTime() - lastCheckpointNanos >= CHECKPOINT_INTERVAL_NANOS;
        if (checkpointDirty && due) {
            writeCheckpoint();
            checkpointDirty = false;
            lastCheckpointNanos = System.nanoTime();
        }
    }

    public synchronized BufferCounters counters() {
        return new BufferCounters(entries.size(), totalBytes, appended, drained, droppedTelemetry,
                config.boundBytes());
    }

    public BufferConfig config() {
        return config;
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            sync(true);
        } finally {
            closed = true;
            for (final Segment segment : segments) {
                segment.channel.close();
            }
        }
        LOG.info("Store-and-forward buffer {} closed: {} messages ({} bytes) kept for the next start",
                config.directory(), entries.size(), totalBytes);
    }

    // ---- recovery -------------------------------------------------------------------------------------------

    private void recover() throws IOException {
        final Path dir = config.directory();
        Files.createDirectories(dir);
        final long firstLive = readCheckpoint();
        final List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (final Path file : stream) {
                final String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    Files.deleteIfExists(file);
                } else if (name.startsWith(SEGMENT_PREFIX) && name.endsWith(SEGMENT_SUFFIX)) {
                    files.add(file);
                }
            }
        }
        files.sort(null);
        long maxSeq = firstLive - 1;
        for (final Path file : files) {
            final String digits = file.getFileName().toString()
                    .substring(SEGMENT_PREFIX.length(), file.getFileName().toString().length() - SEGMENT_SUFFIX.length());
            final Segment segment = new Segment(Long.parseLong(digits), file, openChannel(file));
            maxSeq = Math.max(maxSeq, scan(segment, firstLive));
            if (segment.live == 0) {
                segment.channel.close();
                Files.deleteIfExists(file);
            } else {
                segments.addLast(segment);
                totalBytes += segment.size;
            }
        }
        nextSeq = maxSeq + 1;
        active = newSegment(nextSeq);
        if (!entries.isEmpty()) {
            LOG.info("Store-and-forward buffer {}: {} messages ({} bytes) from a previous run to forward, "
                    + "sequence {}..{}", dir, entries.size(), totalBytes, entries.firstKey(), entries.lastKey());
        }
    }

    /** Indexes the frames of a segment with seq >= firstLive; truncates a torn tail. Returns the highest seq. */
    private long scan(final Segment segment, final long firstLive) throws IOException {
        final FileChannel channel = segment.channel;
        final long size = channel.size();
        long pos = 0;
        long maxSeq = Long.MIN_VALUE;
        final ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (pos < size) {
            final String problem;
            header.clear();
            if (size - pos < HEADER) {
                problem = "incomplete frame header";
            } else {
                readFully(channel, header, pos);
                header.flip();
                final int length = header.getInt();
                final int crc = header.getInt();
                if (length < BODY_FIXED || length > MAX_FRAME || pos + HEADER + length > size) {
                    problem = "frame length " + length + " does not fit";
                } else {
                    final ByteBuffer body = ByteBuffer.allocate(length);
                    readFully(channel, body, pos + HEADER);
                    body.flip();
                    if (crc(body) != crc) {
                        problem = "checksum mismatch";
                    } else {
                        final long seq = body.getLong();
                        final MessageKind kind = MessageKind.values()[body.get() & 1];
                        segment.frames++;
                        if (seq >= firstLive) {
                            entries.put(seq, new Entry(segment, pos, HEADER + length, kind));
                            segment.live++;
                            if (kind == MessageKind.TELEMETRY) {
                                segment.liveTelemetry++;
                            }
                        }
                        maxSeq = Math.max(maxSeq, seq);
                        pos += HEADER + length;
                        continue;
                    }
                }
            }
            LOG.warn("Store-and-forward segment {}: {} at offset {}; truncating the torn tail ({} bytes). "
                    + "Expected after a crash during a write; messages before it are kept",
                    segment.path.getFileName(), problem, pos, size - pos);
            channel.truncate(pos);
            channel.force(true);
            break;
        }
        segment.size = pos;
        return maxSeq;
    }

    private long readCheckpoint() throws IOException {
        final Path file = config.directory().resolve(CHECKPOINT);
        if (!Files.exists(file)) {
            return 0;
        }
        final byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != 12) {
            LOG.warn("Store-and-forward checkpoint {} has {} bytes, expected 12; replaying every kept message",
                    file, bytes.length);
            return 0;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final long firstLive = buffer.getLong();
        final CRC32 crc = new CRC32();
        crc.update(bytes, 0, 8);
        if ((int) crc.getValue() != buffer.getInt()) {
            LOG.warn("Store-and-forward checkpoint {} is corrupt; replaying every kept message", file);
            return 0;
        }
        return firstLive;
    }

    private void writeCheckpoint() throws IOException {
        final long firstLive = headSeq() + 1;
        final ByteBuffer buffer = ByteBuffer.allocate(12);
        buffer.putLong(firstLive);
        final CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, 8);
        buffer.putInt((int) crc.getValue());
        buffer.flip();
        final Path tmp = config.directory().resolve(CHECKPOINT + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, buffer, 0);
            channel.force(true);
        }
        move(tmp, config.directory().resolve(CHECKPOINT));
    }

    // ---- bound -----------------------------------------------------------------------------------------------

    private void enforceBound() throws IOException {
        long droppedNow = 0;
        while (totalBytes > config.boundBytes()) {
            final Segment victim = oldestReclaimable();
            if (victim == null) {
                if (!warnedEventsOnly) {
                    LOG.warn("Store-and-forward buffer {} holds {} bytes of events only, over its bound of {} MiB; "
                            + "events are never dropped, so it grows until the MQTT connection returns",
                            config.directory(), totalBytes, mib(config.boundBytes()));
                    warnedEventsOnly = true;
                }
                break;
            }
            if (victim == active) {
                roll();
            }
            droppedNow += compact(victim);
        }
        if (totalBytes <= config.boundBytes()) {
            warnedEventsOnly = false;
        }
        if (droppedNow > 0) {
            droppedTelemetry += droppedNow;
            LOG.warn("Dropped {} telemetry messages while offline, buffer bound {} MiB reached ({} telemetry messages "
                    + "dropped since start, {} messages kept, events are never dropped); raise the bound or restore "
                    + "the MQTT connection", droppedNow, mib(config.boundBytes()), droppedTelemetry, entries.size());
        }
    }

    /** The oldest segment with telemetry or acknowledged leftovers to reclaim, or null. */
    private Segment oldestReclaimable() {
        for (final Segment segment : segments) {
            final boolean hasDead = segment.frames > segment.live && segment != active;
            if (segment.liveTelemetry > 0 || hasDead) {
                return segment;
            }
        }
        return null;
    }

    /** Rewrites a sealed segment with its events only; returns how many telemetry messages were dropped. */
    private int compact(final Segment segment) throws IOException {
        final Path tmp = segment.path.resolveSibling(segment.path.getFileName() + ".tmp");
        final NavigableMap<Long, Entry> range = entriesOf(segment);
        int dropped = 0;
        long newSize = 0;
        int kept = 0;
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            final Iterator<Entry> it = range.values().iterator();
            while (it.hasNext()) {
                final Entry entry = it.next();
                if (entry.kind == MessageKind.TELEMETRY) {
                    it.remove();
                    dropped++;
                    continue;
                }
                final ByteBuffer frame = ByteBuffer.allocate(entry.length);
                readFully(segment.channel, frame, entry.offset);
                frame.flip();
                writeFully(out, frame, newSize);
                entry.offset = newSize;
                newSize += entry.length;
                kept++;
            }
            out.force(true);
        }
        segment.channel.close();
        totalBytes -= segment.size;
        if (kept == 0) {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(segment.path);
            segments.remove(segment);
            return dropped;
        }
        move(tmp, segment.path);
        segment.channel = openChannel(segment.path);
        segment.size = newSize;
        segment.frames = kept;
        segment.live = kept;
        segment.liveTelemetry = 0;
        totalBytes += newSize;
        return dropped;
    }

    private NavigableMap<Long, Entry> entriesOf(final Segment segment) {
        Long end = null;
        boolean found = false;
        for (final Segment s : segments) {
            if (found) {
                end = s.baseSeq;
                break;
            }
            found = s == segment;
        }
        return end == null ? entries.tailMap(segment.baseSeq, true) : entries.subMap(segment.baseSeq, true, end, false);
    }

    // ---- segments and frames --------------------------------------------------------------------------------

    private void roll() throws IOException {
        active.channel.force(false);
        unsyncedBytes = 0;
        active = newSegment(nextSeq);
    }

    private Segment newSegment(final long baseSeq) throws IOException {
        final Path path = config.directory().resolve(String.format("%s%020d%s", SEGMENT_PREFIX, baseSeq,
                SEGMENT_SUFFIX));
        final Segment segment = new Segment(baseSeq, path, openChannel(path));
        segment.channel.truncate(0);
        segments.addLast(segment);
        return segment;
    }

    private void delete(final Segment segment) throws IOException {
        segment.channel.close();
        Files.deleteIfExists(segment.path);
        segments.remove(segment);
        totalBytes -= segment.size;
    }

    private static ByteBuffer encode(final long seq, final MessageKind kind, final int qos, final String topic,
            final byte[] payload) {
        final byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        if (topicBytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("topic longer than " + Short.MAX_VALUE + " bytes: " + topic);
        }
        final int bodyLength = BODY_FIXED + topicBytes.length + payload.length;
        final ByteBuffer frame = ByteBuffer.allocate(HEADER + bodyLength);
        frame.putInt(bodyLength);
        frame.putInt(0);
        frame.putLong(seq);
        frame.put((byte) kind.ordinal());
        frame.put((byte) qos);
        frame.putShort((short) topicBytes.length);
        frame.put(topicBytes);
        frame.put(payload);
        frame.flip();
        final ByteBuffer body = frame.duplicate().position(HEADER);
        frame.putInt(4, crc(body));
        return frame;
    }

    private BufferedMessage read(final long seq, final Entry entry) throws IOException {
        final ByteBuffer frame = ByteBuffer.allocate(entry.length);
        readFully(entry.segment.channel, frame, entry.offset);
        frame.flip();
        frame.position(HEADER + 8);
        final MessageKind kind = MessageKind.values()[frame.get() & 1];
        final int qos = frame.get();
        final byte[] topic = new byte[frame.getShort()];
        frame.get(topic);
        final byte[] payload = new byte[frame.remaining()];
        frame.get(payload);
        return new BufferedMessage(seq, kind, qos, new String(topic, StandardCharsets.UTF_8), payload);
    }

    private static int crc(final ByteBuffer body) {
        final CRC32 crc = new CRC32();
        crc.update(body.duplicate());
        return (int) crc.getValue();
    }

    private static FileChannel openChannel(final Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer buffer, final long position)
            throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            pos += channel.write(buffer, pos);
        }
    }

    private static void readFully(final FileChannel channel, final ByteBuffer buffer, final long position)
            throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            final int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new IOException("unexpected end of " + channel + " at " + pos);
            }
            pos += n;
        }
    }

    private static void move(final Path from, final Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (final AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String mib(final long bytes) {
        return String.format(java.util.Locale.ROOT, bytes < (1 << 20) ? "%.3f" : "%.1f", bytes / (1024.0 * 1024.0));
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("store-and-forward buffer " + config.directory() + " is closed");
        }
    }

    private static final class Segment {
        final long baseSeq;
        final Path path;
        FileChannel channel;
        long size;
        int frames;
        int live;
        int liveTelemetry;

        Segment(final long baseSeq, final Path path, final FileChannel channel) {
            this.baseSeq = baseSeq;
            this.path = path;
            this.channel = channel;
        }
    }

    private static final class Entry {
        final Segment segment;
        long offset;
        final int length;
        final MessageKind kind;

        Entry(final Segment segment, final long offset, final int length, final MessageKind kind) {
            this.segment = segment;
            this.offset = offset;
            this.length = length;
            this.kind = kind;
        }
    }
}
