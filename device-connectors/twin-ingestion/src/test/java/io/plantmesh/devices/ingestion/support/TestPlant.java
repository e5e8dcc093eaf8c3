package io.plantmesh.devices.ingestion.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.devices.ingestion.IngestionConfig;
import io.plantmesh.devices.kafka.EmbeddedKafkaBroker;
import io.plantmesh.devices.kafka.EmbeddedKafkaConfig;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineTwin;

/**
 * A small plant for integration tests: a real Kafka broker (KRaft, in this JVM) and a real twin server, both on
 * 127.0.0.1 with free ports, Hono-format records produced with a plain Kafka producer (as Hono's MQTT adapter writes
 * them), machine twins created over Ditto's HTTP API, and reads of twins and topics. Close it after the tests.
 */
public final class TestPlant implements AutoCloseable {

    private final Path dir;
    private final EmbeddedKafkaBroker broker;
    private final String bootstrap;
    private final RunningTwinServer twins;
    private final KafkaProducer<String, byte[]> producer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestPlant(Path dir, EmbeddedKafkaBroker broker, String bootstrap, RunningTwinServer twins) {
        this.dir = dir;
        this.broker = broker;
        this.bootstrap = bootstrap;
        this.twins = twins;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    /** Starts the broker and the twin server and creates the tenants' Hono and dead-letter topics. */
    public static TestPlant start(String... tenants) throws IOException {
        Path dir = Files.createTempDirectory("twin-ingestion-it");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create(EmbeddedKafkaConfig.defaults(dir.resolve("kafka")));
        RunningTwinServer twins = null;
        try {
            String bootstrap = broker.start();
            List<String> topics = new ArrayList<>();
            for (String t : tenants) {
                topics.addAll(List.of("hono.telemetry." + t, "hono.event." + t, "hono.command." + t,
                        "hono.command_response." + t, "plantmesh.deadletter." + t));
            }
            broker.createTopics(Set.copyOf(topics));
            twins = RunningTwinServer.start();
            return new TestPlant(dir, broker, bootstrap, twins);
        } catch (RuntimeException e) {
            if (twins != null) {
                twins.close();
            }
            broker.close();
            deleteQuietly(dir);
            throw e;
        }
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Ingestion configuration for this plant: short windows and timeouts for tests. */
    public IngestionConfig ingestionConfig(String tenant, String group) {
        return IngestionConfig.defaults(bootstrap, twins.wsBase())
                .withTenants(List.of(tenant))
                .withConsumerGroup(group)
                .withCommitInterval(Duration.ofMillis(200))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    public String httpBase() {
        return twins.httpBase();
    }

    /** The twin server, to make Ditto unreachable for a while. */
    public RunningTwinServer twinServer() {
        return twins;
    }

    // ---- twins -------------------------------------------------------------------------------------------------

    /** Creates a valid {@code io.plantmesh:machine:1.0.0} twin over HTTP as {@code ditto} (policy: nginx:ditto). */
    public ThingId createMachine(String plant, int line, int machine) {
        ThingId id = PlantThingIds.machine(plant, line, machine);
        MachineTwin twin = MachineTwin.initial(id, PlantThingIds.line(plant, line), "Machine " + line + "-" + machine,
                DeviceBinding.hono(plant, id.toString()), Instant.parse("2026-11-26T06:00:00Z"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(thingUri(id, null))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(twin.toThing().toJsonString())));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("could not create " + id + ": " + response.statusCode() + " "
                    + response.body());
        }
        return id;
    }

    /** The twin as JSON with {@code _revision}; fails if it does not exist. */
    public JsonObject thing(ThingId id) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(thingUri(id,
                "thingId,_revision,attributes,features")).GET());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + id + ": " + response.statusCode() + " " + response.body());
        }
        return JsonObject.of(response.body());
    }

    public long revision(ThingId id) {
        return thing(id).getValue("_revision").map(JsonValue::asLong).orElseThrow();
    }

    public JsonValue value(ThingId id, String pointer) {
        return thing(id).getValue(JsonPointer.of(pointer)).orElse(JsonValue.nullLiteral());
    }

    /** POSTs a live message to the thing's inbox as {@code ditto}, waiting up to {@code timeoutSeconds}. */
    public HttpResponse<String> postInboxMessage(ThingId id, String subject, String jsonBody, int timeoutSeconds) {
        URI uri = URI.create(twins.httpBase() + "/api/2/things/" + enc(id.toString()) + "/inbox/messages/"
                + enc(subject) + "?timeout=" + timeoutSeconds + "s");
        return send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(timeoutSeconds + 10L))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    private URI thingUri(ThingId id, String fields) {
        return URI.create(twins.httpBase() + "/api/2/things/" + enc(id.toString())
                + (fields == null ? "" : "?fields=" + enc(fields)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("ditto:ditto".getBytes(StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---- Hono-format records -----------------------------------------------------------------------------------

    /** Writes a record as Hono's MQTT adapter does: key = device id, UTF-8 string headers; waits for the ack. */
    public void produce(String topic, String deviceId, String contentType, byte[] value, Map<String, String> extra) {
        List<Header> headers = new ArrayList<>();
        headers.add(header("device_id", deviceId));
        if (contentType != null) {
            headers.add(header("content-type", contentType));
        }
        headers.add(header("creation-time", Long.toString(System.currentTimeMillis())));
        headers.add(header("qos", "1"));
        headers.add(header("orig_adapter", "hono-mqtt"));
        extra.forEach((k, v) -> headers.add(header(k, v)));
        try {
            producer.send(new ProducerRecord<>(topic, null, deviceId, value, headers)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    public void telemetry(String tenant, ThingId device, String contentType, String json) {
        produce("hono.telemetry." + tenant, device.toString(), contentType, json.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    public void event(String tenant, ThingId device, String contentType, String json) {
        produce("hono.event." + tenant, device.toString(), contentType, json.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    /** A machine payload ({@code application/vnd.plantmesh.machine+json}). */
    public static String machinePayload(long ts, String featuresJson) {
        return "{\"ts\":" + ts + ",\"features\":" + featuresJson + "}";
    }

    public static Header header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }

    public static String header(ConsumerRecord<?, ?> record, String key) {
        Header h = record.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    // ---- reading topics ----------------------------------------------------------------------------------------

    /** All records of the topic from the beginning, polling until one matches {@code until} or the timeout. */
    public List<ConsumerRecord<String, byte[]>> readUntil(String topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> until, Duration timeout) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                if (until.test(all)) {
                    break;
                }
            }
            return all;
        }
    }

    /** Runs a responder for commands: {@code answer} gets each command record and returns a response (or null). */
    public CommandResponder commandResponder(String tenant,
            java.util.function.Function<ConsumerRecord<String, byte[]>, ProducerRecord<String, byte[]>> answer) {
        return new CommandResponder(bootstrap, "hono.command." + tenant, producer, answer);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        twins.close();
        broker.close();
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort in tests
        }
    }

    /** @return a JSON object from text, for assertions */
    public static JsonObject json(String text) {
        return JsonFactory.readFrom(text).asObject();
    }
}
