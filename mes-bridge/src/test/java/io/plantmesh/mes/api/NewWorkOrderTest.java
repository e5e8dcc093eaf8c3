package io.plantmesh.mes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

class NewWorkOrderTest {

    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");

    @Test
    void readsEveryField() {
        final NewWorkOrder request = NewWorkOrder.parse("""
                {"id": "plant1:wo-000777", "material": "FG-2001", "quantity": 120, "dueDate": "2026-12-01T16:00:00Z",
                 "line": "plant1:line-2", "priority": 3, "operation": "20", "requiredCapability": "milling",
                 "billOfMaterials": [{"material": "RAW-1001", "quantity": 240, "unit": "PC"},
                                     {"material": "RAW-1002", "quantity": 2.5, "unit": "KG"}]}
                """);

        final WorkOrderTwin twin = request.toTwin(request.id(), NOW);

        assertThat(twin.id().toString()).isEqualTo("plant1:wo-000777");
        assertThat(twin.material()).isEqualTo("FG-2001");
        assertThat(twin.quantity()).isEqualTo(120.0);
        assertThat(twin.dueDate()).isEqualTo(Instant.parse("2026-12-01T16:00:00Z"));
        assertThat(twin.line().toString()).isEqualTo("plant1:line-2");
        assertThat(twin.priority()).isEqualTo(3);
        assertThat(twin.operation()).isEqualTo("20");
        assertThat(twin.requiredCapability()).isEqualTo("milling");
        assertThat(twin.billOfMaterials()).containsExactly(new WorkOrderTwin.BomItem("RAW-1001", 240, "PC"),
                new WorkOrderTwin.BomItem("RAW-1002", 2.5, "KG"));
        assertThat(twin.status().status()).isEqualTo(WorkOrderStatus.RELEASED);
        assertThat(twin.status().times()).containsEntry(WorkOrderStatus.RELEASED, NOW);
    }

    @Test
    void appliesDefaults() {
        final NewWorkOrder request = NewWorkOrder.parse("""
                {"material": "FG-1", "quantity": 10, "dueDate": "2026-12-01T16:00:00Z", "line": "plant1:line-1",
                 "billOfMaterials": [{"material": "RAW-1", "quantity": 20}]}
                """);

        assertThat((Object) request.id()).isNull();
        final WorkOrderTwin twin = request.toTwin(PlantThingIds.workOrder("plant1", 1), NOW);
        assertThat(twin.priority()).isEqualTo(5);
        assertThat(twin.operation()).isEqualTo(WorkOrderTwin.DEFAULT_OPERATION);
        assertThat(twin.requiredCapability()).isNull();
        assertThat(twin.billOfMaterials().get(0).unit()).isEqualTo("PC");
    }

    @Test
    void refusesMalformedBodiesNamingTheField() {
        assertBadRequest("", "no body");
        assertBadRequest("[1]", "must be a JSON object");
        assertBadRequest("{not json", "not valid JSON");
        assertBadRequest("{\"quantity\": 1, \"dueDate\": \"2026-12-01T16:00:00Z\", \"line\": \"plant1:line-1\"}",
                "'material' is missing");
        assertBadRequest(valid().replace("\"quantity\": 10", "\"quantity\": \"ten\""),
                "'quantity' must be a number, was \"ten\"");
        assertBadRequest(valid().replace("2026-12-01T16:00:00Z", "tomorrow"), "'dueDate' must be an ISO-8601");
        assertBadRequest(valid().replace("plant1:line-1", "plant1:machine-1-01"), "'line' is not a line id");
        assertBadRequest(valid().replace("{", "{\"id\": \"plant1:line-1\", "), "'id' is not a work order id");
        assertBadRequest(valid().replace("{", "{\"qty\": 3, "), "Unknown field 'qty'");
        assertBadRequest(valid().replace("{", "{\"priority\": 2.5, "), "'priority' must be an integer");
        assertBadRequest(valid().replace("{", "{\"billOfMaterials\": [{\"material\": \"R\"}], "),
                "'billOfMaterials[0].quantity' is missing");
    }

    @Test
    void refusesAPriorityOutOfRange() {
        final NewWorkOrder request = NewWorkOrder.parse(valid().replace("{", "{\"priority\": 12, "));

        assertThatThrownBy(() -> request.toTwin(PlantThingIds.workOrder("plant1", 1), NOW))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("mes:request.invalid");
                    assertThat(e.getMessage()).contains("priority 12 must be in 1..9");
                });
    }

    @Test
    void refusesANegativeQuantityWithTheThingModelValidatorsMessage() {
        final NewWorkOrder request = NewWorkOrder.parse(valid().replace("\"quantity\": 10", "\"quantity\": -1"));

        assertThatThrownBy(() -> request.toTwin(PlantThingIds.workOrder("plant1", 1), NOW))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("wot:payload.validation.error");
                    assertThat(e.getMessage()).contains("io.plantmesh:work-order:1.0.0")
                            .contains("/attributes/quantity");
                });
    }

    private static String valid() {
        return "{\"material\": \"FG-1\", \"quantity\": 10, \"dueDate\": \"2026-12-01T16:00:00Z\", "
                + "\"line\": \"plant1:line-1\"}";
    }

    private static void assertBadRequest(final String body, final String messagePart) {
        assertThatThrownBy(() -> NewWorkOrder.parse(body))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo("mes:request.invalid");
                    assertThat(e.getMessage()).contains(messagePart);
                    assertThat(e.description()).isNotBlank();
                });
    }
}
