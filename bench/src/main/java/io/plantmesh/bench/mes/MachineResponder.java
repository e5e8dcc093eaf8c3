package io.plantmesh.bench.mes;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.live.messages.RepliableMessage;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

/**
 * Plays the 50 machines' connectivity: answers the MES bridges' {@code startJob} and {@code stopJob} live messages
 * (Ditto Java client over {@code /ws/2}) and reports the outcome in the machine twin over HTTP in one merge, as a
 * machine's connectivity would (start: job + RUNNING; stop: no job + IDLE), then answers 200. Produces no counts, so
 * no order ever completes.
 */
public final class MachineResponder implements AutoCloseable {

    private final DittoClient client;
    private final AtomicLong starts = new AtomicLong();
    private final AtomicLong stops = new AtomicLong();
    private final AtomicLong failedReports = new AtomicLong();

    private MachineResponder(DittoClient client) {
        this.client = client;
    }

    /** Connects as ditto/ditto and starts consuming live messages. */
    public static MachineResponder start(MesBenchPlant plant) throws Exception {
        var messaging = WebSocketMessagingConfiguration.newBuilder()
                .endpoint(plant.wsEndpoint().toString())
                .jsonSchemaVersion(JsonSchemaVersion.V_2)
                .timeout(Duration.ofSeconds(10))
                .build();
        var provider = MessagingProviders.webSocket(messaging, AuthenticationProviders.basic(
                BasicAuthenticationConfiguration.newBuilder().username("ditto").password("ditto").build()));
        DittoClient client = DittoClients.newInstance(provider).connect().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        MachineResponder responder = new MachineResponder(client);
        client.live().registerForMessage("bench-start", "startJob", JsonObject.class,
                m -> responder.answer(plant, m, true));
        client.live().registerForMessage("bench-stop", "stopJob", JsonObject.class,
                m -> responder.answer(plant, m, false));
        client.live().startConsumption().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return responder;
    }

    private void answer(MesBenchPlant plant, RepliableMessage<JsonObject, Object> m, boolean start) {
        ThingId machine = ThingId.of(m.getEntityId());
        String workOrder = start ? m.getPayload().flatMap(p -> p.getValue("workOrder")).map(JsonValue::asString)
                .orElse(null) : null;
        (start ? starts : stops).incrementAndGet();
        JsonValue wo = workOrder == null ? JsonValue.nullLiteral() : JsonValue.of(workOrder);
        JsonValue op = workOrder == null ? JsonValue.nullLiteral() : JsonValue.of("10");
        JsonObject patch = JsonObject.newBuilder()
                .set("features", JsonObject.newBuilder()
                        .set("job", JsonObject.newBuilder().set("properties", JsonObject.newBuilder()
                                .set("workOrder", wo).set("operation", op).build()).build())
                        .set("state", JsonObject.newBuilder().set("properties", JsonObject.newBuilder()
                                .set("state", start ? "RUNNING" : "IDLE")
                                .set("since", Instant.now().toString())
                                .set("reason", start ? "job started" : "job stopped").build()).build())
                        .build())
                .build();
        plant.mergeAsync(machine, patch.toString()).whenComplete((HttpResponse<String> r, Throwable e) -> {
            boolean reported = e == null && r.statusCode() / 100 == 2;
            if (!reported) {
                failedReports.incrementAndGet();
                m.reply().httpStatus(HttpStatus.SERVICE_UNAVAILABLE)
                        .payload(JsonObject.of("{\"accepted\":false}")).contentType("application/json").send();
                return;
            }
            m.reply().httpStatus(HttpStatus.OK).payload(JsonObject.of("{\"accepted\":true}"))
                    .contentType("application/json").send();
        });
    }

    public long starts() {
        return starts.get();
    }

    public long stops() {
        return stops.get();
    }

    public long failedReports() {
        return failedReports.get();
    }

    @Override
    public void close() {
        client.destroy();
    }
}
