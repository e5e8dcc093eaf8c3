package io.plantmesh.mes.api;

import java.util.List;

import org.eclipse.ditto.json.JsonObject;

import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * The API's JSON of a work order (schema {@code WorkOrder} in the OpenAPI file): the order's attributes, its status
 * with machine, reasons, plan and status times, its good and scrap counts, the twin's revision and the actions that
 * apply to it now.
 */
final class WorkOrderJson {

    private WorkOrderJson() {
    }

    static JsonObject of(final WorkOrderTwin order, final long revision) {
        final WorkOrderTwin.StatusEntry status = order.status();
        final JsonOut times = JsonOut.object();
        for (final WorkOrderStatus s : WorkOrderStatus.values()) {
            times.put(s.name(), status.times().get(s));
        }
        return JsonOut.object()
                .put("id", order.id())
                .put("line", order.line())
                .put("material", order.material())
                .put("quantity", order.quantity())
                .put("dueDate", order.dueDate())
                .put("priority", order.priority())
                .put("operation", order.operation())
                .put("requiredCapability", order.requiredCapability())
                .putArray("billOfMaterials", order.billOfMaterials().stream()
                        .map(b -> JsonOut.object().put("material", b.material()).put("quantity", b.quantity())
                                .put("unit", b.unit()).build())
                        .toList())
                .put("status", JsonOut.object()
                        .put("status", status.status())
                        .put("machine", status.machine())
                        .put("reason", status.reason())
                        .put("reasonCode", status.reasonCode())
                        .put("plannedStart", status.plannedStart())
                        .put("plannedEnd", status.plannedEnd())
                        .put("times", times))
                .put("progress", progress(order))
                .putArray("actions", actions(order))
                .put("revision", revision)
                .build();
    }

    /** {@code {"good", "scrap", "updatedAt"}}. */
    static JsonObject progress(final WorkOrderTwin order) {
        return JsonOut.object()
                .put("good", order.progress().good())
                .put("scrap", order.progress().scrap())
                .put("updatedAt", order.progress().updatedAt())
                .build();
    }

    private static List<String> actions(final WorkOrderTwin order) {
        return OrderAction.allowedFor(order).stream().map(OrderAction::pathName).toList();
    }
}
