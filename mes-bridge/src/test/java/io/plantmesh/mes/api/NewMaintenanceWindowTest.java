package io.plantmesh.mes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpMethod;

class NewMaintenanceWindowTest {

    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");

    @Test
    void aDurationFromNowOrAnEndFromAGivenStart() {
        final NewMaintenanceWindow now = NewMaintenanceWindow.parse(
                "{\"reason\":\"predicted BEARING_WEAR failure\",\"duration\":\"PT2H\",\"requestedBy\":\"maintenance\","
                        + "\"failureMode\":\"BEARING_WEAR\"}", NOW);
        assertThat(now.start()).isEqualTo(NOW);
        assertThat(now.end()).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(now.requestedBy()).isEqualTo("maintenance");
        assertThat(now.failureMode()).isEqualTo("BEARING_WEAR");

        final NewMaintenanceWindow later = NewMaintenanceWindow.parse("{\"reason\":\"oil change\","
                + "\"start\":\"2026-12-01T12:00:00+02:00\",\"end\":\"2026-12-01T13:30:00+02:00\"}", NOW);
        assertThat(later.start()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(later.end()).isEqualTo(Instant.parse("2026-12-01T11:30:00Z"));
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        assertBad("", "no body");
        assertBad("{\"duration\":\"PT1H\"}", "'reason' is missing");
        assertBad("{\"reason\":\"x\"}", "exactly one of 'end' and 'duration'");
        assertBad("{\"reason\":\"x\",\"duration\":\"PT1H\",\"end\":\"2026-12-01T10:00:00Z\"}", "exactly one");
        assertBad("{\"reason\":\"x\",\"duration\":\"2 hours\"}", "ISO-8601 duration");
        assertBad("{\"reason\":\"x\",\"duration\":\"-PT1H\"}", "must end after it starts");
        assertBad("{\"reason\":\"x\",\"duration\":\"P8D\"}", "longer than 7 days");
        assertBad("{\"reason\":\"x\",\"duration\":\"PT1H\",\"start\":\"2026-12-01T07:00:00Z\"}", "in the past");
        assertBad("{\"reason\":\"x\",\"duration\":\"PT1H\",\"priority\":1}", "Unknown field 'priority'");
        assertBad("{\"reason\":\"\",\"duration\":\"PT1H\"}", "'reason' must be a non-empty string");
        assertThatThrownBy(() -> NewMaintenanceWindow.machineId("plant1:line-1", "machineId"))
                .isInstanceOf(ApiError.class).hasMessageContaining("not a machine id");
    }

    @Test
    void planningAWindowNeedsAPlannersOrTheMaintenanceServicesRole() {
        assertThat(MesApiAccess.allowedRoles(HttpMethod.POST, "/api/mes/v1/machines/plant1:machine-1-03/"
                + "maintenance-windows")).contains("svc-maintenance", "planner").doesNotContain("plant-viewer");
        assertThat(MesApiAccess.allowedRoles(HttpMethod.GET, "/api/mes/v1/machines/plant1:machine-1-03/"
                + "maintenance-windows")).contains("plant-viewer");
    }

    private static void assertBad(final String body, final String message) {
        assertThatThrownBy(() -> NewMaintenanceWindow.parse(body, NOW))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error()).isEqualTo(ApiError.REQUEST_INVALID);
                    assertThat(e.description()).isNotBlank();
                })
                .hasMessageContaining(message);
    }
}
