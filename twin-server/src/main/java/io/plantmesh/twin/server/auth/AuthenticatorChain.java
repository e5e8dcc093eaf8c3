package io.plantmesh.twin.server.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationFailedException;

/**
 * Tries each authenticator in order; the first one that recognises the request's credentials decides. A request that
 * none of them recognises is refused with Ditto's 401 {@code gateway:authentication.failed} "Unauthorized.".
 */
public final class AuthenticatorChain {

    private final List<Authenticator> authenticators;

    public AuthenticatorChain(List<Authenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    /**
     * Authenticates or fails with a {@link org.eclipse.ditto.base.model.exceptions.DittoRuntimeException} (401, or 503
     * when an issuer's keys cannot be fetched). Completes at once unless a token's keys must be fetched.
     */
    public CompletionStage<Authentication> authenticate(RequestCredentials request) {
        for (Authenticator authenticator : authenticators) {
            if (authenticator.isApplicable(request)) {
                try {
                    return authenticator.authenticate(request);
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        }
        return CompletableFuture.failedFuture(GatewayAuthenticationFailedException.newBuilder("Unauthorized.")
                .description("The request carries no credentials. Send " + accepted() + ".")
                .build());
    }

    /** The OpenID Connect authenticator, if tokens are configured. */
    public Optional<JwtAuthenticator> tokens() {
        return authenticators.stream().filter(JwtAuthenticator.class::isInstance).map(JwtAuthenticator.class::cast)
                .findFirst();
    }

    public boolean acceptsBasic() {
        return authenticators.stream().anyMatch(BasicAuthenticator.class::isInstance);
    }

    /** The credentials this server accepts, for messages. */
    private String accepted() {
        List<String> kinds = new ArrayList<>();
        if (tokens().isPresent()) {
            kinds.add("an OpenID Connect access token (Authorization: Bearer <token>)");
        }
        if (acceptsBasic()) {
            kinds.add("HTTP basic credentials (Authorization: Basic ...)");
        }
        if (authenticators.stream().anyMatch(PreAuthenticatedAuthenticator.class::isInstance)) {
            kinds.add("the header " + PreAuthenticatedAuthenticator.HEADER + " (through the trusted proxy)");
        }
        return kinds.isEmpty() ? "credentials (none are configured on this server)" : String.join(" or ", kinds);
    }
}
