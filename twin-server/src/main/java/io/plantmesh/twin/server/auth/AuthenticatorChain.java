package io.plantmesh.twin.server.auth;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationFailedException;

/** Tries each authenticator in order; a request that none of them recognises is refused with 401. */
public final class AuthenticatorChain implements Authenticator {

    private final List<Authenticator> authenticators;

    public AuthenticatorChain(List<Authenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    @Override
    public Optional<AuthorizationContext> authenticate(Function<String, String> header) {
        for (Authenticator a : authenticators) {
            Optional<AuthorizationContext> ctx = a.authenticate(header);
            if (ctx.isPresent()) {
                return ctx;
            }
        }
        return Optional.empty();
    }

    /** Authenticates or throws Ditto's 401 {@code gateway:authentication.failed}. */
    public AuthorizationContext require(Function<String, String> header) {
        return authenticate(header).orElseThrow(() -> GatewayAuthenticationFailedException
                .newBuilder("The request carries no credentials.")
                .description("Send HTTP basic credentials (Authorization: Basic ...).")
                .build());
    }
}
