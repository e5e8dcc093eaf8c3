package io.plantmesh.security.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A stand-in OpenID Connect provider for tests, shaped like a Keycloak realm: it signs access tokens with its own RSA
 * (or EC) keys and serves, on 127.0.0.1 with a random free port, the discovery document
 * ({@code /realms/test/.well-known/openid-configuration}), the key set ({@code .../protocol/openid-connect/certs}) and
 * a token endpoint ({@code .../protocol/openid-connect/token}) for the client credentials and password grants of the
 * clients and users registered with it. Tokens carry {@code realm_access.roles} as Keycloak's do. Close it after the
 * test.
 */
public final class TestIssuer implements AutoCloseable {

    public static final String REALM_PATH = "/realms/test";

    private final Vertx vertx;
    private final HttpServer server;
    private final URI issuer;
    private final List<JWK> published = new ArrayList<>();
    private final Map<String, Principal> clients = new ConcurrentHashMap<>();
    private final Map<String, Principal> users = new ConcurrentHashMap<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicInteger discoveryRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile JWK signingKey;
    private volatile Duration tokenLifetime = Duration.ofMinutes(5);
    private volatile boolean available = true;

    private record Principal(String secret, String subject, List<String> roles) {
    }

    private TestIssuer(Vertx vertx, HttpServer server, JWK key) {
        this.vertx = vertx;
        this.server = server;
        this.issuer = URI.create("http://127.0.0.1:" + server.actualPort() + REALM_PATH);
        this.signingKey = key;
        published.add(key.toPublicJWK());
    }

    /** Starts an issuer that signs with a fresh 2048-bit RSA key (key id {@code rsa-1}). */
    public static TestIssuer start() {
        return start(newRsaKey("rsa-1"));
    }

    /** Starts an issuer that signs with this private key. */
    public static TestIssuer start(JWK key) {
        Vertx vertx = Vertx.vertx();
        TestIssuer[] self = new TestIssuer[1];
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> self[0].handle(request))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            self[0] = new TestIssuer(vertx, server, key);
            return self[0];
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("The test issuer could not start: " + e, e);
        }
    }

    public static RSAKey newRsaKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey newEcKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer URL tokens carry in {@code iss}. */
    public URI issuer() {
        return issuer;
    }

    public URI jwksUri() {
        return URI.create(issuer + "/protocol/openid-connect/certs");
    }

    public URI tokenEndpoint() {
        return URI.create(issuer + "/protocol/openid-connect/token");
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    public int discoveryRequests() {
        return discoveryRequests.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** Lifetime of the tokens the token endpoint issues (default 5 minutes). */
    public TestIssuer tokenLifetime(Duration value) {
        tokenLifetime = value;
        return this;
    }

    /** While false, every endpoint answers 503 (an issuer that is down). */
    public void available(boolean value) {
        available = value;
    }

    /** Registers a confidential client whose service account has these realm roles. */
    public TestIssuer client(String clientId, String secret, String... roles) {
        clients.put(clientId, new Principal(secret, "service-account-" + clientId, List.of(roles)));
        return this;
    }

    /** Registers a user (for the password grant) with these realm roles; the subject is {@code user-<name>}. */
    public TestIssuer user(String name, String password, String... roles) {
        users.put(name, new Principal(password, "user-" + name, List.of(roles)));
        return this;
    }

    /**
     * Key rotation as Keycloak does it: a new key signs from now on and is published; the old one stays published
     * unless {@code dropOld}.
     */
    public synchronized void rotate(JWK newKey, boolean dropOld) {
        if (dropOld) {
            published.clear();
        }
        published.add(newKey.toPublicJWK());
        signingKey = newKey;
    }

    /** A token builder for subject {@code sub} with these realm roles, valid for 5 minutes. */
    public Token token(String sub, String... roles) {
        return new Token(sub, List.of(roles));
    }

    /** Builds and signs one access token; every claim can be bent for negative tests. */
    public final class Token {

        private final Map<String, Object> claims = new LinkedHashMap<>();
        private JWK key = signingKey;
        private String kid;
        private boolean kidSet;
        private JWSAlgorithm algorithm;
        private byte[] hmacSecret;

        private Token(String sub, List<String> roles) {
            Instant now = Instant.now();
            claims.put("iss", issuer.toString());
            claims.put("sub", sub);
            claims.put("iat", now.getEpochSecond());
            claims.put("exp", now.plus(Duration.ofMinutes(5)).getEpochSecond());
            claims.put("azp", "plantmesh-ui");
            claims.put("aud", "account");
            claims.put("preferred_username", sub);
            claims.put("realm_access", Map.of("roles", roles));
        }

        public Token issuer(String value) {
            claims.put("iss", value);
            return this;
        }

        public Token expiresAt(Instant value) {
            claims.put("exp", value.getEpochSecond());
            return this;
        }

        public Token expiresIn(Duration value) {
            return expiresAt(Instant.now().plus(value));
        }

        public Token notBefore(Instant value) {
            claims.put("nbf", value.getEpochSecond());
            return this;
        }

        public Token audience(String... value) {
            claims.put("aud", value.length == 1 ? value[0] : List.of(value));
            return this;
        }

        public Token authorizedParty(String value) {
            claims.put("azp", value);
            return this;
        }

        public Token claim(String name, Object value) {
            if (value == null) {
                claims.remove(name);
            } else {
                claims.put(name, value);
            }
            return this;
        }

        /** Signs with this key instead of the issuer's (keeps the key's own kid unless {@link #kid} is set). */
        public Token signedWith(JWK value) {
            key = value;
            return this;
        }

        /** The {@code kid} header; null leaves it out. */
        public Token kid(String value) {
            kid = value;
            kidSet = true;
            return this;
        }

        /** Signs with HMAC-SHA256 and this secret instead (a token no published key can verify). */
        public Token hmac(byte[] secret) {
            algorithm = JWSAlgorithm.HS256;
            hmacSecret = secret;
            return this;
        }

        public String sign() {
            try {
                JWSSigner signer;
                JWSAlgorithm alg;
                if (hmacSecret != null) {
                    signer = new MACSigner(hmacSecret);
                    alg = algorithm;
                } else if (key instanceof RSAKey rsa) {
                    signer = new RSASSASigner(rsa);
                    alg = JWSAlgorithm.RS256;
                } else {
                    signer = new ECDSASigner((ECKey) key);
                    alg = JWSAlgorithm.ES256;
                }
                String headerKid = kidSet ? kid : key.getKeyID();
                JWSHeader header = new JWSHeader.Builder(alg).keyID(headerKid).type(JOSEObjectType.JWT).build();
                JWTClaimsSet set = JWTClaimsSet.parse(claims);
                SignedJWT jwt = new SignedJWT(header, set);
                jwt.sign(signer);
                return jwt.serialize();
            } catch (JOSEException | java.text.ParseException e) {
                throw new IllegalStateException("Could not sign a test token: " + e, e);
            }
        }
    }

    // ------------------------------------------------------------------ HTTP

    private void handle(HttpServerRequest request) {
        if (!available) {
            request.response().setStatusCode(503).end("down for the test");
            return;
        }
        String path = request.path();
        if (path.equals(REALM_PATH + "/.well-known/openid-configuration")) {
            discoveryRequests.incrementAndGet();
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("issuer", issuer.toString());
            doc.put("jwks_uri", jwksUri().toString());
            doc.put("token_endpoint", tokenEndpoint().toString());
            json(request, 200, doc);
        } else if (path.equals(REALM_PATH + "/protocol/openid-connect/certs")) {
            jwksRequests.incrementAndGet();
            JWKSet set;
            synchronized (this) {
                set = new JWKSet(List.copyOf(published));
            }
            json(request, 200, set.toJSONObject(true));
        } else if (path.equals(REALM_PATH + "/protocol/openid-connect/token")
                && request.method().name().equals("POST")) {
            request.body().onSuccess(body -> tokenResponse(request, body.toString(StandardCharsets.UTF_8)));
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private void tokenResponse(HttpServerRequest request, String body) {
        tokenRequests.incrementAndGet();
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        String clientId = form.get("client_id");
        String clientSecret = null;
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            clientId = decode(pair.substring(0, colon));
            clientSecret = decode(pair.substring(colon + 1));
        }
        Principal principal;
        if ("client_credentials".equals(form.get("grant_type"))) {
            Principal client = clientId == null ? null : clients.get(clientId);
            if (client == null || !client.secret().equals(clientSecret)) {
                error(request, 401, "invalid_client", "Invalid client or Invalid client credentials");
                return;
            }
            principal = client;
        } else if ("password".equals(form.get("grant_type"))) {
            Principal user = users.get(form.getOrDefault("username", ""));
            if (user == null || !user.secret().equals(form.get("password"))) {
                error(request, 401, "invalid_grant", "Invalid user credentials");
                return;
            }
            principal = user;
        } else {
            error(request, 400, "unsupported_grant_type", "Unsupported grant_type");
            return;
        }
        Duration lifetime = tokenLifetime;
        String token = new Token(principal.subject(), principal.roles()).authorizedParty(clientId)
                .expiresIn(lifetime).sign();
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", token);
        response.put("expires_in", lifetime.toSeconds());
        response.put("token_type", "Bearer");
        response.put("scope", "profile email");
        json(request, 200, response);
    }

    private static void error(HttpServerRequest request, int status, String error, String description) {
        json(request, status, Map.of("error", error, "error_description", description));
    }

    private static void json(HttpServerRequest request, int status, Map<String, Object> body) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(JSONObjectUtils.toJSONString(body));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** A fresh random subject id, as Keycloak uses UUIDs. */
    public static String newSubject() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
    }
}
