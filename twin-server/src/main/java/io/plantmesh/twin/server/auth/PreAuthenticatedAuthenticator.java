package io.plantmesh.twin.server.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationFailedException;

/**
 * Ditto's pre-authentication: a trusted proxy in front of the server authenticates the caller and passes the subjects
 * in the header {@code x-ditto-pre-authenticated} (comma-separated {@code issuer:subject}). Only enable it when
 * nothing but that proxy can reach the server.
 */
public final class PreAuthenticatedAuthenticator implements Authenticator {

    public static final String HEADER = "x-ditto-pre-authenticated";

    @Override
    public boolean isApplicable(RequestCredentials request) {
        return request.header(HEADER) != null;
    }

    @Override
    public CompletionStage<Authentication> authenticate(RequestCredentials request) {
        try {
            return CompletableFuture.completedFuture(Authentication.of(check(request.header(HEADER))));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static AuthorizationContext check(String value) {
        List<AuthorizationSubject> subjects = new ArrayList<>();
        for (String part : value.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            if (s.indexOf(':') <= 0) {
                throw GatewayAuthenticationFailedException.newBuilder(
                                "The pre-authenticated subject '" + s + "' is not of the form issuer:subject.")
                        .build();
            }
            subjects.add(AuthorizationModelFactory.newAuthSubject(s));
        }
        if (subjects.isEmpty()) {
            throw GatewayAuthenticationFailedException.newBuilder("The header " + HEADER + " names no subject.").build();
        }
        return AuthorizationModelFactory.newAuthContext(DittoAuthorizationContextType.PRE_AUTHENTICATED_HTTP, subjects);
    }
}
