package io.plantmesh.security.oidc;

import java.util.Objects;

/**
 * An access token that was refused, with the {@link Reason} (for the caller to choose its status and error code) and a
 * message that says what was wrong and what to do. Services turn it into their own error shape: the twin server into
 * Ditto's gateway errors, the MES API and the ERP into theirs.
 */
public final class TokenRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** No token was sent. */
        MISSING,
        /** The text is no signed JWT (three Base64url parts with a JSON header and body). */
        MALFORMED,
        /** The token is signed with an algorithm the issuer's published keys cannot verify (e.g. HS256, none). */
        UNSUPPORTED_ALGORITHM,
        /** The token's {@code iss} is no configured issuer. */
        UNKNOWN_ISSUER,
        /** The issuer publishes no key with the token's {@code kid}, even after fetching its keys again. */
        UNKNOWN_KEY,
        /** The signature does not verify with the issuer's key. */
        BAD_SIGNATURE,
        /** The token's {@code exp} has passed (beyond the allowed clock skew). */
        EXPIRED,
        /** The token's {@code nbf} lies in the future (beyond the allowed clock skew). */
        NOT_YET_VALID,
        /** The token's {@code aud} or {@code azp} is not one this service accepts. */
        WRONG_AUDIENCE,
        /** The token is valid but yields no subject with the issuer's subject templates. */
        NO_SUBJECTS,
        /** The issuer's keys could not be fetched: not the token's fault, try again later (503). */
        KEYS_UNAVAILABLE
    }

    private final Reason reason;
    private final String tokenIssuer;

    public TokenRejectedException(Reason reason, String message) {
        this(reason, message, null);
    }

    public TokenRejectedException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, null);
    }

    private TokenRejectedException(Reason reason, String message, Throwable cause, String tokenIssuer) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.tokenIssuer = tokenIssuer;
    }

    /** {@link Reason#UNKNOWN_ISSUER} for a token whose {@code iss} is {@code tokenIssuer}. */
    public static TokenRejectedException unknownIssuer(String tokenIssuer, String message) {
        return new TokenRejectedException(Reason.UNKNOWN_ISSUER, message, null, tokenIssuer);
    }

    /** The token's {@code iss}, where it matters for the reason ({@link Reason#UNKNOWN_ISSUER}); else null. */
    public String tokenIssuer() {
        return tokenIssuer;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the service, not the token, is at fault (the issuer's keys are unreachable). */
    public boolean isServiceFault() {
        return reason == Reason.KEYS_UNAVAILABLE;
    }
}
