package io.plantmesh.mes.support;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

/**
 * Plays the machines of a test plant: answers {@code startJob} and {@code stopJob} live messages with 200 and
 * reports the result in the machine twin, as a machine's connectivity would (start: RUNNING with the job; stop:
 * IDLE without a job). Every command it received is kept, in order.
 */
public final class FakeMachines implements AutoCloseable {

    /** A command a machine received. */
    public record Received(ThingId machine, String command, String workOrder) {
    }

    private final DittoClient client;
    private final TestPlant plant;
    private final Clock clock;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<ThingId, Boolean> deaf = new ConcurrentHashMap<>();

    private FakeMachines(final DittoClient client, final TestPlant plant, final Clock clock) {
        this.client = client;
        this.plant = plant;
        this.clock = clock;
    }

    public static FakeMachines start(final TestPlant plant, final Clock clock) {
        final var messaging = WebSocketMessagingConfiguration.newBuilder()
                .endpoint(plant.wsEndpoint().toString())
                .jsonSchemaVersion(JsonSchemaVersion.V_2)
                .timeout(Duration.ofSeconds(10))
                .build();
        final var provider = MessagingProviders.webSocket(messaging, AuthenticationProviders.basic(
                BasicAuthenticationConfiguration.newBuilder().username("ditto").password("ditto").build()));
        try {
            final DittoClient client = DittoClients.newInstance(provider).connect().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            final FakeMachines machines = new FakeMachines(client, plant, clock);
            client.live().registerForMessage("fake-start", "startJob", JsonObject.class, m -> {
                final ThingId machine = ThingId.of(m.getEntityId());
                final String wo = m.getPayload().flatMap(p -> p.getValue("workOrder"))
                        .map(JsonValue::asString).orElse(null);
                machines.received.add(new Received(machine, "startJob", wo));
                if (machines.deaf.getOrDefault(machine, false)) {
                    return; // no answer: the sender times out
                }
                plant.reportedJob(machine, wo);
                plant.machineState(machine, "RUNNING", clock.instant());
                m.reply().httpStatus(HttpStatus.OK).payload(JsonObject.of("{\"accepted\":true}"))
                        .contentType("application/json").send();
            });
            client.live().registerForMessage("fake-stop", "stopJob", JsonObject.class, m -> {
                final ThingId machine = ThingId.of(m.getEntityId());
                final String wo = m.getPayload().flatMap(p -> p.getValue("workOrder"))
                        .map(JsonValue::asString).orElse(null);
                machines.received.add(new Received(machine, "stopJob", wo));
                plant.reportedJob(machine, null);
                plant.machineState(machine, "IDLE", clock.instant());
                m.reply().httpStatus(HttpStatus.OK).payload(JsonObject.of("{\"accepted\":true}"))
                        .contentType("application/json").send();
            });
            client.live().startConsumption().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return machines;
        } catch (final Exception e) {
            throw new IllegalStateException("fake machines could not connect to " + plant.wsEndpoint(), e);
        }
    }

    /** Commands received so far. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Commands of one kind for one order. */
    public long count(final String command, final String workOrder) {
        return received.stream().filter(r -> r.command().equals(command) && workOrder.equals(r.workOrder()))
                .count();
    }

    /** A machine that takes commands but neither answers nor acts on them. */
    public void deaf(final ThingId machine, final boolean value) {
        deaf.put(machine, value);
    }

    @Override
    public void close() {
        client.destroy();
    }
}
