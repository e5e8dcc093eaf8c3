package io.plantmesh.twin.server.auth;

import java.util.concurrent.CompletionStage;

/**
 * Turns a request's credentials into Ditto authorization subjects ({@code issuer:subject}). One implementation per
 * kind of credential (basic, pre-authenticated, OpenID Connect token), tried in order by the
 * {@link AuthenticatorChain}, as Ditto's gateway chains its authentication providers.
 */
public interface Authenticator {

    /** Whether the request carries credentials of this kind. */
    boolean isApplicable(RequestCredentials request);

    /**
     * Authenticates a request this authenticator {@linkplain #isApplicable is applicable} to. The stage completes on
     * any thread (at once when no I/O is needed); it fails with a
     * {@link org.eclipse.ditto.base.model.exceptions.DittoRuntimeException} (401) if the credentials are wrong.
     */
    CompletionStage<Authentication> authenticate(RequestCredentials request);
}
