package io.plantmesh.twin.server.auth;

import java.util.Optional;
import java.util.function.Function;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;

/**
 * Turns a request's credentials into Ditto authorization subjects ({@code issuer:subject}). One implementation per
 * kind of credential; OpenID Connect tokens plug in here without touching the rest of the server.
 */
public interface Authenticator {

    /**
     * @param header looks up a request header by name (case-insensitive), null if absent
     * @return the authorization context, or empty if the request carries no credentials of this kind
     * @throws org.eclipse.ditto.base.model.exceptions.DittoRuntimeException (401) if credentials of this kind are
     *         present but wrong
     */
    Optional<AuthorizationContext> authenticate(Function<String, String> header);
}
