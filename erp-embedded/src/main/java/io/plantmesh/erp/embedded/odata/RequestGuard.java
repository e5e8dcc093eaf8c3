package io.plantmesh.erp.embedded.odata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Basic authentication against the ERP's technical user (SAP's communication user) and SAP Gateway's CSRF token
 * check, as route handlers: {@link #authenticate} puts the user into the context under {@value #USER}; {@link #csrf}
 * hands out tokens on {@code x-csrf-token: Fetch} and refuses modifying requests without a valid one.
 */
public final class RequestGuard {

    /** Routing-context key of the authenticated user name. */
    public static final String USER = "plantmesh.erp.user";
    /** The CSRF header, as SAP names it. */
    public static final String CSRF_HEADER = "x-csrf-token";

    private static final Set<HttpMethod> MODIFYING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
        HttpMethod.DELETE, HttpMethod.valueOf("MERGE"));

    private final String user;
    private final byte[] password;
    private final CsrfTokens tokens;
    private final boolean csrfProtection;

    public RequestGuard(String user, String password, CsrfTokens tokens, boolean csrfProtection) {
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password").getBytes(StandardCharsets.UTF_8);
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.csrfProtection = csrfProtection;
    }

    /** Checks {@code Authorization: Basic ...}; answers 401 with {@code WWW-Authenticate} if it is missing or wrong. */
    public void authenticate(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
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
