package io.plantmesh.mes.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.ditto.things.model.ThingId;

/**
 * What the planner of one line remembers between reconciliations: when it last sent which command to which machine
 * (so an unanswered command is repeated only after a while), and the progress readings of running orders (for the
 * scrap rate over the quality window). Both are rebuilt from twin state after a restart: losing them only means a
 * command is sent once more (commands are idempotent on the machine) and the quality window starts afresh.
 * Not thread-safe: used on the line's reconciler context.
 */
public final class PlannerMemory {

    /** The last command sent to a machine. */
    record SentCommand(String command, String workOrder, Instant at) {
    }

    /** A cumulative progress reading of an order. */
    record Reading(Instant at, long good, long scrap) {
    }

    private final Map<ThingId, SentCommand> commands = new HashMap<>();
    private final Map<ThingId, Deque<Reading>> readings = new HashMap<>();

    /** True if the same command for the same order went to the machine less than {@code retry} ago. */
    boolean recentlySent(final ThingId machine, final String command, final String workOrder, final Instant now,
            final Duration retry) {
        final SentCommand last = commands.get(machine);
        return last != null && last.command().equals(command) && java.util.Objects.equals(last.workOrder(), workOrder)
                && last.at().plus(retry).isAfter(now);
    }

    /** Notes that a command was sent (called by the reconciler when it sends it). */
    public void sent(final ThingId machine, final String command, final String workOrder, final Instant at) {
        commands.put(machine, new SentCommand(command, workOrder, at));
    }

    /**
     * Records the order's cumulative progress as read from its twin (repeating a reading changes nothing) and
     * returns the good and scrap pieces produced within {@code window} before {@code now}.
     */
    long[] producedWithin(final ThingId order, final long good, final long scrap, final Instant now,
            final Duration window) {
        final Deque<Reading> deque = readings.computeIfAbsent(order, k -> new ArrayDeque<>());
        final Reading last = deque.peekLast();
        final boolean lower = last != null && (good < last.good() || scrap < last.scrap());
        if (lower) {
            deque.clear(); // progress was reset (an order that was re-opened): start the window afresh
        }
        if (last == null || lower || good != last.good() || scrap != last.scrap()) {
            deque.addLast(new Reading(now, good, scrap));
        }
        final Instant from = now.minus(window);
        // keep one reading at or before the window start as the baseline
        while (deque.size() > 1) {
            final Reading second = deque.stream().skip(1).findFirst().orElseThrow();
            if (!second.at().isAfter(from)) {
                deque.removeFirst();
            } else {
                break;
            }
        }
        final Reading base = deque.peekFirst();
        return new long[] {good - base.good(), scrap - base.scrap()};
    }

    /** Forgets what is kept for orders and machines not in the given sets (finished orders, removed machines). */
    void retainOnly(final java.util.Set<ThingId> openOrders, final java.util.Set<ThingId> machines) {
        readings.keySet().retainAll(openOrders);
        commands.keySet().retainAll(machines);
    }

    /** Forgets the readings of an order (its window restarts), e.g. when it is resumed after a quality hold. */
    void resetReadings(final ThingId order) {
        readings.remove(order);
    }
}
