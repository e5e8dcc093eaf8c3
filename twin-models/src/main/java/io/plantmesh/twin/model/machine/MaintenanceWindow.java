package io.plantmesh.twin.model.machine;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.eclipse.ditto.json.JsonObject;

import io.plantmesh.twin.model.TwinFormatException;
import io.plantmesh.twin.model.json.TwinJson;
import io.plantmesh.twin.model.json.TwinJson.Node;

/**
 * A planned maintenance window of a machine ({@code features/maintenance/properties/windows/<id>}): from
 * {@code start} to {@code end} the machine is reserved for maintenance, and the MES plans no work on it.
 *
 * @param id the key in {@code windows}, e.g. {@code mw-20261201T0800-3f2a}
 * @param reason why, e.g. {@code predicted BEARING_WEAR failure at ...}; null if none was given
 * @param requestedBy who asked, e.g. {@code maintenance}; null if unknown
 * @param failureMode the failure mode it should prevent; null if none
 * @param requestedAt when it was asked for; null if unknown
 */
public record MaintenanceWindow(String id, Instant start, Instant end, String reason, String requestedBy,
        String failureMode, Instant requestedAt) {

    /** Earliest start first, then id. */
    public static final Comparator<MaintenanceWindow> BY_START = Comparator.comparing(MaintenanceWindow::start)
            .thenComparing(MaintenanceWindow::id);

    public MaintenanceWindow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a maintenance window ends after it starts: " + id + " " + start
                    + " .. " + end);
        }
    }

    /** True while {@code start <= now < end}. */
    public boolean activeAt(final Instant now) {
        return !now.isBefore(start) && now.isBefore(end);
    }

    /** True if the window is not over at {@code now}. */
    public boolean openAt(final Instant now) {
        return now.isBefore(end);
    }

    /** The window's JSON as stored under its id. */
    public JsonObject toJson() {
        return TwinJson.object()
                .put("start", start)
                .put("end", end)
                .put("reason", reason)
                .put("requestedBy", requestedBy)
                .put("failureMode", failureMode)
                .put("requestedAt", requestedAt)
                .build();
    }

    /** The windows of {@code features/maintenance/properties}, by start. */
    static List<MaintenanceWindow> listFromJson(final Node properties) {
        final Node windows = properties.optObject("windows").orElse(null);
        if (windows == null) {
            return List.of();
        }
        return windows.json().getKeys().stream()
                .map(key -> {
                    final Node window = windows.optObject(key.toString()).orElseThrow();
                    try {
                        return new MaintenanceWindow(key.toString(), window.instant("start"), window.instant("end"),
                                window.optText("reason").orElse(null), window.optText("requestedBy").orElse(null),
                                window.optText("failureMode").orElse(null),
                                window.optInstant("requestedAt").orElse(null));
                    } catch (final TwinFormatException e) {
                        throw e;
                    } catch (final IllegalArgumentException e) {
                        throw new TwinFormatException(window.path() + ": " + e.getMessage());
                    }
                })
                .sorted(BY_START)
                .toList();
    }

    /** {@code {"windows": {"<id>": {...}}}}. */
    static JsonObject listToJson(final List<MaintenanceWindow> windows) {
        final var builder = JsonObject.newBuilder();
        windows.forEach(w -> builder.set(w.id(), w.toJson()));
        return JsonObject.newBuilder().set("windows", builder.build()).build();
    }
}
