package io.plantmesh.erp.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.erp.bridge.erp.ErpAnswer;
import io.plantmesh.erp.bridge.erp.ErpClient;
import io.plantmesh.erp.bridge.plan.CostPosting;
import io.plantmesh.erp.bridge.plan.PostingPlanner;
import io.plantmesh.erp.bridge.support.BlockingErpClient;
import io.plantmesh.erp.bridge.support.TestErp;
import io.plantmesh.erp.bridge.support.TestTwins;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * The ERP bridge end to end: a real twin server, a real embedded ERP, the bridge between them; twins are written
 * directly (as the MES bridge would), the ERP is read over its OData API.
 */
class ErpBridgeIT {

    private static final String PLANT = TestErp.PLANT;
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static final ThingId LINE = PlantThingIds.line(PLANT, 1);
    private static final ThingId MACHINE = PlantThingIds.machine(PLANT, 1, 3);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestTwins twins;
    private TestErp erp;
    private BlockingErpClient erpReader;
    private ErpBridge bridge;

    @BeforeEach
    void start() {
        twins = TestTwins.start();
        erp = TestErp.start(Duration.ofSeconds(2));
        erpReader = erp.client();
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        if (erp != null) {
            erp.close();
        }
        if (twins != null) {
            twins.close();
        }
    }

    private ErpBridge startBridge() {
        return startBridge(CostPosting.AT_COMPLETION);
    }

    private ErpBridge startBridge(final CostPosting costs) {
        final ErpBridgeConfig config = ErpBridgeConfig.defaults(twins.wsEndpoint(), erp.baseUri())
                .withErpUser(erp.user(), erp.password())
                .withIntervals(Duration.ofSeconds(2), Duration.ofMillis(200))
                .withRejections(Duration.ofMillis(300), 2)
                .withRetryBackoff(Duration.ofMillis(100), Duration.ofMillis(800))
                .withCostPosting(costs);
        bridge = ErpBridge.create(config);
        return bridge.start();
    }

    /** FG-2001 x 10 with 2 PC RM-100 and 0.5 KG RM-200 (or {@code component}) per piece. */
    private WorkOrderTwin releaseOrder(final long number, final String component) {
        final ThingId id = PlantThingIds.workOrder(PLANT, number);
        final List<WorkOrderTwin.BomItem> bom = component == null
                ? List.of(new WorkOrderTwin.BomItem("RM-100", 20, "PC"), new WorkOrderTwin.BomItem("RM-200", 5, "KG"))
                : List.of(new WorkOrderTwin.BomItem(component, 10, "PC"));
        final WorkOrderTwin order = WorkOrderTwin.initial(id, "FG-2001", 10, T0.plusSeconds(86_400), LINE, 5, bom,
                T0);
        twins.put(order);
        return order;
    }

    private void run(final WorkOrderTwin released) {
        final WorkOrderTwin running = released.dispatchTo(MACHINE, T0.plusSeconds(1))
                .withStatus(WorkOrderStatus.RUNNING, T0.plusSeconds(2), null);
        twins.mergeFeature(released.id(), WorkOrderTwin.STATUS, running.status().toJson());
    }

    private void progress(final ThingId id, final long good, final long scrap) {
        twins.mergeFeature(id, WorkOrderTwin.PROGRESS, new WorkOrderTwin.Progress(good, scrap).toJson());
    }

    /** Progress as the MES reports it, with the time of the reading. */
    private void progressAt(final ThingId id, final long good, final long scrap, final Instant at) {
        twins.mergeFeature(id, WorkOrderTwin.PROGRESS, new WorkOrderTwin.Progress(good, scrap, null, at).toJson());
    }

    private void complete(final ThingId id) {
        final WorkOrderTwin order = twins.order(id);
        twins.mergeFeature(id, WorkOrderTwin.STATUS,
                order.withStatus(WorkOrderStatus.COMPLETED, T0.plusSeconds(600), null).status().toJson());
    }

    private static double sum(final List<ErpClient.MaterialDocument> docs, final String type, final String material) {
        return docs.stream().filter(d -> d.movementType().equals(type) && d.material().equals(material))
                .mapToDouble(ErpClient.MaterialDocument::quantity).sum();
    }

    private static double recorded(final WorkOrderTwin order, final String type, final String material) {
        return order.erp().goodsMovements().stream()
                .filter(m -> m.movementType().equals(type) && m.material().equals(material))
                .mapToDouble(WorkOrderTwin.GoodsMovement::quantity).sum();
    }

    /** ERP and twin agree with the order's 10 good + 2 scrap pieces, each document recorded once. */
    private void assertPostedExactly(final ThingId id) {
        await().atMost(WAIT).untilAsserted(() -> {
            final WorkOrderTwin order = twins.order(id);
            final List<ErpClient.ConfirmationDocument> confirmations = erpReader.readConfirmations(id.toString())
                    .orElseThrow();
            final List<ErpClient.MaterialDocument> movements = erpReader.readOrderMovements(id.toString())
                    .orElseThrow();
            // ERP books
            assertThat(confirmations.stream().mapToLong(ErpClient.ConfirmationDocument::yield).sum()).isEqualTo(10);
            assertThat(confirmations.stream().mapToLong(ErpClient.ConfirmationDocument::scrap).sum()).isEqualTo(2);
            assertThat(confirmations).filteredOn(ErpClient.ConfirmationDocument::finalConfirmation).hasSize(1);
            assertThat(sum(movements, "261", "RM-100")).isEqualTo(24.0);
            assertThat(sum(movements, "261", "RM-200")).isEqualTo(6.0);
            assertThat(sum(movements, "101", "FG-2001")).isEqualTo(10.0);
            // twin records: the same documents, each once
            assertThat(order.erp().confirmations()).extracting(WorkOrderTwin.Confirmation::document)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(confirmations.stream()
                            .map(ErpClient.ConfirmationDocument::document).toList());
            assertThat(order.erp().goodsMovements()).extracting(WorkOrderTwin.GoodsMovement::document)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(movements.stream().map(ErpClient.MaterialDocument::number)
                            .toList());
            assertThat(recorded(order, "261", "RM-100")).isEqualTo(24.0);
            assertThat(recorded(order, "101", "FG-2001")).isEqualTo(10.0);
            assertThat(order.erp().rejections()).isEmpty();
            assertThat(PostingPlanner.plan(order)).isEmpty();
            // cost at completion: 24 x 2.50 + 6 x 10 material, output credited 10 x 40
            assertThat(order.cost()).isNotNull();
            assertThat(order.cost().materialCost()).isEqualTo(120.0);
            // machine time RUNNING (T0 + 2 s) .. COMPLETED (T0 + 600 s) = 598 s at 90/h on machine-1-03
            assertThat(order.cost().machineCost()).isCloseTo(14.95, within(0.001));
            assertThat(order.cost().total()).isCloseTo(120.0 + 14.95 - 400.0, within(0.001));
            assertThat(order.cost().currency()).isEqualTo("EUR");
        });
    }

    @Test
    void growingProgressThenCompletionPostsProducedAndConsumedQuantitiesExactly() {
        final ThingId rm100 = PlantThingIds.material(PLANT, "RM-100");
        twins.put(MaterialTwin.initial(rm100, "PC", PLANT, "0001", null, null));
        startBridge();
        final WorkOrderTwin order = releaseOrder(1, null);

        run(order);
        progress(order.id(), 3, 1);
        await().atMost(WAIT).until(() -> recorded(twins.order(order.id()), "101", "FG-2001") == 3.0);
        progress(order.id(), 7, 1);
        progress(order.id(), 10, 2);
        complete(order.id());

        assertPostedExactly(order.id());
        await().atMost(WAIT).untilAsserted(() -> {
            final MaterialTwin.Stock stock = twins.material(rm100).stock();
            assertThat(stock.onHand()).isEqualTo(100 - 24.0);
            assertThat(stock.available()).isEqualTo(100 - 24.0);
            assertThat(stock.reserved()).isZero();
            assertThat(stock.lastMovement()).isNotNull();
            assertThat(stock.lastMovement().movementType()).isEqualTo("261");
        });
    }

    @Test
    void aPostingMadeButNotRecordedAndABridgeRestartPostNothingTwice() {
        final WorkOrderTwin order = releaseOrder(2, null);
        run(order);
        progress(order.id(), 4, 0);
        // a bridge that died after the ERP posted the receipt but before the twin recorded it
        final PostingPlanner.Move receipt = PostingPlanner.plan(twins.order(order.id())).stream()
                .filter(p -> p instanceof PostingPlanner.Move m && m.movementType().equals("101"))
                .map(PostingPlanner.Move.class::cast).findFirst().orElseThrow();
        final ErpClient.MaterialDocument orphan = erpReader.postGoodsMovement(receipt.key(), order.id().toString(),
                "101", "FG-2001", PLANT, null, receipt.quantity(), null).orElseThrow();
        progress(order.id(), 6, 1);

        startBridge();
        await().atMost(WAIT).untilAsserted(() -> assertThat(twins.order(order.id()).erp().goodsMovements())
                .extracting(WorkOrderTwin.GoodsMovement::document).contains(orphan.number()));
        bridge.close();
        progress(order.id(), 9, 2);
        progress(order.id(), 10, 2);
        complete(order.id());
        startBridge();

        assertPostedExactly(order.id());
        final WorkOrderTwin done = twins.order(order.id());
        assertThat(done.erp().goodsMovements()).filteredOn(m -> m.document().equals(orphan.number()))
                .singleElement().satisfies(m -> {
                    assertThat(m.quantity()).isEqualTo(4.0);
                    assertThat(m.key()).isEqualTo(receipt.key());
                });
    }

    @Test
    void postingsWaitWhileTheErpIsDownAndPostOnceWhenItIsBack() {
        startBridge();
        final WorkOrderTwin order = releaseOrder(3, null);
        erp.stopErp();
        run(order);
        progress(order.id(), 5, 1);
        progress(order.id(), 10, 2);
        complete(order.id());
        // the bridge keeps trying; nothing can be recorded while the ERP is down
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> twins.order(order.id()).erp().goodsMovements().isEmpty());

        erp.startErp();

        assertPostedExactly(order.id());
    }

    /** The scenario's siloed baseline: a batch-mode bridge follows no events and posts only at its batch ticks. */
    @Test
    void aBatchModeBridgeIgnoresEventsAndPostsExactlyOnceAtItsNextBatch() {
        final ErpBridgeConfig config = ErpBridgeConfig.defaults(twins.wsEndpoint(), erp.baseUri())
                .withErpUser(erp.user(), erp.password())
                .withIntervals(Duration.ofHours(1), Duration.ofHours(1));
        bridge = ErpBridge.create(config).batchMode(true).start();
        final WorkOrderTwin order = releaseOrder(7, null);
        run(order);
        progress(order.id(), 10, 2);
        complete(order.id());
        // an event-following bridge posts this within a second (the tests above); the batch bridge's next tick is an
        // hour away, so nothing reaches the ERP or the twin
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                erpReader.readOrderMovements(order.id().toString()).orElseThrow().isEmpty()
                        && twins.order(order.id()).erp().goodsMovements().isEmpty());

        bridge.close();
        // the next batch: a batch-mode bridge's start reads every order, as each tick does
        bridge = ErpBridge.create(config).batchMode(true).start();

        assertPostedExactly(order.id());
    }

    @Test
    void stockAtOrBelowTheReorderPointCreatesExactlyOneRequisitionWhichIsClosedWhenReceived() {
        final ThingId rm300 = PlantThingIds.material(PLANT, "RM-300");
        twins.put(MaterialTwin.initial(rm300, "PC", PLANT, "0001", 5.0, 50.0));
        startBridge();

        await().atMost(WAIT).untilAsserted(() -> {
            final MaterialTwin material = twins.material(rm300);
            assertThat(material.requisitionsCreated()).isEqualTo(1);
            assertThat(material.openRequisitions()).hasSize(1);
            assertThat(material.openRequisitions().get(0).key()).isEqualTo(rm300 + "/reorder/0");
        });
        // received after the ERP's lead time (2 s): stock 50, nothing open, still one requisition in the ERP
        await().atMost(WAIT).untilAsserted(() -> {
            final MaterialTwin material = twins.material(rm300);
            assertThat(material.stock().onHand()).isEqualTo(50.0);
            assertThat(material.openRequisitions()).isEmpty();
            assertThat(material.requisitionsReceived()).isEqualTo(1);
        });
        final List<ErpClient.RequisitionState> items = erpReader.readRequisitionItems("RM-300", PLANT).orElseThrow();
        assertThat(items).singleElement().satisfies(r -> {
            assertThat(r.quantity()).isEqualTo(50.0);
            assertThat(r.received()).isTrue();
        });
        assertThat(twins.material(rm300).requisitionsCreated()).isEqualTo(1);
    }

    @Test
    void aRejectedPostingIsVisibleOnTheTwinWithTheErpsMessageAndTriedAtMostTheConfiguredTimes() {
        startBridge();
        final WorkOrderTwin order = releaseOrder(5, "RM-400");
        run(order);
        progress(order.id(), 2, 0);

        await().atMost(WAIT).untilAsserted(() -> {
            final WorkOrderTwin.ErpPostings erpRecord = twins.order(order.id()).erp();
            assertThat(erpRecord.rejections()).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo("261");
                assertThat(r.message()).contains("M7/021").contains("Deficit").contains("RM-400");
                assertThat(r.attempts()).isEqualTo(2);
            });
            // the order's other postings are not held back by the refused issue
            assertThat(erpRecord.confirmations()).hasSize(1);
            assertThat(erpRecord.goodsMovements()).extracting(WorkOrderTwin.GoodsMovement::movementType)
                    .containsExactly("101");
        });
        // given up after 2 attempts: stays recorded, not retried
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(4))
                .until(() -> twins.order(order.id()).erp().rejections().get(0).attempts() == 2);
        final ErpAnswer<List<ErpClient.MaterialDocument>> issued = erpReader.readOrderMovements(order.id().toString());
        final Map<String, Long> byType = issued.orElseThrow().stream()
                .collect(Collectors.groupingBy(ErpClient.MaterialDocument::movementType, Collectors.counting()));
        assertThat(byType).containsExactly(Map.entry("101", 1L));
    }


    @Test
    void perConfirmationMachineTimeIsBookedWithEveryConfirmationAndTheCostFeatureShowsWhatWasPosted() {
        startBridge(CostPosting.PER_CONFIRMATION);
        final WorkOrderTwin order = releaseOrder(6, null);
        run(order); // RUNNING at T0 + 2 s

        progressAt(order.id(), 4, 0, T0.plusSeconds(2 + 240));
        await().atMost(WAIT).untilAsserted(() -> {
            final WorkOrderTwin o = twins.order(order.id());
            assertThat(o.erp().confirmations()).singleElement()
                    .satisfies(c -> assertThat(c.machineMinutes()).isEqualTo(4.0));
            assertThat(o.cost()).isNotNull();
            assertThat(o.cost().confirmations()).isEqualTo(1);
            assertThat(o.cost().complete()).isFalse();
            // 4 min at 90/h on plant1:machine-1-03, and the components issued so far (8 x 2.50 + 2 x 10)
            assertThat(o.cost().machineCost()).isEqualTo(6.0);
            assertThat(o.cost().materialCost()).isEqualTo(40.0);
        });
        progressAt(order.id(), 8, 1, T0.plusSeconds(2 + 480));
        await().atMost(WAIT).until(() -> twins.order(order.id()).cost().confirmations() == 2);
        progressAt(order.id(), 10, 2, T0.plusSeconds(2 + 540));
        complete(order.id()); // COMPLETED at T0 + 600 s

        // the same books as at completion: 598 s of machine time in all, 14.95 at 90/h
        assertPostedExactly(order.id());
        final WorkOrderTwin done = twins.order(order.id());
        assertThat(done.cost().complete()).isTrue();
        assertThat(done.cost().confirmations()).isEqualTo(done.erp().confirmations().size());
        assertThat(done.erp().confirmations().stream().mapToDouble(WorkOrderTwin.Confirmation::machineMinutes).sum())
                .isCloseTo(598 / 60.0, within(0.001));
        // keys from what was recorded before each (10/2 and the completion may come as one confirmation or two)
        assertThat(done.erp().confirmations()).extracting(WorkOrderTwin.Confirmation::key)
                .startsWith(order.id() + "/conf/0-0", order.id() + "/conf/4-0", order.id() + "/conf/8-1")
                .doesNotHaveDuplicates();
        final ErpClient.OrderCostTotals totals = erpReader.readOrderCost(order.id().toString()).orElseThrow();
        assertThat(done.cost().postings()).isEqualTo(totals.postings());
    }
}
