package io.plantmesh.devices.ingress;

import java.time.Duration;

/**
 * How the MQTT adapter slows down guessing: after {@code freeFailures} failed authentications of one auth-id in a
 * row, that auth-id is locked for {@code initialLockout}, doubling with every further failure up to
 * {@code maxLockout}. While locked, a CONNECT with that user name is refused with CONNACK 0x05 (not authorized, as
 * Hono answers a client error other than 401/404) without checking the password. A success, or
 * {@code forgetAfter} without failures, clears the auth-id's record. At most {@code maxTrackedAuthIds} records are
 * kept (the least recently failed go first), so a flood of made-up user names cannot exhaust memory.
 *
 * @param freeFailures failures in a row before the first lockout (0 locks after the first failure)
 * @param initialLockout the first lockout
 * @param maxLockout the longest lockout
 * @param forgetAfter a record without a failure for this long is dropped
 * @param maxTrackedAuthIds most auth-ids tracked at once
 */
public record AuthThrottling(int freeFailures, Duration initialLockout, Duration maxLockout, Duration forgetAfter,
        int maxTrackedAuthIds) {

    public AuthThrottling {
        boolean valid = freeFailures >= 0 && !initialLockout.isNegative() && !initialLockout.isZero()
                && maxLockout.compareTo(initialLockout) >= 0 && forgetAfter.compareTo(maxLockout) >= 0
                && maxTrackedAuthIds > 0;
        if (!valid) {
            throw new IllegalArgumentException("authentication throttling needs freeFailures >= 0, 0 < initialLockout"
                    + " <= maxLockout <= forgetAfter and maxTrackedAuthIds > 0; got " + freeFailures + ", "
                    + initialLockout + ", " + maxLockout + ", " + forgetAfter + ", " + maxTrackedAuthIds);
        }
    }

    /** 5 free failures, then 1 s doubling up to 5 min; forgotten after 15 min; 10,000 auth-ids tracked. */
    public static AuthThrottling defaults() {
        return new AuthThrottling(5, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMinutes(15), 10_000);
    }
}
