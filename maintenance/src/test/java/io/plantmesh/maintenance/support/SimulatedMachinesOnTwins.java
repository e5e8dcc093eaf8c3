package io.plantmesh.maintenance.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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

import io.plantmesh.devices.simulator.machine.CommandOutcome;
import io.plantmesh.devices.simulator.machine.MachineSnapshot;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;

/**
 * Simulated machines connected to their twins without the shop floor's plumbing: {@link #publish()} writes each
 * machine's state, telemetry, counters and job to its twin (as twin ingestion would), and the live messages the MES
 * sends ({@code startJob}, {@code stopJob}, {@code holdJob}, {@code startMaintenance}) are run on the machine and
 * answered with 200 or 409, as the simulator's MQTT devices answer Hono commands.
 */
public final class SimulatedMachinesOnTwins implements AutoCloseable {

    /** A command a machine received, and whether it took it. */
    public record Received(String machine, String command, boolean accepted, String message) {
    }

    private final DittoClient client;
    private final TestTwins twins;
    private final Map<String, SimulatedMachine> machines;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private SimulatedMachinesOnTwins(final DittoClient client, final TestTwins twins,
            final Map<String, SimulatedMachine> machines) {
        this.client = client;
        this.twins = twins;
        this.machines = machines;
    }

    public static SimulatedMachinesOnTwins connect(final TestTwins twins,
            final Map<String, SimulatedMachine> machines) {
        final var messaging = WebSocketMessagingConfiguration.newBuilder()
                .endpoint(twins.wsEndpoint().toString())
                .jsonSchemaVersion(JsonSchemaVersion.V_2)
                .timeout(Duration.ofSeconds(10))
                .build();
        final var provider = MessagingProviders.webSocket(messaging, AuthenticationProviders.basic(
                BasicAuthenticationConfiguration.newBuilder().username("ditto").password("ditto").build()));
        try {
            final DittoClient client = DittoClients.newInstance(provider).connect().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            final SimulatedMachinesOnTwins floor = new SimulatedMachinesOnTwins(client, twins, Map.copyOf(machines));
            for (final String subject : List.of("startJob", "stopJob", "holdJob", "startMaintenance")) {
                client.live().registerForMessage("sim-" + subject, subject, JsonObject.class, m -> {
                    final SimulatedMachine machine = floor.machines.get(m.getEntityId().toString());
                    if (machine == null) {
                        return;
                    }
                    final JsonObject payload = m.getPayload().orElse(JsonObject.empty());
                    final CommandOutcome outcome = floor.run(machine, subject, payload);
                    floor.received.add(new Received(machine.machineId(), subject, outcome.accepted(),
                            outcome.message()));
                    m.reply().httpStatus(outcome.accepted() ? HttpStatus.OK : HttpStatus.CONFLICT)
                            .payload(JsonObject.newBuilder().set("accepted", outcome.accepted())
                                    .set("message", outcome.message()).build())
                            .contentType("application/json").send();
                });
            }
            client.live().startConsumption().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return floor;
        } catch (final Exception e) {
            throw new IllegalStateException("simulated machines could not connect to " + twins.wsEndpoint(), e);
        }
    }

    private CommandOutcome run(final SimulatedMachine machine, final String subject, final JsonObject payload) {
        return switch (subject) {
            case "startJob" -> machine.startJob(text(payload, "workOrder"), text(payload, "operation"));
            case "stopJob" -> machine.stopJob();
            case "holdJob" -> machine.holdJob();
            case "startMaintenance" -> machine.startMaintenance(Duration.ofMinutes(payload.getValue("durationMinutes")
                    .filter(JsonValue::isNumber).map(JsonValue::asLong).orElse(0L)), text(payload, "reason"));
            default -> CommandOutcome.rejected("unknown command " + subject);
        };
    }

    private static String text(final JsonObject payload, final String key) {
        return payload.getValue(key).filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
    }

    /** Writes every machine's current snapshot to its twin. */
    public void publish() {
        machines.values().forEach(m -> twins.merge(ThingId.of(m.machineId()), patch(m.snapshot())));
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    static String patch(final MachineSnapshot s) {
        final io.vertx.core.json.JsonObject telemetry = new io.vertx.core.json.JsonObject()
                .put("spindleSpeed", s.spindleSpeed())
                .put("temperature", s.temperature())
                .put("vibration", s.vibration())
                .put("power", s.power())
                .put("timestamp", s.at().toString());
        if (s.spindleLoad() != null) {
            telemetry.put("spindleLoad", s.spindleLoad());
        }
        if (s.hydraulicPressure() != null) {
            telemetry.put("hydraulicPressure", s.hydraulicPressure());
        }
        telemetry.put("program", s.program());
        final io.vertx.core.json.JsonObject features = new io.vertx.core.json.JsonObject()
                .put("state", new io.vertx.core.json.JsonObject().put("properties", new io.vertx.core.json.JsonObject()
                        .put("state", s.state().name()).put("since", s.stateSince().toString())
                        .put("reason", s.stateReason())))
                .put("telemetry", new io.vertx.core.json.JsonObject().put("properties", telemetry))
                .put("counters", new io.vertx.core.json.JsonObject().put("properties",
                        new io.vertx.core.json.JsonObject().put("good", s.good()).put("scrap", s.scrap())
                                .put("cycleTimeMs", s.lastCycleTimeMs())))
                .put("job", new io.vertx.core.json.JsonObject().put("properties", new io.vertx.core.json.JsonObject()
                        .put("workOrder", s.job() == null ? null : s.job().workOrder())
                        .put("operation", s.job() == null ? null : s.job().operation())));
        return new io.vertx.core.json.JsonObject().put("features", features).encode();
    }

    @Override
    public void close() {
        client.destroy();
    }
}
