package io.plantmesh.mes.oee;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.plantmesh.twin.model.machine.MachineState;

/**
 * A machine was in {@code state} from {@code from} (inclusive) to {@code to} (exclusive).
 */
public record StateInterval(MachineState state, Instant from, Instant to) {

    public StateInterval {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("state interval " + state + " ends at " + to + " before it starts at "
                    + from + ": pass from <= to");
        }
    }

    /** How much of this interval lies in [{@code rangeFrom}, {@code rangeTo}); zero if nothing. */
    public Duration overlap(final Instant rangeFrom, final Instant rangeTo) {
        final Instant start = from.isAfter(rangeFrom) ? from : rangeFrom;
        final Instant end = to.isBefore(rangeTo) ? to : rangeTo;
        return end.isAfter(start) ? Duration.between(start, end) : Duration.ZERO;
    }
}
