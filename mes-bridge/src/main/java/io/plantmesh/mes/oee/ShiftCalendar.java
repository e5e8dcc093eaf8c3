package io.plantmesh.mes.oee;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The plant's daily shifts in local time of {@code zone}. A shift whose end is not after its start runs past
 * midnight (22:00-06:00); start equal to end is a 24-hour shift. Shifts must not overlap; time covered by no shift
 * belongs to no shift.
 */
public record ShiftCalendar(List<ShiftDefinition> shifts, ZoneId zone) {

    private static final long NANOS_PER_DAY = Duration.ofDays(1).toNanos();

    public ShiftCalendar {
        Objects.requireNonNull(zone, "zone");
        shifts = List.copyOf(Objects.requireNonNull(shifts, "shifts"));
        if (shifts.isEmpty()) {
            throw new IllegalArgumentException("a shift calendar needs at least one shift; for a plant without "
                    + "shifts define one 24-hour shift, e.g. day 00:00-00:00");
        }
        final Set<String> names = new HashSet<>();
        for (final ShiftDefinition shift : shifts) {
            if (!names.add(shift.name())) {
                throw new IllegalArgumentException("shift name '" + shift.name() + "' is used twice: give every "
                        + "shift its own name");
            }
        }
        for (int i = 0; i < shifts.size(); i++) {
            for (int j = i + 1; j < shifts.size(); j++) {
                if (shifts.get(i).overlaps(shifts.get(j))) {
                    throw new IllegalArgumentException("shifts " + shifts.get(i) + " and " + shifts.get(j)
                            + " overlap: let one end where the next begins");
                }
            }
        }
    }

    /** early 06:00-14:00, late 14:00-22:00, night 22:00-06:00, in UTC. */
    public static ShiftCalendar defaults() {
        return new ShiftCalendar(List.of(
                new ShiftDefinition("early", LocalTime.of(6, 0), LocalTime.of(14, 0)),
                new ShiftDefinition("late", LocalTime.of(14, 0), LocalTime.of(22, 0)),
                new ShiftDefinition("night", LocalTime.of(22, 0), LocalTime.of(6, 0))),
                ZoneOffset.UTC);
    }

    /**
     * The shift running at {@code at}: its name and the instant it began (and will end); null if no shift covers
     * {@code at}.
     */
    public Shift shiftAt(final Instant at) {
        final ZonedDateTime local = at.atZone(zone);
        final LocalTime time = local.toLocalTime();
        final LocalDate today = local.toLocalDate();
        for (final ShiftDefinition shift : shifts) {
            final LocalDate startDate = shift.startDateIfCovers(time, today);
            if (startDate != null) {
                final Instant start = ZonedDateTime.of(startDate, shift.start(), zone).toInstant();
                final LocalDate endDate = shift.end().isAfter(shift.start()) ? startDate : startDate.plusDays(1);
                final Instant end = ZonedDateTime.of(endDate, shift.end(), zone).toInstant();
                // a start in a daylight-saving gap is moved forward by the zone rules and may land after 'at'
                return new Shift(shift.name(), start.isAfter(at) ? at : start, end);
            }
        }
        return null;
    }

    /** The longest shift (24 h for a start equal to its end). */
    public Duration longestShift() {
        Duration longest = Duration.ZERO;
        for (final ShiftDefinition shift : shifts) {
            if (shift.length().compareTo(longest) > 0) {
                longest = shift.length();
            }
        }
        return longest;
    }

    /** A shift as it recurs every day: name, local start and end time. */
    public record ShiftDefinition(String name, LocalTime start, LocalTime end) {

        public ShiftDefinition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a shift needs a name (e.g. early), not a blank one");
            }
        }

        /** Its length on a day without a daylight-saving change. */
        public Duration length() {
            final long nanos = Math.floorMod(end.toNanoOfDay() - start.toNanoOfDay(), NANOS_PER_DAY);
            return Duration.ofNanos(nanos == 0 ? NANOS_PER_DAY : nanos);
        }

        /** The local date this shift began on, if it covers local {@code time} of {@code today}; else null. */
        LocalDate startDateIfCovers(final LocalTime time, final LocalDate today) {
            final boolean sameDay = end.isAfter(start);
            if (sameDay) {
                final boolean covers = !time.isBefore(start) && time.isBefore(end);
                return covers ? today : null;
            }
            if (!time.isBefore(start)) {
                return today;
            }
            // past midnight (or a 24-hour shift before its start time): it began yesterday
            return time.isBefore(end) ? today.minusDays(1) : null;
        }

        boolean overlaps(final ShiftDefinition other) {
            for (final long[] mine : segments()) {
                for (final long[] theirs : other.segments()) {
                    final boolean overlap = mine[0] < theirs[1] && theirs[0] < mine[1];
                    if (overlap) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** [from, to) nanos of day covered by this shift; two segments if it runs past midnight. */
        private List<long[]> segments() {
            final long from = start.toNanoOfDay();
            final long to = end.toNanoOfDay();
            final List<long[]> segments = new ArrayList<>();
            if (to > from) {
                segments.add(new long[] {from, to});
            } else if (to == from) {
                segments.add(new long[] {0, NANOS_PER_DAY});
            } else {
                segments.add(new long[] {from, NANOS_PER_DAY});
                segments.add(new long[] {0, to});
            }
            return segments;
        }
    }

    /** One occurrence of a shift: its name, when it began and when it ends. */
    public record Shift(String name, Instant start, Instant end) {

        public Shift {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }
    }
}
