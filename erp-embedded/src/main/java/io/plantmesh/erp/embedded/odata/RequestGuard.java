package io.plantmesh.erp.embedded.odata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.plantmesh.security.oidc.BearerToken;
import io.plantmesh.security.oidc.TokenRejectedException;
import io.plantmesh.security.oidc.VerifiedToken;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Basic authentication against the ERP's technical user (SAP's communication user), or OpenID Connect access tokens
 * with realm roles when {@link ErpTokenAccess} is configured, and SAP Gateway's CSRF token check, as route handlers:
 * {@link #authenticate} puts the user into the context under {@value #USER} (for a token: its
 * {@code preferred_username}, else {@code sub}); {@link #csrf} hands out tokens on {@code x-csrf-token: Fetch} and
 * refuses modifying requests without a valid one.
 */
public final class RequestGuard {

    /** Routing-context key of the authenticated user name. */
    public static final String USER = "plantmesh.erp.user";
    /** Routing-context key of the request's {@link VerifiedToken}, when it came with one. */
    public static final String TOKEN = "plantmesh.erp.token";
    /** The CSRF header, as SAP names it. */
    public static final String CSRF_HEADER = "x-csrf-token";

    private static final Set<HttpMethod> MODIFYING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
        HttpMethod.DELETE, HttpMethod.valueOf("MERGE"));

    private final String user;
    private final byte[] password;
    private final CsrfTokens tokens;
    private final boolean csrfProtection;
    private final ErpTokenAccess tokenAccess;

    public RequestGuard(String user, String password, CsrfTokens tokens, boolean csrfProtection) {
        this(user, password, tokens, csrfProtection, null);
    }

    /** @param tokenAccess access tokens and roles; null: the technical Basic user only (no issuer configured) */
    public RequestGuard(String user, String password, CsrfTokens tokens, boolean csrfProtection,
            ErpTokenAccess tokenAccess) {
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password").getBytes(StandardCharsets.UTF_8);
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.csrfProtection = csrfProtection;
        this.tokenAccess = tokenAccess;
    }

    /**
     * Checks {@code Authorization: Bearer ...} (when tokens are configured) or {@code Authorization: Basic ...};
     * answers 401 with {@code WWW-Authenticate} if credentials are missing or wrong, 403 if the token's roles do not
     * allow the request, 503 if the issuer's keys cannot be fetched.
     */
    public void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (tokenAccess != null) {
            if (BearerToken.isBearer(header)) {
                authenticateToken(ctx, BearerToken.of(header).orElse(""));
                return;
            }
            if (!tokenAccess.basicFallback()) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"PlantMesh embedded ERP\"");
                ctx.fail(new ODataError(401, "PLANTMESH/UNAUTHORIZED", "Authentication failed: send "
                    + "Authorization: Bearer with an access token of " + issuers() + "."));
                return;
            }
        }
        String name = basicUser(header);
        if (name == null) {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"PlantMesh embedded ERP\"");
            ctx.fail(new ODataError(401, "PLANTMESH/UNAUTHORIZED", "Authentication failed: send Authorization: Basic "
                + "with the ERP's user and password (ErpConfig user/password; PLANTMESH_ERP_USER and "
                + "PLANTMESH_ERP_PASSWORD)."));
            return;
        }
        ctx.put(USER, name);
        ctx.next();
    }

    private void authenticateToken(RoutingContext ctx, String token) {
        Set<String> allowed = ErpTokenAccess.allowedRoles(ctx.request().method(), ctx.request().path());
        CompletableFuture<VerifiedToken> verified = tokenAccess.verifier().verify(token);
        if (verified.isDone()) {
            decide(ctx, verified, allowed);
            return;
        }
        Context context = Vertx.currentContext();
        // the issuer's keys are being fetched: hold back a body not read yet (the body handler resumes it)
        boolean paused = !ctx.request().isEnded();
        if (paused) {
            ctx.request().pause();
        }
        verified.whenComplete((t, e) -> context.runOnContext(v -> {
            if (paused) {
                ctx.request().resume();
            }
            decide(ctx, verified, allowed);
        }));
    }

    private void decide(RoutingContext ctx, CompletableFuture<VerifiedToken> verified, Set<String> allowed) {
        VerifiedToken token;
        try {
            token = verified.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            boolean issuerDown = cause instanceof TokenRejectedException rejected && rejected.isServiceFault();
            if (issuerDown) {
                ctx.fail(new ODataError(503, "PLANTMESH/IDENTITY_UNAVAILABLE", cause.getMessage()));
                return;
            }
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"PlantMesh embedded ERP\", "
                + "error=\"invalid_token\"");
            ctx.fail(new ODataError(401, "PLANTMESH/UNAUTHORIZED", "Authentication failed: the access token was "
                + "refused: " + cause.getMessage()));
            return;
        }
        if (!token.hasAnyRole(allowed)) {
            ctx.fail(new ODataError(403, "PLANTMESH/FORBIDDEN", token.displayName() + " may not "
                + ctx.request().method() + " " + ctx.request().path() + ": it needs one of the roles "
                + allowed.stream().sorted().toList() + " and has " + token.roles().stream().sorted().toList()
                + ". Ask an administrator for one of these roles."));
            return;
        }
        ctx.put(USER, token.displayName());
        ctx.put(TOKEN, token);
        ctx.next();
    }

    private String issuers() {
        return tokenAccess.verifier().issuers().stream().map(i -> i.issuer().toString()).toList().toString();
    }

    private String basicUser(String header) {
        boolean basic = header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        if (!basic) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String name = decoded.substring(0, colon);
        byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        boolean matches = name.equals(user) & MessageDigest.isEqual(given, password);
        return matches ? name : null;
    }

    /**
     * Issues the user's token on {@code GET}/{@code HEAD} with {@code x-csrf-token: Fetch}; refuses a modifying
     * request whose token is missing or not the user's with 403, {@code x-csrf-token: Required} and the text
     * {@code CSRF token validation failed}, as SAP Gateway does.
     */
    public void csrf(RoutingContext ctx) {
        String name = ctx.get(USER);
        String sent = ctx.request().getHeader(CSRF_HEADER);
        HttpMethod method = ctx.request().method();
        boolean reading = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (reading && "fetch".equalsIgnoreCase(sent == null ? "" : sent.trim())) {
            ctx.response().putHeader(CSRF_HEADER, tokens.tokenFor(name));
        }
        boolean needsToken = csrfProtection && MODIFYING.contains(method);
        if (needsToken && !tokens.isValid(name, sent)) {
            ctx.response().setStatusCode(403)
                .putHeader(CSRF_HEADER, "Required")
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end("CSRF token validation failed");
            return;
        }
        ctx.next();
    }
}
