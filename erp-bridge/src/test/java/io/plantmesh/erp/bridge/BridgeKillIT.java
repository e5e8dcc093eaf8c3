package io.plantmesh.erp.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.erp.bridge.erp.ErpClient;
import io.plantmesh.erp.bridge.plan.PostingPlanner;
import io.plantmesh.erp.bridge.support.BlockingErpClient;
import io.plantmesh.erp.bridge.support.BridgeProcess;
import io.plantmesh.erp.bridge.support.TestErp;
import io.plantmesh.erp.bridge.support.TestTwins;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * A bridge in its own JVM, killed with SIGKILL at random points while many orders make progress, and started again:
 * at the end the ERP's books equal the twins' totals and every ERP document is recorded on its twin exactly once.
 */
class BridgeKillIT {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeKillIT.class);
    private static final String PLANT = TestErp.PLANT;
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final int ORDERS = 6;
    private static final int KILLS = 4;
    private static final long GOOD = 10;
    private static final long SCRAP = 2;

    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomPointsLeavesErpTotalsEqualToTwinTotalsWithoutDuplicates() throws Exception {
        final long seed = System.nanoTime();
        LOG.info("BridgeKillIT seed {}", seed);
        final Random random = new Random(seed);
        final Path log = dir.resolve("bridge.log");
        Process process = null;
        try (TestTwins twins = TestTwins.start(); TestErp erp = TestErp.start(Duration.ofMinutes(30))) {
            final List<ThingId> orders = new ArrayList<>();
            final long[][] progress = new long[ORDERS][2];
            for (int i = 0; i < ORDERS; i++) {
                final ThingId id = PlantThingIds.workOrder(PLANT, 100 + i);
                final WorkOrderTwin order = WorkOrderTwin.initial(id, "FG-2001", 10, T0.plusSeconds(86_400),
                        PlantThingIds.line(PLANT, 1), 5, List.of(new WorkOrderTwin.BomItem("RM-300", 15, "PC")), T0)
                        .dispatchTo(PlantThingIds.machine(PLANT, 1, 3), T0)
                        .withStatus(WorkOrderStatus.RUNNING, T0.plusSeconds(1), null);
                twins.put(order);
                orders.add(id);
            }

            for (int round = 0; round < KILLS; round++) {
                // the kill lands at a random point of a running bridge, however long its JVM takes to start (a
                // loaded machine); until some bridge has recorded a posting, the kill waits for this one to
                final long startedBefore = startedLines(log);
                process = BridgeProcess.launch(twins.wsEndpoint(), erp.baseUri(), erp.user(), erp.password(), log);
                final long startDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long killAt = Long.MAX_VALUE;
                while (System.nanoTime() < killAt) {
                    final boolean running = killAt == Long.MAX_VALUE && startedLines(log) > startedBefore;
                    if (running && recorded(twins, orders) > 0) {
                        killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(2500));
                    }
                    assertThat(System.nanoTime()).as("bridge process %d started and something was posted within 60 s "
                            + "(see %s)", round, log).isLessThan(startDeadline);
                    final int i = random.nextInt(ORDERS);
                    final boolean scrap = random.nextInt(6) == 0 && progress[i][1] < SCRAP;
                    if (scrap) {
                        progress[i][1]++;
                    } else if (progress[i][0] < GOOD) {
                        progress[i][0]++;
                    }
                    twins.mergeFeature(orders.get(i), WorkOrderTwin.PROGRESS,
                            new WorkOrderTwin.Progress(progress[i][0], progress[i][1]).toJson());
                    Thread.sleep(20 + random.nextInt(60));
                }
                process.destroyForcibly(); // SIGKILL
                assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("bridge process ended").isTrue();
            }
            // the killed bridges did post (else this test would only test the last one)
            final long recordedBeforeLastStart = orders.stream()
                    .mapToLong(id -> twins.order(id).erp().goodsMovements().size()).sum();
            assertThat(recordedBeforeLastStart).as("movements recorded by the killed bridges").isPositive();
            for (final ThingId id : orders) {
                twins.mergeFeature(id, WorkOrderTwin.PROGRESS, new WorkOrderTwin.Progress(GOOD, SCRAP).toJson());
                final WorkOrderTwin order = twins.order(id);
                twins.mergeFeature(id, WorkOrderTwin.STATUS, order.withStatus(WorkOrderStatus.COMPLETED,
                        T0.plusSeconds(900), null).status().toJson());
            }
            process = BridgeProcess.launch(twins.wsEndpoint(), erp.baseUri(), erp.user(), erp.password(), log);

            final BlockingErpClient reader = erp.client();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (final ThingId id : orders) {
                    assertThat(PostingPlanner.plan(twins.order(id))).as("%s fully posted", id).isEmpty();
                }
            });
            for (final ThingId id : orders) {
                final WorkOrderTwin order = twins.order(id);
                final List<ErpClient.ConfirmationDocument> confirmations = reader.readConfirmations(id.toString())
                        .orElseThrow();
                final List<ErpClient.MaterialDocument> movements = reader.readOrderMovements(id.toString())
                        .orElseThrow();
                assertThat(confirmations.stream().mapToLong(ErpClient.ConfirmationDocument::yield).sum())
                        .as("%s yield", id).isEqualTo(GOOD);
                assertThat(confirmations.stream().mapToLong(ErpClient.ConfirmationDocument::scrap).sum())
                        .as("%s scrap", id).isEqualTo(SCRAP);
                assertThat(movements.stream().filter(m -> m.movementType().equals("261"))
                        .mapToDouble(ErpClient.MaterialDocument::quantity).sum()).as("%s issued", id)
                        .isCloseTo(1.5 * (GOOD + SCRAP), org.assertj.core.data.Offset.offset(1e-9));
                assertThat(movements.stream().filter(m -> m.movementType().equals("101"))
                        .mapToDouble(ErpClient.MaterialDocument::quantity).sum()).as("%s received", id)
                        .isEqualTo((double) GOOD);
                assertThat(order.erp().confirmations()).extracting(WorkOrderTwin.Confirmation::document)
                        .as("%s confirmations recorded once each", id).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(confirmations.stream()
                                .map(ErpClient.ConfirmationDocument::document).toList());
                assertThat(order.erp().goodsMovements()).extracting(WorkOrderTwin.GoodsMovement::document)
                        .as("%s movements recorded once each", id).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(movements.stream()
                                .map(ErpClient.MaterialDocument::number).toList());
            }
        } finally {
            if (process != null) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
            if (Files.exists(log)) {
                final List<String> lines = Files.readAllLines(log);
                LOG.info("bridge process log ({} lines), last lines:\n{}", lines.size(),
                        String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
        }
    }

    /** Confirmations and goods movements recorded on the orders' twins. */
    private static long recorded(final TestTwins twins, final List<ThingId> orders) {
        return orders.stream().mapToLong(id -> {
            final WorkOrderTwin order = twins.order(id);
            return order.erp().confirmations().size() + order.erp().goodsMovements().size();
        }).sum();
    }

    /** How many times a bridge process has logged that it started. */
    private static long startedLines(final Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("ERP bridge started")).count();
        }
    }
}
