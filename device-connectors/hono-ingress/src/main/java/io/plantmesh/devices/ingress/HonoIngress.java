package io.plantmesh.devices.ingress;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.ingress.command.CommandConsumer;
import io.plantmesh.devices.ingress.command.CommandDispatcher;
import io.plantmesh.devices.ingress.command.CommandResponses;
import io.plantmesh.devices.ingress.command.TtdNotifications;
import io.plantmesh.devices.ingress.kafka.NorthboundSender;
import io.plantmesh.devices.ingress.kafka.TopicProvisioner;
import io.plantmesh.devices.ingress.metrics.IngressCounters;
import io.plantmesh.devices.ingress.metrics.IngressMetrics;
import io.plantmesh.devices.ingress.mqtt.CommandSubscriptions;
import io.plantmesh.devices.ingress.mqtt.MqttAdapter;
import io.plantmesh.devices.ingress.mqtt.MqttAdapterOptions;
import io.plantmesh.devices.ingress.registry.DeviceRegistry;
import io.plantmesh.devices.ingress.registry.PasswordHashing;
import io.plantmesh.devices.ingress.registry.RegistryApi;
import io.plantmesh.devices.ingress.registry.RegistryLookups;
import io.plantmesh.devices.ingress.registry.RegistryStore;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.tls.ServerCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The embedded stand-in for Eclipse Hono's MQTT protocol adapter and device registry: devices speak Hono's MQTT
 * device API, applications read and write Hono's Kafka topics unchanged, operators use Hono's registry management
 * API. See the module README for the supported subset.
 */
public final class HonoIngress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HonoIngress.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private final IngressConfig config;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final IngressCounters counters = new IngressCounters();
    private DeviceRegistry registry;
    private NorthboundSender sender;
    private CommandConsumer commandConsumer;
    private MqttAdapter mqttAdapter;
    private HttpServer registryServer;
    private IngressEndpoints endpoints;

    private HonoIngress(Vertx vertx, boolean ownsVertx, IngressConfig config) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.config = config;
    }

    /** Returns an unstarted ingress with a Vert.x of its own; the caller must close it, also after a failed start. */
    public static HonoIngress create(IngressConfig config) {
        return new HonoIngress(Vertx.vertx(), true, config);
    }

    /** Returns an unstarted ingress on the given Vert.x (which {@link #close()} leaves running). */
    public static HonoIngress create(Vertx vertx, IngressConfig config) {
        return new HonoIngress(vertx, false, config);
    }

    /**
     * Connects to MongoDB and Kafka, creates the configured tenants' topics, starts the command consumer, the MQTT
     * adapter and (unless disabled) the registry's HTTP server. Blocks; do not call it on an event loop.
     */
    public IngressEndpoints start() {
        registry = DeviceRegistry.create(RegistryStore.connect(config.mongoUri(), config.mongoDatabase()),
                PasswordHashing.withBcryptCost(config.bcryptCost()));
        checkRegistryReachable();
        TopicProvisioner.createTenantTopics(config.kafkaBootstrapServers(), config.tenants());
        sender = NorthboundSender.create(vertx, config.kafkaBootstrapServers(), config.downstreamTimeout());

        RegistryLookups lookups = new RegistryLookups(vertx, registry);
        CommandResponses responses = new CommandResponses(sender);
        CommandSubscriptions subscriptions = new CommandSubscriptions(lookups, new TtdNotifications(sender));
        CommandDispatcher dispatcher = new CommandDispatcher(subscriptions, responses, counters);
        LOG.info("Hono ingress: waiting for the command consumer to join group {}", config.commandConsumerGroup());
        commandConsumer = CommandConsumer.start(config.kafkaBootstrapServers(), config.commandConsumerGroup(),
                vertx.getOrCreateContext(), dispatcher::dispatch, STARTUP_TIMEOUT);

        mqttAdapter = new MqttAdapter(vertx, new MqttAdapterOptions(config.mqttHost(), config.mqttPort(),
                config.maxPayloadBytes(), config.authenticationRequired(), config.mqttTls(),
                config.authThrottling()), lookups, sender, responses, subscriptions, counters);
        int mqttPort = await(mqttAdapter.start(), "start the MQTT adapter on " + config.mqttHost() + ":"
                + config.mqttPort() + " (is the port in use?)");

        String registryUrl = null;
        if (config.registryPort() != IngressConfig.NO_REGISTRY_SERVER) {
            Router router = Router.router(vertx);
            mountRegistryApi(router);
            HttpServerOptions registryOptions = new HttpServerOptions();
            if (config.registryTls() != null) {
                ServerCredentials credentials = config.registryTls().load("the device registry API");
                credentials.applyTo(registryOptions);
                credentials.warnIfNotCovering(config.registryHost(), "the device registry API");
            }
            registryServer = await(vertx.createHttpServer(registryOptions).requestHandler(router)
                    .listen(config.registryPort(), config.registryHost()), "start the registry HTTP server on "
                            + config.registryHost() + ":" + config.registryPort() + " (is the port in use?)");
            registryUrl = ListenerTls.scheme("http", config.registryTls()) + "://" + config.registryHost() + ":"
                    + registryServer.actualPort() + "/v1";
        }
        endpoints = new IngressEndpoints(config.mqttHost(), mqttPort, registryUrl, config.mqttTls() != null);
        LOG.info("Hono ingress (MQTT adapter) listening on {}, device registry {}, Kafka {}, MongoDB database {}",
                endpoints.mqttUrl(), registryUrl == null ? "API not served on a port of its own" : registryUrl,
                config.kafkaBootstrapServers(), config.mongoDatabase());
        return endpoints;
    }

    /** The registry for provisioning (blocking calls: not on an event loop). Available after {@link #start()}. */
    public DeviceRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException("start the ingress first");
        }
        return registry;
    }

    /** Adds Hono's registry management API ({@code /v1/...}) to a router served elsewhere. */
    public void mountRegistryApi(Router router) {
        RegistryApi.mount(router, registry());
    }

    public IngressEndpoints endpoints() {
        return endpoints;
    }

    public IngressMetrics metrics() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        if (mqttAdapter != null) {
            quietly(mqttAdapter.close(), "close the MQTT adapter");
        }
        if (commandConsumer != null) {
            commandConsumer.close();
        }
        if (registryServer != null) {
            quietly(registryServer.close(), "close the registry HTTP server");
        }
        if (sender != null) {
            sender.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (ownsVertx) {
            quietly(vertx.close(), "close Vert.x");
        }
        if (endpoints != null) {
            LOG.info("Hono ingress stopped; counters: {}", counters.snapshot());
            endpoints = null;
        }
    }

    private void checkRegistryReachable() {
        try {
            registry.tenant("plantmesh-connectivity-check");
        } catch (RuntimeException e) {
            throw new IllegalStateException("The device registry cannot reach MongoDB at " + config.mongoUri()
                    + " (" + e.getMessage() + "). Start the store first or fix the connection string.", e);
        }
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(STARTUP_TIMEOUT.toSeconds(),
                    TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + what, e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Could not " + what + ": " + cause.getMessage(), cause);
        }
    }

    private static void quietly(Future<?> future, String what) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Could not {}: {}", what, e.toString());
        }
    }
}
