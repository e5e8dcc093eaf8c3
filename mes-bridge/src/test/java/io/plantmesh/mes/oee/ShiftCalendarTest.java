package io.plantmesh.mes.oee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.plantmesh.mes.oee.ShiftCalendar.ShiftDefinition;

class ShiftCalendarTest {

    private final ShiftCalendar defaults = ShiftCalendar.defaults();

    @Test
    void defaultShiftsBeginAtSixTwoAndTen() {
        assertThat(defaults.shiftAt(Instant.parse("2026-11-26T06:00:00Z")))
                .isEqualTo(shift("early", "2026-11-26T06:00:00Z", "2026-11-26T14:00:00Z"));
        assertThat(defaults.shiftAt(Instant.parse("2026-11-26T13:59:59.999Z")).name()).isEqualTo("early");
        assertThat(defaults.shiftAt(Instant.parse("2026-11-26T14:00:00Z")))
                .isEqualTo(shift("late", "2026-11-26T14:00:00Z", "2026-11-26T22:00:00Z"));
        assertThat(defaults.shiftAt(Instant.parse("2026-11-26T22:30:00Z")))
                .isEqualTo(shift("night", "2026-11-26T22:00:00Z", "2026-11-27T06:00:00Z"));
    }

    @Test
    void nightShiftAfterMidnightBeganTheDayBefore() {
        assertThat(defaults.shiftAt(Instant.parse("2026-11-26T05:59:59Z")))
                .isEqualTo(shift("night", "2026-11-25T22:00:00Z", "2026-11-26T06:00:00Z"));
        assertThat(defaults.shiftAt(Instant.parse("2026-11-26T00:00:00Z")).start())
                .isEqualTo(Instant.parse("2026-11-25T22:00:00Z"));
    }

    @Test
    void shiftTimesAreLocalToTheZone() {
        final ShiftCalendar berlin = new ShiftCalendar(defaults.shifts(), ZoneId.of("Europe/Berlin"));

        // 05:30 UTC is 06:30 in Berlin in November (UTC+1)
        assertThat(berlin.shiftAt(Instant.parse("2026-11-26T05:30:00Z")))
                .isEqualTo(shift("early", "2026-11-26T05:00:00Z", "2026-11-26T13:00:00Z"));
        // the night shift over the spring-forward night is an hour shorter: 22:00 CET to 06:00 CEST
        assertThat(berlin.shiftAt(Instant.parse("2026-03-29T03:00:00Z")))
                .isEqualTo(shift("night", "2026-03-28T21:00:00Z", "2026-03-29T04:00:00Z"));
    }

    @Test
    void timeOutsideEveryShiftHasNoShift() {
        final ShiftCalendar dayOnly = new ShiftCalendar(
                List.of(new ShiftDefinition("day", LocalTime.of(8, 0), LocalTime.of(16, 30))), ZoneOffset.UTC);

        assertThat(dayOnly.shiftAt(Instant.parse("2026-11-26T16:30:00Z"))).isNull();
        assertThat(dayOnly.shiftAt(Instant.parse("2026-11-26T07:59:00Z"))).isNull();
        assertThat(dayOnly.shiftAt(Instant.parse("2026-11-26T12:00:00Z")).name()).isEqualTo("day");
    }

    @Test
    void startEqualToEndIsATwentyFourHourShift() {
        final ShiftCalendar allDay = new ShiftCalendar(
                List.of(new ShiftDefinition("day", LocalTime.of(6, 0), LocalTime.of(6, 0))), ZoneOffset.UTC);

        assertThat(allDay.shiftAt(Instant.parse("2026-11-26T05:00:00Z")))
                .isEqualTo(shift("day", "2026-11-25T06:00:00Z", "2026-11-26T06:00:00Z"));
        assertThat(allDay.shiftAt(Instant.parse("2026-11-26T06:00:00Z")).start())
                .isEqualTo(Instant.parse("2026-11-26T06:00:00Z"));
        assertThat(allDay.longestShift()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void overlappingShiftsAreRefused() {
        final List<ShiftDefinition> shifts = List.of(
                new ShiftDefinition("night", LocalTime.of(22, 0), LocalTime.of(6, 0)),
                new ShiftDefinition("early", LocalTime.of(5, 30), LocalTime.of(14, 0)));

        assertThatThrownBy(() -> new ShiftCalendar(shifts, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("overlap");
    }

    @Test
    void duplicateNamesAreRefused() {
        final List<ShiftDefinition> shifts = List.of(
                new ShiftDefinition("a", LocalTime.of(6, 0), LocalTime.of(14, 0)),
                new ShiftDefinition("a", LocalTime.of(14, 0), LocalTime.of(22, 0)));

        assertThatThrownBy(() -> new ShiftCalendar(shifts, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("used twice");
    }

    @Test
    void defaultShiftsAreEightHoursLong() {
        assertThat(defaults.longestShift()).isEqualTo(Duration.ofHours(8));
    }

    private static ShiftCalendar.Shift shift(final String name, final String start, final String end) {
        return new ShiftCalendar.Shift(name, Instant.parse(start), Instant.parse(end));
    }
}
