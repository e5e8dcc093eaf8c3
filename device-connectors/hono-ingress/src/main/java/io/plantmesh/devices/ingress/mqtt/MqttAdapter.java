package io.plantmesh.devices.ingress.mqtt;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.plantmesh.devices.ingress.command.CommandResponses;
import io.plantmesh.devices.ingress.kafka.NorthboundSender;
import io.plantmesh.devices.ingress.metrics.IngressCounters;
import io.plantmesh.devices.ingress.registry.RegistryLookups;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.tls.ServerCredentials;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;

/**
 * Hono's MQTT protocol adapter (MQTT 3.1.1): authenticates CONNECTs, then hands each connection to a
 * {@link DeviceConnection}. Not a general broker: only Hono's topics, no sessions, no retained messages, no wills.
 */
public final class MqttAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(MqttAdapter.class);
    // room for the fixed header and a topic of up to 64 KiB beside the largest payload we accept
    private static final int PACKET_OVERHEAD = 70_000;

    private final Vertx vertx;
    private final MqttAdapterOptions options;
    private final ConnectAuthenticator authenticator;
    private final AuthFailureThrottle throttle;
    private final DeviceConnection.Services services;
    private MqttServer server;

    public MqttAdapter(Vertx vertx, MqttAdapterOptions options, RegistryLookups lookups, NorthboundSender sender,
            CommandResponses responses, CommandSubscriptions commandSubscriptions, IngressCounters counters) {
        this.vertx = vertx;
        this.options = options;
        this.throttle = new AuthFailureThrottle(options.authThrottling());
        this.authenticator = new ConnectAuthenticator(lookups, options.authenticationRequired(), throttle);
        DeviceAuthorization authorization = new DeviceAuthorization(lookups);
        this.services = new DeviceConnection.Services(options, lookups,
                new TelemetryAndEventHandler(authorization, sender, commandSubscriptions, counters),
                new CommandResponseHandler(authorization, responses, counters), commandSubscriptions, counters);
    }

    /**
     * Starts listening; completes with the actual port.
     *
     * @throws io.plantmesh.tls.TlsConfigurationException naming a TLS file that is missing or does not fit
     */
    public Future<Integer> start() {
        MqttServerOptions serverOptions = new MqttServerOptions().setHost(options.host()).setPort(options.port())
                .setMaxMessageSize(options.maxPayloadBytes() + PACKET_OVERHEAD);
        if (options.tls() != null) {
            ServerCredentials credentials = options.tls().load("the MQTT adapter");
            credentials.applyTo(serverOptions);
            credentials.warnIfNotCovering(options.host(), "the MQTT adapter");
        }
        server = MqttServer.create(vertx, serverOptions);
        server.endpointHandler(this::onConnect)
                .exceptionHandler(e -> LOG.debug("MQTT server: {}", e.toString()));
        return server.listen().map(MqttServer::actualPort);
    }

    private void onConnect(MqttEndpoint endpoint) {
        AtomicBoolean closedEarly = new AtomicBoolean();
        endpoint.closeHandler(v -> closedEarly.set(true));
        var context = vertx.getOrCreateContext();
        authenticator.authenticate(endpoint.auth()).onComplete(ar -> {
            if (closedEarly.get()) {
                return; // the client went away while its credentials were checked
            }
            if (ar.succeeded()) {
                services.counters().connectionAccepted();
                new DeviceConnection(endpoint, ar.result(), context, services).accept();
                return;
            }
            MqttConnectReturnCode code = ar.cause() instanceof ConnectRefusal refusal ? refusal.code()
                    : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
            services.counters().connectionRefused(code.name());
            if (ar.cause() instanceof ConnectRefusal refusal && refusal.throttled()) {
                services.counters().connectionThrottled();
            }
            String user = endpoint.auth() == null ? null : endpoint.auth().getUsername();
            LOG.info("Refused the MQTT connection of client {} (user {}): {} ({})", endpoint.clientIdentifier(), user,
                    ar.cause().getMessage(), code);
            endpoint.reject(code);
        });
    }

    /** The URL scheme devices use: mqtts with TLS, else mqtt. */
    public String scheme() {
        return ListenerTls.scheme("mqtt", options.tls());
    }

    /** User names currently tracked for failed authentications. */
    public int throttledAuthIdsTracked() {
        return throttle.tracked();
    }

    /** Stops listening and closes all connections. */
    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
