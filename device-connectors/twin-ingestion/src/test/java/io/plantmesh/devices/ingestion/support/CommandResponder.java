package io.plantmesh.devices.ingestion.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Plays Hono's command router and the device for tests: reads {@code hono.command.<tenant>} (from the latest offset
 * when started) and writes the responses its function returns (e.g. to {@code hono.command_response.<tenant>}).
 * Every command it saw is kept for assertions.
 */
public final class CommandResponder implements AutoCloseable {

    private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    CommandResponder(String bootstrap, String topic, KafkaProducer<String, byte[]> producer,
            Function<ConsumerRecord<String, byte[]>, ProducerRecord<String, byte[]>> answer) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-responder-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> command : consumer.poll(Duration.ofMillis(100))) {
                        seen.add(command);
                        ProducerRecord<String, byte[]> response = answer.apply(command);
                        if (response != null) {
                            producer.send(response).get(10, TimeUnit.SECONDS);
                        }
                    }
                }
            } catch (Exception e) {
                if (running) {
                    throw new IllegalStateException(e);
                }
            }
        }, "test-command-responder");
        thread.start();
    }

    public List<ConsumerRecord<String, byte[]>> seen() {
        return seen;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
