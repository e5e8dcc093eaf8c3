package io.plantmesh.mes.oee;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.model.machine.MachineState;

/**
 * What the {@link OeeTracker} knows about one machine, as an immutable snapshot: its line and ideal cycle time as
 * last observed, when it was last observed, its closed state intervals, the state it is in now and since when, and
 * its counter samples. This is what {@link OeeHistoryStore} persists.
 *
 * @param idealCycleTimeMs null if the twin names none (the configured default applies)
 * @param closed state intervals in time order, not overlapping, none ending after {@code since}
 * @param state the current state
 * @param since when the current state began
 * @param counters in ascending order of {@code at}
 */
public record MachineHistory(ThingId machine, ThingId line, Double idealCycleTimeMs, Instant lastObservedAt,
        List<StateInterval> closed, MachineState state, Instant since, List<CounterSample> counters) {

    public MachineHistory {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(lastObservedAt, "lastObservedAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        closed = List.copyOf(closed);
        counters = List.copyOf(counters);
        for (int i = 0; i < closed.size(); i++) {
            final Instant nextStart = i + 1 < closed.size() ? closed.get(i + 1).from() : since;
            final boolean ordered = !closed.get(i).to().isAfter(nextStart);
            if (!ordered) {
                throw new IllegalArgumentException("history of " + machine + ": state interval " + closed.get(i)
                        + " overlaps what follows it (starting " + nextStart + ")");
            }
        }
        for (int i = 1; i < counters.size(); i++) {
            final boolean ordered = !counters.get(i).at().isBefore(counters.get(i - 1).at());
            if (!ordered) {
                throw new IllegalArgumentException("history of " + machine + ": counter samples out of order: "
                        + counters.get(i - 1) + " then " + counters.get(i));
            }
        }
    }
}
