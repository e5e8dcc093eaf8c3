package io.plantmesh.twin.server.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Which events of a thing the journal keeps, and so how far back the history API ({@code from-historical-*}) reaches:
 * the newest {@code newest} events always; beyond those, the events of the last {@code age} (Ditto's
 * {@code history-retention-duration}), but never more than {@code max} per thing. Older events are deleted oldest
 * first when the thing's next event is written.
 *
 * <p>The defaults keep an hour: the demo plant's machine twins change 1.2 to 1.8 times a second (measured with
 * {@code plantmesh up}, 50 machines, telemetry every second), about 4,300 to 6,500 events an hour, which the
 * previous bound of 1,000 events per thing covered for only 9 to 14 minutes.
 *
 * @param newest events of each thing kept whatever their age (at least 1)
 * @param age events younger than this are kept too, up to {@code max}; {@link Duration#ZERO}: keep only the newest
 * @param max events kept per thing at most, whatever their age (at least {@code newest}); bounds the journal's size
 */
public record EventRetention(long newest, Duration age, long max) {

    /** The setting names, as in the configuration and in error messages. */
    public static final String NEWEST = "eventRetention";
    public static final String AGE = "eventRetentionAge";
    public static final String MAX = "eventRetentionMax";

    public EventRetention {
        if (newest < 1) {
            throw new IllegalArgumentException(NEWEST + " must keep at least the newest event of each thing, was "
                    + newest + ".");
        }
        if (age == null || age.isNegative()) {
            throw new IllegalArgumentException(AGE + " must be zero (keep only the newest " + newest
                    + " events) or a positive duration such as PT1H, was " + age + ".");
        }
        if (max < newest) {
            throw new IllegalArgumentException(MAX + " (" + max + ") must be at least " + NEWEST + " (" + newest
                    + "): it bounds the events kept per thing, the newest " + newest + " of which are always kept.");
        }
    }

    /** The newest 1,000 events, and every event of the last hour up to 10,000 per thing. */
    public static EventRetention defaults() {
        return new EventRetention(1_000, Duration.ofHours(1), 10_000);
    }

    /** Only the newest {@code events} of each thing, whatever their age (the journal's bound before age existed). */
    public static EventRetention newest(long events) {
        return new EventRetention(events, Duration.ZERO, events);
    }

    public EventRetention withAge(Duration newAge) {
        return new EventRetention(newest, newAge, max);
    }

    public EventRetention withMax(long newMax) {
        return new EventRetention(newest, age, newMax);
    }

    /**
     * Whether the oldest of the {@code kept} events of a thing is to be deleted now that an event at {@code now} was
     * written.
     */
    public boolean expiresOldest(long kept, Instant oldest, Instant now) {
        if (kept <= newest) {
            return false;
        }
        if (kept > max) {
            return true;
        }
        boolean keptForItsAge = !age.isZero() && !oldest.isBefore(now.minus(age));
        return !keptForItsAge;
    }

    /** In words, with the setting names, for logs and error messages. */
    public String describe() {
        if (age.isZero()) {
            return "the newest " + newest + " events of each thing (" + NEWEST + ")";
        }
        return "the events of the last " + words(age) + " (" + AGE + " " + age + "), at most " + max + " ("
                + MAX + ") and at least the newest " + newest + " (" + NEWEST + ") of each thing";
    }

    private static String words(Duration d) {
        if (d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toHours() > 0) {
            return d.toHours() == 1 ? "hour" : d.toHours() + " hours";
        }
        if (d.toSecondsPart() == 0 && d.toMinutes() > 0) {
            return d.toMinutes() + " minutes";
        }
        return d.toSeconds() + " seconds";
    }
}
