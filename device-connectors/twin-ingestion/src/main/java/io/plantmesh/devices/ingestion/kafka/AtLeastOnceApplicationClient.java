package io.plantmesh.devices.ingestion.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;
import org.eclipse.hono.application.client.kafka.impl.KafkaApplicationClientImpl;
import org.eclipse.hono.application.client.kafka.impl.KafkaDownstreamMessage;
import org.eclipse.hono.client.kafka.CommonKafkaClientConfigProperties;
import org.eclipse.hono.client.kafka.HonoTopic;
import org.eclipse.hono.client.kafka.consumer.AsyncHandlingAutoCommitKafkaConsumer;
import org.eclipse.hono.client.kafka.consumer.MessagingKafkaConsumerConfigProperties;
import org.eclipse.hono.client.kafka.producer.CachingKafkaProducerFactory;
import org.eclipse.hono.client.kafka.producer.MessagingKafkaProducerConfigProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;

/**
 * Hono's Kafka application client ({@link KafkaApplicationClientImpl}, used unchanged for commands) plus telemetry and
 * event consumers that commit an offset only after the application has settled the record.
 *
 * <p>Why not {@code createTelemetryConsumer(tenant, Handler, closeHandler)}: in Hono 2.6.0 it builds a plain
 * {@code HonoKafkaConsumer}. With a {@code group.id} that consumer leaves commits to Kafka's auto-commit, which commits
 * the positions of every record handed to the handler at the next poll and on close, whether or not the handler's
 * asynchronous work (here: the twin write) has finished; a crash then loses those records. With auto-commit off it
 * commits nothing, so offsets never persist. The handler returns nothing, so the client cannot know when a record is
 * done. Hono ships the consumer for exactly this case, {@link AsyncHandlingAutoCommitKafkaConsumer}: the handler
 * returns a {@link Future}, auto-commit is forced off, and the client commits per partition the offset after the last
 * record of the contiguous run whose futures have completed (periodically, on rebalance and on stop). It also
 * throttles: when half of {@code max.poll.records} records are unsettled it pauses polling, then fetching.
 * Pausing is left to it alone: in 2.6.0 a {@code pauseRecordFetching()} from outside makes its own resume path fail
 * ({@code ArithmeticException} from {@code Duration.between(Instant.MAX, now)} while logging), so a clean shutdown
 * stops accepting records instead of pausing the consumer.
 * Its records are wrapped in Hono's own {@link KafkaDownstreamMessage}, so handlers see the same
 * {@link DownstreamMessage} as with the stock consumers.
 */
public final class AtLeastOnceApplicationClient extends KafkaApplicationClientImpl {

    private static final Logger LOG = LoggerFactory.getLogger(AtLeastOnceApplicationClient.class);

    private final Vertx vertx;
    private final MessagingKafkaConsumerConfigProperties consumerConfig;
    private final List<SettlingConsumer> consumers = new ArrayList<>();

    private AtLeastOnceApplicationClient(Vertx vertx, MessagingKafkaConsumerConfigProperties consumerConfig,
            MessagingKafkaProducerConfigProperties producerConfig) {
        super(vertx, consumerConfig, CachingKafkaProducerFactory.sharedFactory(vertx), producerConfig);
        this.vertx = vertx;
        this.consumerConfig = consumerConfig;
    }

    /**
     * Returns an unstarted client; call {@link #start()} and, at the end, {@link #stop()}.
     *
     * @param bootstrapServers Kafka bootstrap servers
     * @param consumerGroup the consumer group whose committed offsets persist across restarts
     * @param maxUnsettledRecords how many unsettled records make the consumers pause fetching
     * @param commitIntervalMillis how often settled offsets are committed
     */
    public static AtLeastOnceApplicationClient create(Vertx vertx, String bootstrapServers, String consumerGroup,
            int maxUnsettledRecords, long commitIntervalMillis) {
        CommonKafkaClientConfigProperties common = new CommonKafkaClientConfigProperties();
        common.setCommonClientConfig(Map.of(
                "bootstrap.servers", bootstrapServers,
                "client.id", consumerGroup));
        MessagingKafkaConsumerConfigProperties consumer = new MessagingKafkaConsumerConfigProperties();
        consumer.setCommonClientConfig(common);
        consumer.setConsumerConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, consumerGroup,
                // a group that has never committed starts at the oldest record: nothing produced before the first
                // start is skipped (Hono's command-response consumer forces "latest" for itself, as it should)
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.max(2, 2 * maxUnsettledRecords)),
                ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervalMillis),
                // on rebalance or stop, wait this long for unsettled records before committing what is settled
                AsyncHandlingAutoCommitKafkaConsumer.CONFIG_HONO_OFFSETS_COMMIT_RECORD_COMPLETION_TIMEOUT_MILLIS,
                "500"));
        MessagingKafkaProducerConfigProperties producer = new MessagingKafkaProducerConfigProperties();
        producer.setCommonClientConfig(common);
        return new AtLeastOnceApplicationClient(vertx, consumer, producer);
    }

    /**
     * Consumes {@code hono.telemetry.<tenant>}; a record's offset is committed once the future the handler returned
     * for it, and for every earlier record of its partition, has completed (successfully or not: the handler must
     * only complete it once the record is settled). Must be called on the Vert.x context the handler should run on.
     */
    public Future<SettlingConsumer> createTelemetryConsumer(String tenantId,
            Function<DownstreamMessage<KafkaMessageContext>, Future<Void>> handler, Runnable onExpired) {
        return createSettlingConsumer(new HonoTopic(HonoTopic.Type.TELEMETRY, tenantId), handler, onExpired);
    }

    /** As {@link #createTelemetryConsumer}, for {@code hono.event.<tenant>}. */
    public Future<SettlingConsumer> createEventConsumer(String tenantId,
            Function<DownstreamMessage<KafkaMessageContext>, Future<Void>> handler, Runnable onExpired) {
        return createSettlingConsumer(new HonoTopic(HonoTopic.Type.EVENT, tenantId), handler, onExpired);
    }

    private Future<SettlingConsumer> createSettlingConsumer(HonoTopic topic,
            Function<DownstreamMessage<KafkaMessageContext>, Future<Void>> handler, Runnable onExpired) {
        Map<String, String> config = consumerConfig.getConsumerConfig(topic.getType().toString());
        Function<KafkaConsumerRecord<String, Buffer>, Future<Void>> recordHandler =
                record -> handler.apply(new KafkaDownstreamMessage(record));
        ExpiryCountingConsumer consumer = new ExpiryCountingConsumer(vertx, Set.of(topic.toString()), recordHandler,
                config, onExpired);
        consumer.setPollTimeout(java.time.Duration.ofMillis(consumerConfig.getPollTimeout()));
        Promise<Void> ready = Promise.promise();
        consumer.addOnKafkaConsumerReadyHandler(ready);
        SettlingConsumer settling = new SettlingConsumer(topic.toString(), consumer);
        return consumer.start()
                .compose(v -> ready.future())
                .map(v -> settling)
                .onSuccess(c -> {
                    consumers.add(c);
                    LOG.debug("consuming {} in group {}", topic, config.get(ConsumerConfig.GROUP_ID_CONFIG));
                });
    }

    @Override
    public Future<Void> stop() {
        List<Future<Void>> closing = new ArrayList<>();
        consumers.forEach(c -> closing.add(c.close()));
        consumers.clear();
        return Future.join(closing).eventually(() -> super.stop()).mapEmpty();
    }

    /** A started consumer of one topic; close it, or stop the client. */
    public static final class SettlingConsumer implements org.eclipse.hono.application.client.MessageConsumer {

        private final String topic;
        private final AsyncHandlingAutoCommitKafkaConsumer<Buffer> consumer;

        private SettlingConsumer(String topic, AsyncHandlingAutoCommitKafkaConsumer<Buffer> consumer) {
            this.topic = topic;
            this.consumer = consumer;
        }

        public String topic() {
            return topic;
        }

        /** Stops the consumer; it commits what is settled (waiting briefly for the rest) before it leaves. */
        @Override
        public Future<Void> close() {
            return consumer.stop();
        }
    }

    /** Counts the records Hono's consumer skips because their {@code ttl} has elapsed (Hono's rule for consumers). */
    private static final class ExpiryCountingConsumer extends AsyncHandlingAutoCommitKafkaConsumer<Buffer> {

        private final Runnable onExpired;

        ExpiryCountingConsumer(Vertx vertx, Set<String> topics,
                Function<KafkaConsumerRecord<String, Buffer>, Future<Void>> recordHandler,
                Map<String, String> consumerConfig, Runnable onExpired) {
            super(vertx, topics, recordHandler, consumerConfig);
            this.onExpired = onExpired;
        }

        @Override
        protected void onRecordHandlerSkippedForExpiredRecord(KafkaConsumerRecord<String, Buffer> record) {
            super.onRecordHandlerSkippedForExpiredRecord(record);
            LOG.debug("skipped record {}-{}@{} of device {}: its ttl has elapsed", record.topic(), record.partition(),
                    record.offset(), record.key());
            onExpired.run();
        }
    }
}
