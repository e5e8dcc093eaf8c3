package io.plantmesh.erp.embedded.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class ODataValuesTest {

    @Test
    void datesInTheFormsSapWritesAndAccepts() {
        LocalDate day = LocalDate.of(2026, 11, 30);
        JsonObject body = new JsonObject()
            .put("A", "/Date(1795996800000)/")
            .put("B", "/Date(1795996800000+0000)/")
            .put("C", "2026-11-30T00:00:00")
            .put("D", "2026-11-30");

        for (String property : new String[] {"A", "B", "C", "D"}) {
            assertThat(ODataValues.day(body, property, null)).as(property).isEqualTo(day);
        }
        assertThat(ODataValues.day(body, "Missing", day)).isEqualTo(day);
        assertThat(ODataValues.dateTime(Instant.ofEpochMilli(1795996800000L))).isEqualTo("/Date(1795996800000)/");
        assertThatThrownBy(() -> ODataValues.day(new JsonObject().put("X", "yesterday"), "X", null))
            .isInstanceOf(ODataError.class).hasMessageContaining("X");
    }

    @Test
    void timesDecimalsAndFlags() {
        assertThat(ODataValues.time(LocalTime.of(14, 5, 9))).isEqualTo("PT14H05M09S");
        assertThat(ODataValues.timeOfDay(new JsonObject().put("T", "PT14H05M09S"), "T")).isEqualTo(LocalTime.of(14,
            5, 9));
        assertThat(ODataValues.quantity(new BigDecimal("10"))).isEqualTo("10.000");
        assertThat(ODataValues.decimal(new JsonObject().put("Q", "12.5"), "Q", null)).isEqualByComparingTo("12.5");
        assertThat(ODataValues.decimal(new JsonObject().put("Q", 3), "Q", null)).isEqualByComparingTo("3");
        assertThatThrownBy(() -> ODataValues.decimal(new JsonObject().put("Q", "ten"), "Q", null))
            .hasMessageContaining("Q");
        assertThat(ODataValues.bool(new JsonObject().put("F", "X"), "F", false)).isTrue();
        assertThat(ODataValues.withoutLeadingZeros("0000010000")).isEqualTo("10000");
        assertThat(ODataValues.withoutLeadingZeros("0")).isEqualTo("0");
    }

    @Test
    void deepInsertAcceptsArrayAndResultsForms() {
        JsonArray entries = new JsonArray().add(new JsonObject().put("Material", "M"));

        assertThat(ODataValues.navigationEntries(new JsonObject().put("to_Item", entries), "to_Item")).hasSize(1);
        assertThat(ODataValues.navigationEntries(new JsonObject().put("to_Item", new JsonObject().put("results",
            entries)), "to_Item")).hasSize(1);
        assertThat(ODataValues.navigationEntries(new JsonObject(), "to_Item")).isEmpty();
        assertThatThrownBy(() -> ODataValues.navigationEntries(new JsonObject().put("to_Item", "x"), "to_Item"))
            .isInstanceOf(ODataError.class);
    }

    @Test
    void repeatabilityHeaders() {
        Repeatability parsed = Repeatability.of("abc", "Mon, 30 Nov 2026 08:00:00 GMT");

        assertThat(parsed.requestId()).isEqualTo("abc");
        assertThat(parsed.firstSent()).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
        assertThat(Repeatability.of(null, null)).isNull();
        assertThatThrownBy(() -> Repeatability.of("abc", "2026-11-30")).hasMessageContaining("IMF-fixdate");
        assertThatThrownBy(() -> Repeatability.of(null, "Mon, 30 Nov 2026 08:00:00 GMT"))
            .hasMessageContaining("Repeatability-Request-ID");
    }
}
