package io.plantmesh.devices.ingress.mqtt;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import io.plantmesh.devices.ingress.AuthThrottling;

/**
 * Counts failed authentications per user name ({@code <auth-id>@<tenant>}) and locks a name out for a window that
 * doubles with each further failure (see {@link AuthThrottling}). Memory is bounded: at most
 * {@code maxTrackedAuthIds} names, the least recently seen evicted first, and names are forgotten after
 * {@code forgetAfter} without a failure. Thread-safe.
 */
public final class AuthFailureThrottle {

    private final AuthThrottling settings;
    private final LongSupplier nanoTime;
    /** Access order: the eldest entry is the one that failed longest ago. */
    private final LinkedHashMap<String, Failures> failures = new LinkedHashMap<>(64, 0.75f, true);

    public AuthFailureThrottle(final AuthThrottling settings) {
        this(settings, System::nanoTime);
    }

    AuthFailureThrottle(final AuthThrottling settings, final LongSupplier nanoTime) {
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    /** How long {@code username} is still locked out; zero if it may try. */
    public synchronized Duration lockedFor(final String username) {
        final long now = nanoTime.getAsLong();
        final Failures entry = failures.get(username);
        if (entry == null) {
            return Duration.ZERO;
        }
        if (now - entry.lastFailure > settings.forgetAfter().toNanos()) {
            failures.remove(username);
            return Duration.ZERO;
        }
        final long left = entry.lockedUntil - now;
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /**
     * Records a failed authentication.
     *
     * @return the lockout it starts (zero while failures are still free)
     */
    public synchronized Duration failed(final String username) {
        final long now = nanoTime.getAsLong();
        Failures entry = failures.get(username);
        if (entry == null || now - entry.lastFailure > settings.forgetAfter().toNanos()) {
            entry = new Failures();
            entry.lastFailure = now; // before eviction, which drops records whose last failure is long ago
            failures.put(username, entry);
            evictBeyondBound(now);
        }
        entry.count++;
        entry.lastFailure = now;
        final int beyondFree = entry.count - settings.freeFailures();
        if (beyondFree <= 0) {
            return Duration.ZERO;
        }
        final Duration lockout = lockout(beyondFree);
        entry.lockedUntil = now + lockout.toNanos();
        return lockout;
    }

    /** Clears the record of {@code username} after a successful authentication. */
    public synchronized void succeeded(final String username) {
        failures.remove(username);
    }

    /** User names with a record (failed recently). */
    public synchronized int tracked() {
        return failures.size();
    }

    private Duration lockout(final int beyondFree) {
        final int doublings = Math.min(beyondFree - 1, 30);
        final long nanos = settings.initialLockout().toNanos();
        final long max = settings.maxLockout().toNanos();
        final boolean overflows = nanos > (max >> doublings);
        return overflows ? settings.maxLockout() : Duration.ofNanos(Math.min(max, nanos << doublings));
    }

    private void evictBeyondBound(final long now) {
        final Iterator<Map.Entry<String, Failures>> eldestFirst = failures.entrySet().iterator();
        while (failures.size() > settings.maxTrackedAuthIds() && eldestFirst.hasNext()) {
            eldestFirst.next();
            eldestFirst.remove();
        }
        // drop what is forgotten anyway while we are here (bounded work: stop at the first recent one)
        final Iterator<Map.Entry<String, Failures>> again = failures.entrySet().iterator();
        while (again.hasNext()) {
            final Failures eldest = again.next().getValue();
            if (now - eldest.lastFailure <= settings.forgetAfter().toNanos()) {
                break;
            }
            again.remove();
        }
    }

    private static final class Failures {
        int count;
        long lastFailure;
        long lockedUntil;
    }
}
