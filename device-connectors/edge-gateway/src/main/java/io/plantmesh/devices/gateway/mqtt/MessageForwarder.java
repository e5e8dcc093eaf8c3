package io.plantmesh.devices.gateway.mqtt;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.gateway.buffer.BufferCounters;
import io.plantmesh.devices.gateway.buffer.BufferedMessage;
import io.plantmesh.devices.gateway.buffer.StoreAndForwardBuffer;
import io.plantmesh.devices.gateway.edge.OutboundMessage;
import io.plantmesh.devices.gateway.mapping.MessageKind;

/**
 * Moves messages from the edge to Hono through the {@link StoreAndForwardBuffer}: every message is appended to the
 * buffer first, then published in order while the connection is up, at most {@code window} in flight; a message
 * leaves the buffer only after its PUBACK (QoS 1) or its write (QoS 0). When the connection breaks (or a QoS 1
 * publish is not acknowledged), everything not yet acknowledged is sent again, in order, once it is back.
 * <p>
 * All buffer work runs on one dedicated thread ({@code edge-gateway-outbox}), never on an event loop.
 */
public final class MessageForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageForwarder.class);

    private final StoreAndForwardBuffer buffer;
    private final HonoMqttConnection connection;
    private final int telemetryQos;
    private final int window;
    private final ScheduledExecutorService outbox;
    private final Set<Long> inFlight = new HashSet<>();
    private boolean online;
    private long sendCursor;
    private long session;
    private boolean closed;

    public MessageForwarder(final StoreAndForwardBuffer buffer, final HonoMqttConnection connection,
            final int telemetryQos, final int window, final long syncIntervalMillis) {
        this.buffer = buffer;
        this.connection = connection;
        this.telemetryQos = telemetryQos;
        this.window = window;
        this.outbox = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, "edge-gateway-outbox");
            thread.setDaemon(true);
            return thread;
        });
        this.sendCursor = buffer.headSeq();
        outbox.scheduleWithFixedDelay(this::syncQuietly, syncIntervalMillis, syncIntervalMillis,
                TimeUnit.MILLISECONDS);
    }

    /** Queues a message for Hono; returns at once (the append happens on the outbox thread). */
    public void submit(final OutboundMessage message) {
        execute(() -> {
            final boolean event = message.kind() == MessageKind.EVENT;
            final String topic = event ? HonoTopics.event(message.deviceId(), message.contentType())
                    : HonoTopics.telemetry(message.deviceId(), message.contentType());
            final int qos = event ? 1 : telemetryQos;
            buffer.append(message.kind(), qos, topic, message.payload());
            pump();
        });
    }

    /** The MQTT connection is up: start (re)sending from the oldest unacknowledged message. */
    public void onConnected() {
        execute(() -> {
            online = true;
            session++;
            inFlight.clear();
            sendCursor = buffer.headSeq();
            final BufferCounters counters = buffer.counters();
            if (counters.buffered() > 0) {
                LOG.info("Forwarding {} buffered messages ({} bytes) in order", counters.buffered(),
                        counters.bufferedBytes());
            }
            pump();
        });
    }

    public void onDisconnected() {
        execute(() -> {
            online = false;
            session++;
            inFlight.clear();
        });
    }

    public BufferCounters counters() {
        return buffer.counters();
    }

    private void pump() throws IOException {
        if (!online || closed) {
            return;
        }
        final int room = window - inFlight.size();
        if (room <= 0) {
            return;
        }
        final List<BufferedMessage> next = buffer.peek(sendCursor, room);
        final long sentIn = session;
        for (final BufferedMessage message : next) {
            sendCursor = message.seq();
            inFlight.add(message.seq());
            connection.publish(message.topic(), message.payload(), message.qos())
                    .onComplete(ar -> execute(() -> completed(message, sentIn, ar.failed() ? ar.cause() : null)));
        }
    }

    private void completed(final BufferedMessage message, final long sentIn, final Throwable failure)
            throws IOException {
        if (failure == null) {
            buffer.acknowledge(message.seq());
            if (sentIn == session) {
                inFlight.remove(message.seq());
            }
            pump();
            return;
        }
        if (sentIn != session) {
            return;
        }
        // not acknowledged: resend everything from the oldest unacknowledged message in order
        LOG.warn("Message {} to {} not delivered ({}); resending from the oldest unacknowledged message",
                message.seq(), message.topic(), failure.getMessage());
        session++;
        inFlight.clear();
        sendCursor = buffer.headSeq();
        online = connection.isConnected();
        pump();
    }

    private void syncQuietly() {
        try {
            buffer.sync();
        } catch (final IOException | IllegalStateException e) {
            LOG.error("Store-and-forward buffer {} cannot be synced: {}; check the disk", buffer.config()
                    .directory(), e.toString());
        }
    }

    private interface OutboxTask {
        void run() throws IOException;
    }

    private void execute(final OutboxTask task) {
        if (outbox.isShutdown()) {
            return;
        }
        try {
            outbox.execute(() -> {
                try {
                    task.run();
                } catch (final IOException e) {
                    LOG.error("Store-and-forward buffer {} failed: {}; check the disk (free space, permissions)",
                            buffer.config().directory(), e.toString());
                } catch (final RuntimeException e) {
                    LOG.error("Outbox task failed", e);
                }
            });
        } catch (final java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Outbox closed, task dropped");
        }
    }

    /** Stops forwarding and closes the buffer (synced; unacknowledged messages stay for the next start). */
    @Override
    public void close() throws IOException {
        try {
            outbox.submit(() -> {
                closed = true;
            }).get(10, TimeUnit.SECONDS);
        } catch (final Exception e) {
            LOG.warn("Outbox did not drain within 10 s: {}", e.toString());
        }
        outbox.shutdown();
        try {
            outbox.awaitTermination(10, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        buffer.close();
    }
}
