package io.plantmesh.mes.oee;

import java.time.Instant;
import java.util.Objects;

/**
 * The machine's cumulative good and scrap counters ({@code features/counters}) as seen at {@code at}.
 */
public record CounterSample(Instant at, long good, long scrap) {

    public CounterSample {
        Objects.requireNonNull(at, "at");
        final boolean nonNegative = good >= 0 && scrap >= 0;
        if (!nonNegative) {
            throw new IllegalArgumentException("counter sample at " + at + " has a negative count (good=" + good
                    + ", scrap=" + scrap + "): counters are cumulative and start at 0");
        }
    }

    /** True if good and scrap are the same as in {@code other}. */
    public boolean sameCounts(final CounterSample other) {
        return good == other.good && scrap == other.scrap;
    }
}
