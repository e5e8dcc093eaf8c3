package io.plantmesh.security.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An access token obtained from a token endpoint. {@link #toString()} leaves the token itself out, so it can be
 * logged.
 *
 * @param value the token, to be sent as {@code Authorization: Bearer <value>}
 * @param obtainedAt when it was received
 * @param expiresAt its expiry ({@code exp} of the JWT, else {@code expires_in} of the response)
 */
public record AccessToken(String value, Instant obtainedAt, Instant expiresAt) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(obtainedAt, "obtainedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The header value {@code Bearer <token>}. */
    public String authorization() {
        return "Bearer " + value;
    }

    /** Whether it has expired at {@code now}. */
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * Whether it should be renewed at {@code now}: less than {@code renewBefore} of its life is left, or less than
     * half of it for a token that lives shorter than twice {@code renewBefore}.
     */
    public boolean needsRenewal(Instant now, Duration renewBefore) {
        Duration lifetime = Duration.between(obtainedAt, expiresAt);
        Duration half = lifetime.dividedBy(2);
        Duration margin = renewBefore.compareTo(half) < 0 ? renewBefore : half;
        return !now.isBefore(expiresAt.minus(margin));
    }

    @Override
    public String toString() {
        return "AccessToken[obtainedAt=" + obtainedAt + ", expiresAt=" + expiresAt + "]";
    }
}
