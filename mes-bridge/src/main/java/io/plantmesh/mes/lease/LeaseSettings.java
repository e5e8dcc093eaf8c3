package io.plantmesh.mes.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of the leases a {@link LeaseKeeper} holds.
 * <p>
 * Clocks: {@code expiresAt} is written with the holder's clock and compared with the taker's clock, and the holder
 * stops {@code safetyMargin} before {@code expiresAt}. So the clocks of all instances sharing a lease collection
 * must differ by less than {@code safetyMargin} (keep them NTP-synchronised); otherwise an instance whose clock runs
 * ahead can take a lease while its holder still acts on it.
 *
 * @param ttl           how long a lease lasts after each acquisition or renewal (default 15 s)
 * @param renewInterval how often the keeper acquires or renews (default ttl / 3)
 * @param safetyMargin  how long before {@code expiresAt} the keeper considers an unrenewed lease lost (default ttl / 5);
 *                      it must cover the clock difference between instances plus the time an action already started
 *                      may still take
 */
public record LeaseSettings(Duration ttl, Duration renewInterval, Duration safetyMargin) {

    /** Default lease duration. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);

    public LeaseSettings {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(renewInterval, "renewInterval");
        Objects.requireNonNull(safetyMargin, "safetyMargin");
        boolean positive = !ttl.isNegative() && !ttl.isZero() && !renewInterval.isNegative() && !renewInterval.isZero()
            && !safetyMargin.isNegative() && !safetyMargin.isZero();
        if (!positive) {
            throw new IllegalArgumentException("ttl, renewInterval and safetyMargin must be positive, were "
                + ttl + ", " + renewInterval + ", " + safetyMargin);
        }
        Duration usable = ttl.minus(safetyMargin);
        boolean renewsInTime = renewInterval.compareTo(usable) < 0;
        if (!renewsInTime) {
            throw new IllegalArgumentException("renewInterval " + renewInterval + " must be shorter than ttl - safetyMargin ("
                + usable + "), or every lease lapses between two renewals; renew more often (ttl / 3 is usual)");
        }
    }

    /** ttl 15 s, renewal every 5 s, safety margin 3 s. */
    public static LeaseSettings defaults() {
        return ofTtl(DEFAULT_TTL);
    }

    /** The given ttl, renewal every ttl / 3, safety margin ttl / 5. */
    public static LeaseSettings ofTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        return new LeaseSettings(ttl, ttl.dividedBy(3), ttl.dividedBy(5));
    }
}
