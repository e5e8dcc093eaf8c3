package io.plantmesh.mes.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.plantmesh.security.oidc.AccessTokenVerifier;
import io.plantmesh.security.oidc.BearerToken;
import io.plantmesh.security.oidc.TokenRejectedException;
import io.plantmesh.security.oidc.VerifiedToken;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may use the MES API. {@link #open()} (no issuer configured) keeps the API open, as it was before tokens. With
 * {@link #tokens} every request except {@code GET /health} and {@code GET /openapi.yaml} needs
 * {@code Authorization: Bearer <access token>} of the configured issuer (401 otherwise) and one of the realm roles
 * of the rule table below (403 otherwise); the table is written down in docs/security.md ("Tokens"):
 * <ul>
 *   <li>reads ({@code GET}: schedules, work orders, B2MML views, metrics): {@link #READERS}</li>
 *   <li>order writes ({@code POST /work-orders} and its {@code hold|release|resume|cancel}):
 *       {@link #ORDER_WRITERS}</li>
 *   <li>maintenance windows ({@code POST /machines/{id}/maintenance-windows}): {@link #MAINTENANCE_PLANNERS}</li>
 * </ul>
 * The API writes the twins as the MES bridge's own account, so this check is what limits people to their roles.
 */
public final class MesApiAccess {

    /** Realm roles that may read the MES API. */
    public static final Set<String> READERS = Set.of("plant-viewer", "production-supervisor", "planner",
            "erp-finance", "it-admin", "svc-mes-bridge", "svc-maintenance");
    /** Realm roles that may create work orders and hold, release, resume or cancel them. */
    public static final Set<String> ORDER_WRITERS = Set.of("planner", "production-supervisor", "it-admin",
            "svc-mes-bridge");
    /** Realm roles that may plan a maintenance window on a machine. */
    public static final Set<String> MAINTENANCE_PLANNERS = Set.of("planner", "production-supervisor", "it-admin",
            "svc-mes-bridge", "svc-maintenance");
    /** Routing-context key of the request's {@link VerifiedToken} (absent when the API is open). */
    public static final String TOKEN_KEY = "plantmesh.mes.token";

    static final String AUTHENTICATION_FAILED = "mes:authentication.failed";
    static final String PERMISSION_DENIED = "mes:permission.denied";
    static final String ISSUER_UNAVAILABLE = "mes:authentication.unavailable";

    private static final List<String> PUBLIC_PATHS = List.of("/health", "/openapi.yaml");

    private final AccessTokenVerifier verifier;
    /** {@code Basic <base64 user:password>} of the development login, or null. */
    private final byte[] developmentLogin;
    private final String developmentUser;

    private MesApiAccess(final AccessTokenVerifier verifier, final String developmentUser,
            final byte[] developmentLogin) {
        this.verifier = verifier;
        this.developmentUser = developmentUser;
        this.developmentLogin = developmentLogin;
    }

    /** No tokens required (no issuer configured): today's behaviour of the embedded footprint. */
    public static MesApiAccess open() {
        return new MesApiAccess(null, null, null);
    }

    /** Tokens of the verifier's issuers required, with the rule table's roles. */
    public static MesApiAccess tokens(final AccessTokenVerifier verifier) {
        return new MesApiAccess(Objects.requireNonNull(verifier, "verifier"), null, null);
    }

    /**
     * Also accepts HTTP basic authentication of one development login, allowed everything (like {@code it-admin}),
     * beside tokens: the embedded footprint's development user ({@code ditto}/{@code ditto}, as on its twin server),
     * for the web UI until it logs in with Keycloak. Never for a production configuration.
     */
    public MesApiAccess withDevelopmentLogin(final String user, final String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        final String header = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        return new MesApiAccess(verifier, user, header.getBytes(StandardCharsets.UTF_8));
    }

    /** The development login's user name, if one is accepted. */
    public Optional<String> developmentUser() {
        return Optional.ofNullable(developmentUser);
    }

    public boolean requiresTokens() {
        return verifier != null;
    }

    @Override
    public String toString() {
        return verifier == null ? "open (no token issuer configured)"
                : "access tokens of " + verifier.issuers().stream().map(i -> i.issuer().toString()).toList()
                        + (developmentUser == null ? "" : " and the development login '" + developmentUser + "'");
    }

    /** The realm roles that may make this request; null if it needs no token. */
    static Set<String> allowedRoles(final HttpMethod method, final String path) {
        final String rest = path.startsWith(MesApi.BASE_PATH) ? path.substring(MesApi.BASE_PATH.length()) : path;
        if (method == HttpMethod.GET && PUBLIC_PATHS.contains(rest)) {
            return null;
        }
        final boolean orderWrite = method == HttpMethod.POST && rest.startsWith("/work-orders");
        final boolean maintenanceWrite = method == HttpMethod.POST && rest.startsWith("/machines/");
        return orderWrite ? ORDER_WRITERS : maintenanceWrite ? MAINTENANCE_PLANNERS : READERS;
    }

    /** Route handler in front of every MES API route. */
    void handle(final RoutingContext ctx) {
        final HttpServerRequest request = ctx.request();
        final Set<String> allowed = verifier == null ? null : allowedRoles(request.method(), request.path());
        if (allowed == null) {
            ctx.next();
            return;
        }
        final String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (isDevelopmentLogin(authorization)) {
            ctx.next();
            return;
        }
        if (!BearerToken.isBearer(authorization)) {
            refuse(ctx, new ApiError(401, AUTHENTICATION_FAILED, "The MES API requires an access token.",
                    "Send 'Authorization: Bearer <access token>' with a token of " + issuers() + " (for example "
                            + "from the token endpoint with the password grant of client plantmesh-ui)."));
            return;
        }
        final CompletableFuture<VerifiedToken> verified = verifier.verify(BearerToken.of(authorization).orElse(""));
        if (verified.isDone()) {
            decide(ctx, verified, allowed);
            return;
        }
        final Context context = Vertx.currentContext();
        // the issuer's keys are being fetched: hold back a body not read yet (the body handler resumes it)
        final boolean paused = !request.isEnded();
        if (paused) {
            request.pause();
        }
        verified.whenComplete((token, error) -> context.runOnContext(v -> {
            if (paused) {
                request.resume();
            }
            decide(ctx, verified, allowed);
        }));
    }

    private void decide(final RoutingContext ctx, final CompletableFuture<VerifiedToken> verified,
            final Set<String> allowed) {
        final VerifiedToken token;
        try {
            token = verified.join();
        } catch (final CompletionException e) {
            refuse(ctx, rejected(e.getCause()));
            return;
        }
        if (!token.hasAnyRole(allowed)) {
            refuse(ctx, new ApiError(403, PERMISSION_DENIED, token.displayName() + " may not "
                    + ctx.request().method() + " " + ctx.request().path() + ": it needs one of the roles "
                    + allowed.stream().sorted().toList() + " and has " + token.roles().stream().sorted().toList()
                    + ".", "Ask an administrator for one of these roles, or use an account that has one."));
            return;
        }
        ctx.put(TOKEN_KEY, token);
        ctx.next();
    }

    private boolean isDevelopmentLogin(final String authorization) {
        return developmentLogin != null && authorization != null && MessageDigest.isEqual(
                developmentLogin, authorization.getBytes(StandardCharsets.UTF_8));
    }

    private ApiError rejected(final Throwable error) {
        if (error instanceof TokenRejectedException rejected) {
            if (rejected.isServiceFault()) {
                return new ApiError(503, ISSUER_UNAVAILABLE, rejected.getMessage(),
                        "Try again once the identity provider is reachable.");
            }
            return new ApiError(401, AUTHENTICATION_FAILED, "The access token was refused: "
                    + rejected.getMessage(), "Send a valid, unexpired token of " + issuers() + ".");
        }
        return new ApiError(500, ApiError.INTERNAL, "The access token could not be checked: " + error,
                "This is a defect of the MES API; report it with the MES log.", error);
    }

    private static void refuse(final RoutingContext ctx, final ApiError error) {
        if (error.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"plantmesh\"");
        }
        MesApi.respondError(ctx, error);
    }

    private String issuers() {
        return verifier.issuers().size() == 1 ? verifier.issuers().get(0).issuer().toString()
                : verifier.issuers().stream().map(i -> i.issuer().toString()).toList().toString();
    }
}
