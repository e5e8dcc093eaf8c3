package io.plantmesh.mes.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

class B2mmlViewsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");
    private static final Instant PUBLISHED = Instant.parse("2026-11-30T12:00:00Z");
    private static final ThingId LINE_ID = PlantThingIds.line("plant1", 1);
    private static final ThingId M1 = PlantThingIds.machine("plant1", 1, 1);
    private static final LineTwin LINE = LineTwin.initial(LINE_ID, "Line 1", "1000", List.of(M1));

    private static WorkOrderTwin order(final long number, final double quantity, final int priority) {
        return WorkOrderTwin.initial(PlantThingIds.workOrder("plant1", number), "FG-" + number, quantity,
                Instant.parse("2026-12-01T16:00:00Z"), LINE_ID, priority,
                List.of(new WorkOrderTwin.BomItem("RAW-1", quantity * 2, "PC"),
                        new WorkOrderTwin.BomItem("RAW-2", 2.5, "KG")), T0);
    }

    private static WorkOrderTwin dispatched(final long number, final Instant start) {
        final WorkOrderTwin d = order(number, 50, 5).dispatchTo(M1, T0);
        return d.withStatusEntry(d.status().withPlan(M1, start, start.plusSeconds(3600)));
    }

    private static WorkOrderTwin running(final long number, final long good, final long scrap) {
        return dispatched(number, T0).withStatus(WorkOrderStatus.RUNNING, T0.plusSeconds(60), null)
                .withProgress(new WorkOrderTwin.Progress(good, scrap));
    }

    private static WorkOrderTwin completed(final long number, final long good, final long scrap) {
        return running(number, good, scrap).withStatus(WorkOrderStatus.COMPLETED, T0.plusSeconds(7200), null);
    }

    @Test
    void scheduleHasOneProductionRequestPerReleasedDispatchedOrRunningOrder() {
        final WorkOrderTwin released = order(1, 100, 2);
        final List<WorkOrderTwin> orders = List.of(released, dispatched(2, T0.plusSeconds(600)), running(3, 5, 0),
                completed(4, 50, 1), OrderAction.CANCEL.apply(order(5, 10, 1), T0, null),
                OrderAction.HOLD.apply(order(6, 10, 1), T0, null));

        final JsonObject schedule = B2mmlViews.productionSchedule(LINE, orders, PUBLISHED)
                .getValue("ProductionSchedule").orElseThrow().asObject();

        assertThat(text(schedule, "/ID")).isEqualTo("plant1:line-1/production-schedule");
        assertThat(text(schedule, "/PublishedDate")).isEqualTo(PUBLISHED.toString());
        assertThat(text(schedule, "/HierarchyScope/EquipmentID")).isEqualTo("plant1:line-1");
        assertThat(text(schedule, "/HierarchyScope/EquipmentElementLevel")).isEqualTo("ProductionLine");
        final JsonArray requests = schedule.getValue("ProductionRequest").orElseThrow().asArray();
        // planned ones first by planned start, the unplanned released order last
        assertThat(requests.stream().map(r -> text(r.asObject(), "/ID")).toList())
                .containsExactly("plant1:wo-000003", "plant1:wo-000002", "plant1:wo-000001");
        assertThat(requests.stream().map(r -> text(r.asObject(), "/RequestState")).toList())
                .containsExactly("Running", "Ready", "Released");

        final JsonObject first = requests.get(2).orElseThrow().asObject();
        assertThat(first.getValue("Priority").orElseThrow().asInt()).isEqualTo(2);
        assertThat(first.contains("StartTime")).isFalse();
        final JsonObject segment = first.getValue("SegmentRequirement").orElseThrow().asArray().get(0)
                .orElseThrow().asObject();
        assertThat(text(segment, "/ProcessSegmentID")).isEqualTo("10");
        assertThat(text(segment, "/LatestEndTime")).isEqualTo("2026-12-01T16:00:00Z");
        assertThat(segment.contains("EquipmentRequirement")).isTrue();
        assertThat(segment.getValue("EquipmentRequirement").orElseThrow().asArray()).isEmpty();
        final JsonObject produced = element(segment, "MaterialProducedRequirement", 0);
        assertThat(text(produced, "/MaterialDefinitionID")).isEqualTo("FG-1");
        assertThat(text(element(produced, "Quantity", 0), "/QuantityString")).isEqualTo("100");
        assertThat(text(element(produced, "Quantity", 0), "/UnitOfMeasure")).isEqualTo("PC");
        final JsonObject consumed = element(segment, "MaterialConsumedRequirement", 1);
        assertThat(text(consumed, "/MaterialDefinitionID")).isEqualTo("RAW-2");
        assertThat(text(element(consumed, "Quantity", 0), "/QuantityString")).isEqualTo("2.5");
        assertThat(text(element(consumed, "Quantity", 0), "/UnitOfMeasure")).isEqualTo("KG");

        final JsonObject dispatchedRequest = requests.get(1).orElseThrow().asObject();
        assertThat(text(dispatchedRequest, "/StartTime")).isEqualTo(T0.plusSeconds(600).toString());
        assertThat(text(dispatchedRequest, "/EndTime")).isEqualTo(T0.plusSeconds(4200).toString());
        final JsonObject equipment = element(element(dispatchedRequest, "SegmentRequirement", 0),
                "EquipmentRequirement", 0);
        assertThat(text(equipment, "/EquipmentID")).isEqualTo(M1.toString());
    }

    @Test
    void plannedTimesComeFromTheLineQueueWhenTheOrderHasNone() {
        final WorkOrderTwin released = order(1, 100, 2);
        final LineTwin queued = LINE.withSchedule(List.of(new LineTwin.ScheduleEntry(released.id(), M1,
                T0.plusSeconds(60), T0.plusSeconds(120))));

        final JsonObject request = element(B2mmlViews.productionSchedule(queued, List.of(released), PUBLISHED)
                .getValue("ProductionSchedule").orElseThrow().asObject(), "ProductionRequest", 0);

        assertThat(text(request, "/StartTime")).isEqualTo(T0.plusSeconds(60).toString());
        assertThat(text(request, "/EndTime")).isEqualTo(T0.plusSeconds(120).toString());
    }

    @Test
    void performanceHasOneProductionResponsePerRunningOrCompletedOrderWithGoodAndScrap() {
        final List<WorkOrderTwin> orders = List.of(order(1, 100, 2), running(2, 40, 2), completed(3, 100, 3));

        final JsonObject performance = B2mmlViews.productionPerformance(LINE, orders, PUBLISHED, null)
                .getValue("ProductionPerformance").orElseThrow().asObject();

        assertThat(text(performance, "/ID")).isEqualTo("plant1:line-1/production-performance");
        assertThat(text(performance, "/ProductionScheduleID")).isEqualTo("plant1:line-1/production-schedule");
        final JsonArray responses = performance.getValue("ProductionResponse").orElseThrow().asArray();
        assertThat(responses.stream().map(r -> text(r.asObject(), "/ProductionRequestID")).toList())
                .containsExactlyInAnyOrder("plant1:wo-000002", "plant1:wo-000003");

        final JsonObject done = responses.stream().map(JsonValue::asObject)
                .filter(r -> text(r, "/ProductionRequestID").equals("plant1:wo-000003")).findFirst().orElseThrow();
        assertThat(text(done, "/ID")).isEqualTo("plant1:wo-000003/response");
        assertThat(text(done, "/ResponseState")).isEqualTo("Completed");
        assertThat(text(done, "/StartTime")).isEqualTo(T0.plusSeconds(60).toString());
        assertThat(text(done, "/EndTime")).isEqualTo(T0.plusSeconds(7200).toString());
        final JsonObject segment = element(done, "SegmentResponse", 0);
        assertThat(text(element(segment, "EquipmentActual", 0), "/EquipmentID")).isEqualTo(M1.toString());
        final JsonObject produced = element(segment, "MaterialProducedActual", 0);
        assertThat(text(produced, "/MaterialDefinitionID")).isEqualTo("FG-3");
        assertThat(text(element(produced, "Quantity", 0), "/QuantityString")).isEqualTo("100");
        final JsonObject scrap = element(produced, "MaterialProducedActualProperty", 0);
        assertThat(text(scrap, "/ID")).isEqualTo("ScrapQuantity");
        assertThat(text(element(scrap, "Value", 0), "/ValueString")).isEqualTo("3");

        final JsonObject runningResponse = responses.stream().map(JsonValue::asObject)
                .filter(r -> text(r, "/ProductionRequestID").equals("plant1:wo-000002")).findFirst().orElseThrow();
        assertThat(text(runningResponse, "/ResponseState")).isEqualTo("Running");
        assertThat(runningResponse.contains("EndTime")).isFalse();
        // one order still runs, so the performance has no end
        assertThat(performance.contains("EndTime")).isFalse();
    }

    @Test
    void sinceLeavesOutOrdersCompletedBeforeItButKeepsRunningOnes() {
        final List<WorkOrderTwin> orders = List.of(running(2, 40, 2), completed(3, 100, 3));

        final JsonArray responses = B2mmlViews.productionPerformance(LINE, orders, PUBLISHED,
                T0.plusSeconds(7201)).getValue("ProductionPerformance/ProductionResponse").orElseThrow().asArray();

        assertThat(responses.stream().map(r -> text(r.asObject(), "/ProductionRequestID")).toList())
                .containsExactly("plant1:wo-000002");
    }

    @Test
    void ordersOfOtherLinesAreLeftOut() {
        final WorkOrderTwin other = WorkOrderTwin.initial(PlantThingIds.workOrder("plant1", 9), "FG-9", 1,
                Instant.parse("2026-12-01T16:00:00Z"), PlantThingIds.line("plant1", 2), 5, List.of(), T0);

        assertThat(B2mmlViews.productionSchedule(LINE, List.of(other), PUBLISHED)
                .getValue("ProductionSchedule/ProductionRequest").orElseThrow().asArray()).isEmpty();
    }

    private static String text(final JsonObject json, final String pointer) {
        return json.getValue(JsonPointer.of(pointer)).orElseThrow(() -> new AssertionError(pointer + " missing in "
                + json)).asString();
    }

    private static JsonObject element(final JsonObject json, final String key, final int index) {
        return json.getValue(key).orElseThrow(() -> new AssertionError(key + " missing in " + json)).asArray()
                .get(index).orElseThrow(() -> new AssertionError(key + "[" + index + "] missing in " + json))
                .asObject();
    }
}
