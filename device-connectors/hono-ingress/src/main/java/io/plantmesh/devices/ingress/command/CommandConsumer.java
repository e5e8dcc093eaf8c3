package io.plantmesh.devices.ingress.command;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Context;

/**
 * Reads {@code hono.command.<tenant>} for every tenant (topic pattern) in a consumer group of the ingress's own, on
 * a thread of its own, and hands each command to a handler on the given Vert.x context. A new group starts at the
 * latest offset, so commands written before the ingress first started are not delivered; topics created later are
 * picked up within the metadata refresh interval (10 s).
 */
public final class CommandConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandConsumer.class);
    private static final Pattern COMMAND_TOPICS = Pattern.compile("hono\\.command\\..+");

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running = true;

    private CommandConsumer(String bootstrapServers, String groupId, Context context, Consumer<Command> handler) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-commands",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true",
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(() -> pollLoop(context, handler), "hono-ingress-commands");
        this.thread.setDaemon(true);
    }

    /**
     * Starts consuming and waits (bounded) until the group assigned partitions, so that a command sent after this
     * returns is seen. The caller must close the consumer, also when this throws.
     */
    public static CommandConsumer start(String bootstrapServers, String groupId, Context context,
            Consumer<Command> handler, Duration readyTimeout) {
        CommandConsumer commands = new CommandConsumer(bootstrapServers, groupId, context, handler);
        commands.thread.start();
        try {
            if (!commands.assigned.await(readyTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("The command consumer (group " + groupId + ") got no partitions of "
                        + "hono.command.* from Kafka at " + bootstrapServers + " within " + readyTimeout.toSeconds()
                        + " s. Check that the broker is up.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the command consumer", e);
        }
        return commands;
    }

    private void pollLoop(Context context, Consumer<Command> handler) {
        try {
            consumer.subscribe(COMMAND_TOPICS, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // resolve the start offsets now, so that "ready" means records from here on are seen
                    partitions.forEach(consumer::position);
                    LOG.debug("Command consumer assigned {}", partitions);
                    assigned.countDown();
                }
            });
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    dispatch(record, context, handler);
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            LOG.error("The command consumer stopped: {}. Commands are no longer delivered; restart the ingress.",
                    e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private static void dispatch(ConsumerRecord<String, byte[]> record, Context context, Consumer<Command> handler) {
        Command command;
        try {
            command = Command.fromRecord(record);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignoring a malformed command at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        context.runOnContext(v -> handler.accept(command));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
