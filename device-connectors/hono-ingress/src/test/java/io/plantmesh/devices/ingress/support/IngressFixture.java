package io.plantmesh.devices.ingress.support;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.eclipse.hono.application.client.DownstreamMessage;
import org.eclipse.hono.application.client.kafka.KafkaMessageContext;
import org.eclipse.hono.application.client.kafka.impl.KafkaApplicationClientImpl;
import org.eclipse.hono.client.kafka.CommonKafkaClientConfigProperties;
import org.eclipse.hono.client.kafka.consumer.MessagingKafkaConsumerConfigProperties;
import org.eclipse.hono.client.kafka.producer.CachingKafkaProducerFactory;
import org.eclipse.hono.client.kafka.producer.MessagingKafkaProducerConfigProperties;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.devices.ingress.HonoIngress;
import io.plantmesh.devices.ingress.IngressConfig;
import io.plantmesh.devices.ingress.IngressEndpoints;
import io.plantmesh.devices.ingress.registry.DeviceRegistry;
import io.plantmesh.devices.kafka.EmbeddedKafkaBroker;
import io.plantmesh.devices.kafka.EmbeddedKafkaConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Real components on 127.0.0.1 with free ports: an in-memory MongoDB (mongo-java-server), the embedded Kafka broker,
 * the ingress, and Hono's own application client (2.6.0) consuming telemetry and events of tenant plant1.
 */
public final class IngressFixture implements AutoCloseable {

    public static final String TENANT = "plant1";

    public final MongoServer mongo;
    public final EmbeddedKafkaBroker kafka;
    public final String bootstrapServers;
    public final HonoIngress ingress;
    public final IngressEndpoints endpoints;
    public final Vertx vertx = Vertx.vertx();
    public final KafkaApplicationClientImpl honoClient;
    public final List<DownstreamMessage<KafkaMessageContext>> telemetry = new CopyOnWriteArrayList<>();
    public final List<DownstreamMessage<KafkaMessageContext>> events = new CopyOnWriteArrayList<>();

    public IngressFixture(Path dir, UnaryOperator<IngressConfig> customize) throws Exception {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        InetSocketAddress mongoAddress = mongo.getLocalAddress();
        kafka = EmbeddedKafkaBroker.create(EmbeddedKafkaConfig.defaults(dir.resolve("kafka")));
        bootstrapServers = kafka.start();
        String mongoUri = "mongodb://127.0.0.1:" + mongoAddress.getPort();
        IngressConfig config = customize.apply(IngressConfig.defaults(mongoUri, bootstrapServers).withMqttPort(0)
                .withRegistryPort(0).withTenants(Set.of(TENANT)).withBcryptCost(4));
        ingress = HonoIngress.create(config);
        endpoints = ingress.start();
        DeviceRegistry registry = ingress.registry();
        registry.ensureTenant(TENANT, new JsonObject());

        honoClient = applicationClient(vertx, bootstrapServers);
        await(honoClient.createTelemetryConsumer(TENANT, telemetry::add, t -> { }));
        await(honoClient.createEventConsumer(TENANT, events::add, t -> { }));
    }

    /** Hono's KafkaApplicationClientImpl, configured as Hono's example application does. */
    public static KafkaApplicationClientImpl applicationClient(Vertx vertx, String bootstrapServers) throws Exception {
        CommonKafkaClientConfigProperties common = new CommonKafkaClientConfigProperties();
        common.setCommonClientConfig(Map.of("bootstrap.servers", bootstrapServers));
        MessagingKafkaConsumerConfigProperties consumerConfig = new MessagingKafkaConsumerConfigProperties();
        consumerConfig.setCommonClientConfig(common);
        consumerConfig.setConsumerConfig(Map.of("group.id", "test-app-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest"));
        MessagingKafkaProducerConfigProperties producerConfig = new MessagingKafkaProducerConfigProperties();
        producerConfig.setCommonClientConfig(common);
        KafkaApplicationClientImpl client = new KafkaApplicationClientImpl(vertx, consumerConfig,
                CachingKafkaProducerFactory.sharedFactory(vertx), producerConfig);
        Promise<Void> ready = Promise.promise();
        client.addOnClientReadyHandler(ready);
        await(client.start().compose(v -> ready.future()));
        return client;
    }

    /** Registers a device with a password; auth-id = device id with ':' replaced by '_'. */
    public void device(String deviceId, JsonObject config, String password) {
        DeviceRegistry registry = ingress.registry();
        registry.putDevice(TENANT, deviceId, config);
        registry.setPassword(TENANT, deviceId, authId(deviceId), password);
    }

    public static String authId(String deviceId) {
        return deviceId.replace(':', '_');
    }

    public static String username(String deviceId) {
        return authId(deviceId) + "@" + TENANT;
    }

    public TestDevice connect(String deviceId, String password) throws Exception {
        return TestDevice.connect(vertx, endpoints.mqttPort(), username(deviceId), password);
    }

    public static JsonObject via(String... gateways) {
        return new JsonObject().put("via", new JsonArray(List.of((Object[]) gateways)));
    }

    public static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            await(honoClient.stop());
        } catch (Exception e) {
            // best effort
        }
        await(vertx.close());
        ingress.close();
        kafka.close();
        mongo.shutdownNow();
    }
}
