package io.plantmesh.twin.server.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationFailedException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationProviderUnavailableException;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayJwtIssuerNotSupportedException;
import org.eclipse.ditto.jwt.model.JwtInvalidException;

import io.plantmesh.security.oidc.AccessTokenVerifier;
import io.plantmesh.security.oidc.BearerToken;
import io.plantmesh.security.oidc.TokenRejectedException;
import io.plantmesh.security.oidc.VerifiedToken;

/**
 * OpenID Connect access tokens, as Ditto's gateway authenticates them with {@code openid-connect-issuers}
 * configured: the token from {@code Authorization: Bearer} (or, on the WebSocket handshake, from
 * {@code ?access_token=}), verified against its issuer's published keys, becomes the subjects of the issuer's
 * subject templates ({@code keycloak:<sub>}, {@code keycloak:<realm role>}). Errors are Ditto's: a token that is no
 * JWT at all is 400 {@code jwt:invalid}, a token of an issuer that is not configured 401
 * {@code gateway:jwt.issuer.notsupported}, every other refused token (expired, bad signature, unknown key, wrong
 * audience) 401 {@code gateway:authentication.failed} with "The JWT could not be verified." and the reason in the
 * description; unreachable issuer keys are 503 {@code gateway:authentication.provider.unavailable}.
 */
public final class JwtAuthenticator implements Authenticator {

    /** Ditto's query parameter for a token on the WebSocket handshake. */
    public static final String ACCESS_TOKEN_PARAMETER = "access_token";

    private final AccessTokenVerifier verifier;

    public JwtAuthenticator(AccessTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public boolean isApplicable(RequestCredentials request) {
        return BearerToken.isBearer(request.header("Authorization"))
                || request.queryParameter(ACCESS_TOKEN_PARAMETER) != null;
    }

    @Override
    public CompletionStage<Authentication> authenticate(RequestCredentials request) {
        String fromHeader = BearerToken.of(request.header("Authorization")).orElse(null);
        String fromParameter = request.queryParameter(ACCESS_TOKEN_PARAMETER);
        if (fromHeader != null && fromParameter != null) {
            return CompletableFuture.failedFuture(GatewayAuthenticationFailedException
                    .newBuilder("Multiple JWTs provided.")
                    .description("A JWT was provided both as a header and as query parameter. Only a single JWT is "
                            + "expected.")
                    .build());
        }
        return verify(fromHeader != null ? fromHeader : fromParameter);
    }

    /** Verifies a bare token, e.g. one a WebSocket session sends with {@code JWT-TOKEN?jwtToken=}. */
    public CompletionStage<Authentication> verify(String token) {
        return verifier.verify(token).handle((verified, error) -> {
            if (error != null) {
                throw toDitto(error);
            }
            return new Authentication(context(verified), verified);
        });
    }

    private static AuthorizationContext context(VerifiedToken token) {
        return AuthorizationModelFactory.newAuthContext(DittoAuthorizationContextType.JWT,
                token.subjects().stream().map(AuthorizationModelFactory::newAuthSubject).toList());
    }

    /** A refused token as the Ditto error its gateway would answer with. */
    static DittoRuntimeException toDitto(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof TokenRejectedException rejected)) {
            return GatewayAuthenticationProviderUnavailableException.newBuilder()
                    .message("The JWT could not be checked: " + cause)
                    .description("This is an error of the twin server; try again, and report it if it persists.")
                    .cause(cause)
                    .build();
        }
        return switch (rejected.reason()) {
            case MISSING -> GatewayAuthenticationFailedException.newBuilder("The JWT was missing.")
                    .description("Please provide a valid JWT in the 'Authorization' header prefixed with 'Bearer ' "
                            + "(or, for the WebSocket, as query parameter 'access_token').")
                    .build();
            case MALFORMED -> JwtInvalidException.newBuilder().description(rejected.getMessage()).build();
            case UNKNOWN_ISSUER -> GatewayJwtIssuerNotSupportedException
                    .newBuilder(String.valueOf(rejected.tokenIssuer()))
                    .description(rejected.getMessage())
                    .build();
            case KEYS_UNAVAILABLE -> GatewayAuthenticationProviderUnavailableException.newBuilder()
                    .message("The JWT could not be verified because the issuer's keys are not available.")
                    .description(rejected.getMessage())
                    .build();
            default -> GatewayAuthenticationFailedException.newBuilder("The JWT could not be verified.")
                    .description(rejected.getMessage())
                    .build();
        };
    }
}
