package io.plantmesh.devices.ingestion.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.core.buffer.Buffer;

/**
 * Writes records that cannot be applied to {@code plantmesh.deadletter.<tenant>}: the original key, value and headers
 * plus {@code plantmesh-reason} ({@code <code>: <message>}), {@code plantmesh-reason-code},
 * {@code plantmesh-source-topic}, {@code plantmesh-source-partition}, {@code plantmesh-source-offset} and
 * {@code plantmesh-dead-lettered-at}. The returned future completes only when Kafka acknowledged the dead letter
 * ({@code acks=all}, idempotent producer); failed sends are retried with backoff until they succeed or the publisher
 * is closed, so the original record's offset is never committed before its dead letter is stored.
 */
public final class DeadLetterPublisher implements AutoCloseable {

    public static final String TOPIC_PREFIX = "plantmesh.deadletter.";
    public static final String HEADER_REASON = "plantmesh-reason";
    public static final String HEADER_REASON_CODE = "plantmesh-reason-code";
    public static final String HEADER_SOURCE_TOPIC = "plantmesh-source-topic";
    public static final String HEADER_SOURCE_PARTITION = "plantmesh-source-partition";
    public static final String HEADER_SOURCE_OFFSET = "plantmesh-source-offset";
    public static final String HEADER_DEAD_LETTERED_AT = "plantmesh-dead-lettered-at";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Context context;
    private final KafkaProducer<String, byte[]> producer;
    // KafkaProducer.send can block for metadata; keep it off the event loop
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "plantmesh-deadletter-sender");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    private DeadLetterPublisher(Context context, KafkaProducer<String, byte[]> producer) {
        this.context = context;
        this.producer = producer;
    }

    /** A publisher whose futures complete on {@code context}; close it at the end. */
    public static DeadLetterPublisher create(Context context, String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "plantmesh-ingestion-deadletter",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        return new DeadLetterPublisher(context,
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()));
    }

    public static String topicFor(String tenantId) {
        return TOPIC_PREFIX + tenantId;
    }

    /** Dead-letters {@code record} of {@code tenantId}; completes (on the context) once Kafka has stored it. */
    public Future<Void> publish(String tenantId, KafkaConsumerRecord<String, Buffer> record, String reasonCode,
            String reasonMessage) {
        ProducerRecord<String, byte[]> deadLetter = new ProducerRecord<>(topicFor(tenantId), null, record.key(),
                record.value() == null ? null : record.value().getBytes(),
                headers(record, reasonCode, reasonMessage));
        Promise<Void> stored = Promise.promise();
        attempt(deadLetter, stored, 0);
        return stored.future();
    }

    private void attempt(ProducerRecord<String, byte[]> deadLetter, Promise<Void> stored, int failures) {
        if (closed) {
            stored.tryFail("the dead-letter publisher is closed");
            return;
        }
        sender.execute(() -> {
            try {
                producer.send(deadLetter, (metadata, error) -> context.runOnContext(v -> {
                    if (error == null) {
                        stored.tryComplete();
                    } else {
                        retryLater(deadLetter, stored, failures + 1, error);
                    }
                }));
            } catch (RuntimeException e) {
                context.runOnContext(v -> retryLater(deadLetter, stored, failures + 1, e));
            }
        });
    }

    private void retryLater(ProducerRecord<String, byte[]> deadLetter, Promise<Void> stored, int failures,
            Throwable error) {
        long delay = Math.min(MAX_BACKOFF.toMillis(), 200L << Math.min(failures, 6));
        LOG.warn("Could not store a dead letter on {} ({}); retrying in {} ms. Check that Kafka is reachable and the "
                + "topic may be written.", deadLetter.topic(), error.getMessage(), delay);
        context.owner().setTimer(delay, id -> attempt(deadLetter, stored, failures));
    }

    private static List<Header> headers(KafkaConsumerRecord<String, Buffer> record, String code, String message) {
        List<Header> headers = new ArrayList<>();
        for (KafkaHeader h : record.headers()) {
            headers.add(new RecordHeader(h.key(), h.value() == null ? null : h.value().getBytes()));
        }
        headers.add(utf8(HEADER_REASON, code + ": " + message));
        headers.add(utf8(HEADER_REASON_CODE, code));
        headers.add(utf8(HEADER_SOURCE_TOPIC, record.topic()));
        headers.add(utf8(HEADER_SOURCE_PARTITION, Integer.toString(record.partition())));
        headers.add(utf8(HEADER_SOURCE_OFFSET, Long.toString(record.offset())));
        headers.add(utf8(HEADER_DEAD_LETTERED_AT, Long.toString(Instant.now().toEpochMilli())));
        return headers;
    }

    private static Header utf8(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        closed = true;
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
