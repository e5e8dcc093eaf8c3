package io.plantmesh.twin.server.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;

import io.plantmesh.security.oidc.VerifiedToken;

/**
 * An authenticated requester: its Ditto authorization context and, if it authenticated with an OpenID Connect access
 * token, that token (a WebSocket session ends when it expires unless the client sends a fresh one).
 *
 * @param context the requester's subjects, default subject first
 * @param token the verified access token; null for basic or pre-authentication
 */
public record Authentication(AuthorizationContext context, VerifiedToken token) {

    public Authentication {
        Objects.requireNonNull(context, "context");
    }

    public static Authentication of(AuthorizationContext context) {
        return new Authentication(context, null);
    }

    public Optional<VerifiedToken> verifiedToken() {
        return Optional.ofNullable(token);
    }

    /** When the credentials stop being valid; empty for credentials that do not expire. */
    public Optional<Instant> expiresAt() {
        return verifiedToken().map(VerifiedToken::expiresAt);
    }
}
