package io.plantmesh.security.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTParser;

import io.plantmesh.security.oidc.OidcHttp;

/**
 * Obtains access tokens from an OAuth 2.0 token endpoint (client credentials, or the password grant for the command
 * line) and keeps the current one: {@link #token()} answers from it while it is fresh and fetches a new one when less
 * than {@link TokenClientConfig#renewBefore()} of its life is left, so callers never hold an expired token. Safe to
 * share between threads: concurrent callers share one request; if a renewal fails while the current token is still
 * valid, that token is returned (and the next call tries again).
 */
public final class TokenClient {

    private static final Logger LOG = LoggerFactory.getLogger(TokenClient.class);
    /** Used when a token response gives neither a JWT with {@code exp} nor {@code expires_in}. */
    private static final Duration ASSUMED_LIFETIME = Duration.ofSeconds(60);

    private final TokenClientConfig config;
    private final OidcHttp http;
    private final Clock clock;

    // guarded by this
    private AccessToken current;
    private CompletableFuture<AccessToken> inFlight;

    private TokenClient(TokenClientConfig config, OidcHttp http, Clock clock) {
        this.config = config;
        this.http = http;
        this.clock = clock;
    }

    /** A client over the JDK's HTTP client (10 s timeout) and the system clock. */
    public static TokenClient create(TokenClientConfig config) {
        return create(config, OidcHttp.withDefaults(Duration.ofSeconds(10)), Clock.systemUTC());
    }

    /** @param http whose SSL context decides which CAs are trusted for an https token endpoint */
    public static TokenClient create(TokenClientConfig config, OidcHttp http, Clock clock) {
        return new TokenClient(Objects.requireNonNull(config, "config"), Objects.requireNonNull(http, "http"),
                Objects.requireNonNull(clock, "clock"));
    }

    /** The {@code token_endpoint} of an issuer's discovery document ({@code <issuer>/.well-known/...}). */
    public static CompletableFuture<URI> discoverTokenEndpoint(URI issuer, OidcHttp http) {
        String base = issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/";
        URI discovery = URI.create(base + ".well-known/openid-configuration");
        return http.getJson(discovery).thenApply(document -> {
            Object endpoint = document.get("token_endpoint");
            if (!(endpoint instanceof String s) || s.isBlank()) {
                throw new TokenClientException("The discovery document " + discovery + " names no token_endpoint.");
            }
            return URI.create(s);
        });
    }

    public TokenClientConfig config() {
        return config;
    }

    /**
     * A fresh token; blocks while one is requested (at most the HTTP timeout plus a second). Do not call it on an event
     * loop; use {@link #tokenAsync()} there.
     *
     * @throws TokenClientException if none can be obtained and the current one (if any) has expired
     */
    public AccessToken token() {
        return token(Duration.ZERO);
    }

    /**
     * A fresh token that stays valid for at least {@code minValidity} (if the issuer's tokens live that long), e.g.
     * for a client that sends it on only shortly before the current one expires; blocks like {@link #token()}.
     */
    public AccessToken token(Duration minValidity) {
        try {
            return tokenAsync(minValidity).get(http.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TokenClientException tce) {
                throw tce;
            }
            throw new TokenClientException(describe() + " failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new TokenClientException(describe() + " got no answer within " + http.timeout().toSeconds()
                    + " s. Check that the identity provider runs and is reachable.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenClientException("Interrupted while waiting for " + describe(), e);
        }
    }

    /** A fresh token without blocking; see {@link #token()}. */
    public CompletableFuture<AccessToken> tokenAsync() {
        return tokenAsync(Duration.ZERO);
    }

    /** A fresh token valid for at least {@code minValidity}, without blocking; see {@link #token(Duration)}. */
    public CompletableFuture<AccessToken> tokenAsync(Duration minValidity) {
        synchronized (this) {
            Instant now = clock.instant();
            AccessToken held = current;
            boolean fresh = held != null && !held.needsRenewal(now, config.renewBefore())
                    && !held.expiresAt().isBefore(now.plus(minValidity));
            if (fresh) {
                return CompletableFuture.completedFuture(held);
            }
            if (inFlight == null) {
                CompletableFuture<AccessToken> fetch = new CompletableFuture<>();
                inFlight = fetch;
                request().whenComplete((token, error) -> {
                    synchronized (this) {
                        if (inFlight == fetch) {
                            inFlight = null;
                        }
                        if (token != null) {
                            current = token;
                        }
                    }
                    if (error != null) {
                        fetch.completeExceptionally(unwrap(error));
                    } else {
                        LOG.debug("{}: new token, expires at {}", describe(), token.expiresAt());
                        fetch.complete(token);
                    }
                });
            }
            CompletableFuture<AccessToken> renewal = inFlight;
            if (held == null || held.isExpired(now)) {
                return renewal;
            }
            return renewal.exceptionally(error -> {
                if (held.isExpired(clock.instant())) {
                    throw error instanceof CompletionException ce ? ce : new CompletionException(error);
                }
                LOG.warn("{}: renewal failed ({}); the current token stays in use until {}", describe(),
                        unwrap(error).getMessage(), held.expiresAt());
                return held;
            });
        }
    }

    /** Forgets the current token, e.g. after a service refused it; the next call requests a new one. */
    public void invalidate() {
        synchronized (this) {
            current = null;
        }
    }

    private CompletableFuture<AccessToken> request() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", config.grantType());
        if (config.isPasswordGrant()) {
            form.put("username", config.username());
            form.put("password", config.password());
        }
        if (!config.scopes().isEmpty()) {
            form.put("scope", String.join(" ", config.scopes()));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(config.tokenEndpoint())
                .timeout(http.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (config.clientSecret() != null) {
            // client_secret_basic (RFC 6749 2.3.1): id and secret form-encoded, then Base64
            String pair = encode(config.clientId()) + ":" + encode(config.clientSecret());
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.put("client_id", config.clientId());
        }
        String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        Instant sentAt = clock.instant();
        HttpClient client = http.client();
        return client
                .sendAsync(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .handle((response, error) -> {
                    if (error != null) {
                        throw new TokenClientException(describe() + " failed: " + unwrap(error)
                                + ". Check that the identity provider runs and is reachable.", unwrap(error));
                    }
                    return parse(response, sentAt);
                });
    }

    private AccessToken parse(HttpResponse<String> response, Instant sentAt) {
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(response.body());
        } catch (ParseException e) {
            throw new TokenClientException(describe() + " got status " + response.statusCode()
                    + " with a body that is no JSON object (" + OidcHttp.abbreviate(response.body()) + "). Is "
                    + config.tokenEndpoint() + " the issuer's token endpoint, and is the identity provider up?", e);
        }
        if (response.statusCode() != 200) {
            throw new TokenClientException(describe() + " was refused with status " + response.statusCode() + ": "
                    + json.getOrDefault("error", "no error code") + " ("
                    + json.getOrDefault("error_description", "no description") + "). Check the client id and "
                    + (config.isPasswordGrant() ? "the user name and password" : "secret")
                    + ", and that the client may use the " + config.grantType() + " grant.");
        }
        Object value = json.get("access_token");
        if (!(value instanceof String token) || token.isBlank()) {
            throw new TokenClientException(describe() + " got a response without access_token.");
        }
        return new AccessToken(token, sentAt, expiry(token, json.get("expires_in"), sentAt));
    }

    /** The JWT's {@code exp}, else {@code expires_in} after sending, else a minute. */
    private static Instant expiry(String token, Object expiresIn, Instant sentAt) {
        try {
            var exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            if (exp != null) {
                return exp.toInstant();
            }
        } catch (ParseException e) {
            // an opaque token: rely on expires_in
        }
        if (expiresIn instanceof Number seconds) {
            return sentAt.plusSeconds(seconds.longValue());
        }
        return sentAt.plus(ASSUMED_LIFETIME);
    }

    private String describe() {
        return "The " + config.grantType() + " token request of client '" + config.clientId() + "'"
                + (config.isPasswordGrant() ? " for user '" + config.username() + "'" : "") + " to "
                + config.tokenEndpoint();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
