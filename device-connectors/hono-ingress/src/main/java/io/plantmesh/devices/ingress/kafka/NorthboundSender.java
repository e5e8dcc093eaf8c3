package io.plantmesh.devices.ingress.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.serialization.BufferSerializer;

/**
 * Writes Hono-format records (key = device id, value = payload, string headers) with the at-least-once producer
 * settings Hono's Kafka API asks for: {@code acks=all}, idempotence, at most 5 requests in flight. One producer for
 * all records keeps each device's QoS 0 and QoS 1 messages in order. The returned future completes only when the
 * broker acknowledged the record, which is when the adapter may send PUBACK.
 */
public final class NorthboundSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NorthboundSender.class);

    private final KafkaProducer<String, Buffer> producer;

    private NorthboundSender(KafkaProducer<String, Buffer> producer) {
        this.producer = producer;
    }

    /**
     * @param deliveryTimeout how long a record may take to be acknowledged before the send fails (Kafka's
     *        {@code delivery.timeout.ms}); the device gets no PUBACK then
     */
    public static NorthboundSender create(Vertx vertx, String bootstrapServers, Duration deliveryTimeout) {
        long deliveryMs = deliveryTimeout.toMillis();
        long requestMs = Math.max(500, Math.min(5_000, deliveryMs / 2));
        Map<String, String> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "plantmesh-hono-ingress");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestMs));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(deliveryMs, requestMs)));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.max(500, Math.min(deliveryMs, 5_000))));
        KafkaProducer<String, Buffer> producer = KafkaProducer.create(vertx, config, new StringSerializer(),
                new BufferSerializer());
        return new NorthboundSender(producer);
    }

    /**
     * Sends a record; adds {@code creation-time} (now, ms) unless the headers have one.
     *
     * @param value the payload, or null for none (empty notifications)
     */
    public Future<Void> send(String topic, String key, Buffer value, Map<String, Object> headers) {
        KafkaProducerRecord<String, Buffer> record = KafkaProducerRecord.create(topic, key, value);
        headers.forEach((name, v) -> {
            if (v != null) {
                record.addHeader(KafkaHeader.header(name, Buffer.buffer(HonoHeaders.encode(v))));
            }
        });
        if (!headers.containsKey(HonoHeaders.CREATION_TIME)) {
            record.addHeader(KafkaHeader.header(HonoHeaders.CREATION_TIME,
                    Buffer.buffer(HonoHeaders.encode(Instant.now().toEpochMilli()))));
        }
        return producer.send(record).mapEmpty();
    }

    @Override
    public void close() {
        try {
            producer.close().toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Closing the Kafka producer failed: {}", e.toString());
        }
    }
}
