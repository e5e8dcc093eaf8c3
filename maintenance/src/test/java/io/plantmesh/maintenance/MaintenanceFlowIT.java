package io.plantmesh.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.devices.simulator.degradation.DegradationEpisode;
import io.plantmesh.devices.simulator.degradation.DegradationMode;
import io.plantmesh.devices.simulator.degradation.DegradationSettings;
import io.plantmesh.devices.simulator.degradation.GroundTruthEvent;
import io.plantmesh.devices.simulator.machine.MachineType;
import io.plantmesh.devices.simulator.machine.SimulatedMachine;
import io.plantmesh.maintenance.model.ModelSettings;
import io.plantmesh.maintenance.support.SettableClock;
import io.plantmesh.maintenance.support.SimulatedMachinesOnTwins;
import io.plantmesh.maintenance.support.TestTwins;
import io.plantmesh.mes.MesBridge;
import io.plantmesh.mes.MesBridgeConfig;
import io.plantmesh.mes.MesRules;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.DeviceBinding;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * Predictive maintenance through the mesh's public APIs: a real twin server, the MES bridge (with its MES API) and the
 * maintenance service, with two simulated CNC mills writing their twins once per plant minute (plant time runs as
 * fast as the services keep up). One mill wears a bearing; the service must predict the failure before it happens,
 * ask the MES for a maintenance window, and the MES must show the window in the line's schedule, move the mill's work
 * to the other mill and send the mill into maintenance, so that it never fails.
 */
class MaintenanceFlowIT {

    private static final Instant T0 = Instant.parse("2026-01-05T06:00:00Z");
    private static final String NS = "mt";
    private static final ThingId LINE = PlantThingIds.line(NS, 1);
    private static final ThingId WORN = PlantThingIds.machine(NS, 1, 1);
    private static final ThingId HEALTHY = PlantThingIds.machine(NS, 1, 2);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(final T closeable) {
        closing.add(closeable);
        return closeable;
    }

    /** A CNC mill whose first bearing episode starts after 3..5 h and lasts at least 10 h; sudden faults off. */
    private static SimulatedMachine wornMill() {
        final DegradationSettings settings = DegradationSettings.defaults().withMeanTimeToOnset(Duration.ofHours(6))
                .withSuddenMtbfFactor(10_000);
        for (long seed = 1; seed < 2000; seed++) {
            final SimulatedMachine m = SimulatedMachine.create(WORN.toString(), "L1M01", MachineType.CNC_MILL,
                    MachineType.CNC_MILL.profile(), seed, T0, settings);
            final DegradationEpisode e = m.currentEpisode().orElseThrow();
            final boolean fits = e.mode() == DegradationMode.BEARING_WEAR
                    && e.onset().isAfter(T0.plus(Duration.ofHours(3)))
                    && e.onset().isBefore(T0.plus(Duration.ofHours(5)))
                    && Duration.between(e.onset(), e.failureAt()).compareTo(Duration.ofHours(10)) > 0;
            if (fits) {
                return m;
            }
        }
        throw new AssertionError("no seed below 2000 gives the bearing episode this test needs");
    }

    @Test
    void aWearingBearingIsPredictedAndTheMesMaintainsTheMachineBeforeItFails() throws Exception {
        final TestTwins twins = closeLater(TestTwins.start());
        final SettableClock clock = new SettableClock(T0);
        final SimulatedMachine worn = wornMill();
        final DegradationEpisode episode = worn.currentEpisode().orElseThrow();
        final SimulatedMachine healthy = SimulatedMachine.create(HEALTHY.toString(), "L1M02", MachineType.CNC_MILL,
                MachineType.CNC_MILL.profile(), 5, T0, DegradationSettings.defaults()
                        .withMeanTimeToOnset(Duration.ofDays(100_000)).withSuddenMtbfFactor(10_000));
        for (final ThingId id : List.of(WORN, HEALTHY)) {
            twins.put(MachineTwin.initial(id, LINE, "Mill " + id.getName(), DeviceBinding.hono(NS, id.toString()), T0)
                    .withVendorAndModel("DMG Mori", "DMU 50")
                    .withCapabilities(List.of("milling"), 240_000.0).toThing());
        }
        twins.put(LineTwin.initial(LINE, "Line 1", "1000", List.of(WORN, HEALTHY)).toThing());
        for (int n = 1; n <= 3; n++) {
            twins.put(WorkOrderTwin.initial(PlantThingIds.workOrder(NS, n), "FG-1", 1000, T0.plus(Duration.ofDays(3)),
                    LINE, n, List.of(), T0).withRouting("10", "milling").toThing());
        }
        // an application that listens to the machines' health alerts, as the web UI's alert feed would
        final List<JsonObject> alerts = new CopyOnWriteArrayList<>();
        final DittoClient listener = DittoClients.newInstance(MessagingProviders.webSocket(
                WebSocketMessagingConfiguration.newBuilder().endpoint(twins.wsEndpoint().toString())
                        .jsonSchemaVersion(JsonSchemaVersion.V_2).timeout(Duration.ofSeconds(10)).build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder().username("ditto")
                        .password("ditto").build()))).connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        closeLater(listener::destroy);
        listener.live().registerForMessage("alerts", "healthAlert", JsonObject.class,
                m -> m.getPayload().ifPresent(alerts::add));
        listener.live().startConsumption().toCompletableFuture().get(10, TimeUnit.SECONDS);
        final Map<String, SimulatedMachine> machines = new LinkedHashMap<>();
        machines.put(WORN.toString(), worn);
        machines.put(HEALTHY.toString(), healthy);
        final SimulatedMachinesOnTwins floor = closeLater(SimulatedMachinesOnTwins.connect(twins, machines));
        floor.publish();

        final MesBridge mes = closeLater(MesBridge.create(MesBridgeConfig.defaults("mes-mt", twins.wsEndpoint(),
                        "ditto", "ditto", twins.mongoUri(), List.of(LINE))
                .withClock(clock)
                .withHttp("127.0.0.1", 0)
                .withLeaseTtl(Duration.ofSeconds(3))
                .withResyncInterval(Duration.ofSeconds(5))
                .withCommandTimeout(Duration.ofSeconds(3))
                .withRules(MesRules.defaults().withCommandRetry(Duration.ofMinutes(2)))
                .withMongoDatabase("mes_mt")).start());
        final URI mesApi = mes.apiUri().orElseThrow();
        // a quicker model than the plant default: 5 min windows, learned after 30 min of steady running
        final ModelSettings settings = ModelSettings.defaults().withWindow(Duration.ofMinutes(5),
                Duration.ofMinutes(15)).withLearning(6, 10);
        final MaintenanceService service = closeLater(MaintenanceService.create(MaintenanceConfig.defaults(
                        twins.wsEndpoint(), "ditto", "ditto", List.of(NS), twins.mongoUri(), mesApi)
                .withClock(clock)
                .withSettings(settings)
                .withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withMongoDatabase("maintenance_mt")).start());

        // plant time, one minute per step, until the machine is in its planned maintenance or past its failure
        Instant t = T0;
        Instant maintainedAt = null;
        JsonObject predicted = null;
        final Instant end = episode.failureAt().plus(Duration.ofMinutes(30));
        while (t.isBefore(end) && maintainedAt == null) {
            t = t.plus(Duration.ofMinutes(1));
            clock.set(t);
            worn.step(t);
            healthy.step(t);
            floor.publish();
            if (worn.state() == MachineState.MAINTENANCE && worn.faultLog().isEmpty()) {
                maintainedAt = t;
            }
            final boolean suspected = service.latest(WORN.toString()).map(a -> a.suspectedMode() != null)
                    .orElse(false);
            if (predicted == null && suspected) {
                // what the twin shows once the service predicted the failure (the alarm stays until the
                // maintenance begins, which resets the machine's model)
                final JsonObject health = health(twins);
                final boolean alarmed = health.getValue("predictiveAlarms").filter(JsonValue::isArray)
                        .map(a -> !a.asArray().isEmpty()).orElse(false);
                predicted = alarmed ? health : null;
            }
            // let the MES and the service follow: they react to each change in real time
            Thread.sleep(5);
        }

        // the service predicted the failure, with its mode, and asked the MES, before the failure
        assertThat(maintainedAt).as("the worn mill went into planned maintenance before its failure at "
                + episode.failureAt() + "; MES commands: " + floor.received()).isNotNull()
                .isBefore(episode.failureAt());
        assertThat(worn.faultLog()).isEmpty();
        assertThat(predicted).as("health of the worn mill with the predicted failure").isNotNull();
        assertThat(predicted.getValue("suspectedMode")).contains(JsonValue.of("BEARING_WEAR"));
        final JsonArray alarms = predicted.getValue("predictiveAlarms").orElseThrow().asArray();
        assertThat(alarms).anySatisfy(a -> {
            assertThat(a.asObject().getValue("code")).contains(JsonValue.of("PREDICTED_FAILURE"));
            assertThat(a.asObject().getValue("reasons").orElseThrow().asArray()).isNotEmpty();
        });
        final Instant predictedAt = Instant.parse(predicted.getValue("predictedFailure/at").orElseThrow().asString());
        assertThat(predictedAt).isAfter(episode.onset());
        assertThat(service.counters()).containsEntry("requests.sent", 1L);
        // the prediction was also announced as a healthAlert message from the worn mill's twin
        await().atMost(WAIT).untilAsserted(() -> assertThat(alerts).anySatisfy(alert -> {
            assertThat(alert.getValue("machine")).contains(JsonValue.of(WORN.toString()));
            assertThat(alert.getValue("alarm/code")).contains(JsonValue.of("PREDICTED_FAILURE"));
            assertThat(alert.getValue("predictedFailure")).isPresent();
        }));
        assertThat(alerts).noneSatisfy(alert -> assertThat(alert.getValue("machine"))
                .contains(JsonValue.of(HEALTHY.toString())));
        // the healthy mill raised nothing
        assertThat(service.latest(HEALTHY.toString())).hasValueSatisfying(a -> assertThat(a.alarms()).isEmpty());

        // the window is in the MES schedule of the line, on the worn mill
        final JsonObject schedule = JsonObject.of(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(mesApi + "/lines/" + LINE + "/schedule")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(schedule.getValue("maintenance").orElseThrow().asArray()).anySatisfy(w -> {
            assertThat(w.asObject().getValue("machine")).contains(JsonValue.of(WORN.toString()));
            assertThat(w.asObject().getValue("failureMode")).contains(JsonValue.of("BEARING_WEAR"));
            assertThat(w.asObject().getValue("requestedBy")).contains(JsonValue.of("maintenance"));
            assertThat(w.asObject().getValue("active")).contains(JsonValue.of(true));
        });
        // the MES moved the work off the worn mill (like after a fault) and sent it into maintenance
        assertThat(floor.received()).anySatisfy(r -> {
            assertThat(r.machine()).isEqualTo(WORN.toString());
            assertThat(r.command()).isEqualTo("startMaintenance");
            assertThat(r.accepted()).isTrue();
        });
        await().atMost(WAIT).untilAsserted(() -> {
            for (int n = 1; n <= 3; n++) {
                final WorkOrderTwin order = WorkOrderTwin.fromThing(twins.get(PlantThingIds.workOrder(NS, n)));
                if (order.status().status() == WorkOrderStatus.DISPATCHED
                        || order.status().status() == WorkOrderStatus.RUNNING) {
                    assertThat((Object) order.status().machine()).isEqualTo(HEALTHY);
                }
            }
        });
        // the maintenance ends; the ground truth: the episode ended by maintenance, not in a failure
        for (int minute = 0; minute < 150; minute++) {
            t = t.plus(Duration.ofMinutes(1));
            clock.set(t);
            worn.step(t);
            healthy.step(t);
        }
        floor.publish();
        assertThat(worn.faultLog()).isEmpty();
        assertThat(worn.groundTruth()).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(
                GroundTruthEvent.EpisodeEnded.class, ended -> assertThat(ended.outcome())
                        .isEqualTo(GroundTruthEvent.Outcome.MAINTAINED)));
    }

    private static JsonObject health(final TestTwins twins) {
        return twins.get(WORN).toJson().getValue(JsonPointer.of("features/health/properties"))
                .filter(JsonValue::isObject).map(JsonValue::asObject).orElse(JsonObject.empty());
    }
}
