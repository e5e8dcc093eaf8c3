package io.plantmesh.twin.server.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProvider;
import org.eclipse.ditto.client.messaging.MessagingProviders;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** Connects the official Ditto Java client 2.4 to a test server over its WebSocket, with basic auth. */
final class DittoClients24 {

    private DittoClients24() {
    }

    static DittoClient connect(RunningTwinServer server, String user, String password, String... declaredAcks) {
        MessagingProvider provider = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint(server.wsBase())
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .timeout(Duration.ofSeconds(10))
                        .reconnectEnabled(false)
                        .declaredAcknowledgements(List.of(declaredAcks).stream().map(AcknowledgementLabel::of).toList())
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username(user)
                        .password(password)
                        .build()));
        try {
            return DittoClients.newInstance(provider).connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The Ditto client could not connect to " + server.wsBase(), e);
        }
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
