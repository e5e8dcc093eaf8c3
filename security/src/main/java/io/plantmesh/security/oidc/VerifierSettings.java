package io.plantmesh.security.oidc;

import java.time.Duration;
import java.util.Objects;

/**
 * How tokens are checked and the issuers' keys are fetched.
 *
 * @param clockSkew how far {@code exp} and {@code nbf} may be off (Ditto's {@code allowed-clock-skew}, 20 s there
 *        and here by default)
 * @param keysMinRefetchInterval a token with an unknown {@code kid} makes the keys be fetched again (the issuer may
 *        have rotated its key), but at most once per this interval per issuer, so that made-up key ids cannot turn
 *        the service into a load generator against the issuer (default 10 s)
 * @param keysMaxAge keys fetched longer ago than this are fetched again on the next use, so a key the issuer withdrew
 *        stops being accepted (default 10 min); until the new set arrives the old one keeps serving
 * @param httpTimeout timeout of each request to the issuer (default 5 s)
 */
public record VerifierSettings(Duration clockSkew, Duration keysMinRefetchInterval, Duration keysMaxAge,
        Duration httpTimeout) {

    public VerifierSettings {
        requireNotNegative(clockSkew, "clockSkew");
        requireNotNegative(keysMinRefetchInterval, "keysMinRefetchInterval");
        requireNotNegative(keysMaxAge, "keysMaxAge");
        requireNotNegative(httpTimeout, "httpTimeout");
        if (httpTimeout.isZero()) {
            throw new IllegalArgumentException("httpTimeout must be positive, got " + httpTimeout);
        }
    }

    public static VerifierSettings defaults() {
        return new VerifierSettings(Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofMinutes(10),
                Duration.ofSeconds(5));
    }

    public VerifierSettings withClockSkew(Duration value) {
        return new VerifierSettings(value, keysMinRefetchInterval, keysMaxAge, httpTimeout);
    }

    public VerifierSettings withKeysMinRefetchInterval(Duration value) {
        return new VerifierSettings(clockSkew, value, keysMaxAge, httpTimeout);
    }

    public VerifierSettings withKeysMaxAge(Duration value) {
        return new VerifierSettings(clockSkew, keysMinRefetchInterval, value, httpTimeout);
    }

    private static void requireNotNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
    }
}
