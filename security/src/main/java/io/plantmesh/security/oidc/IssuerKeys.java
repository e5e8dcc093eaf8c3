package io.plantmesh.security.oidc;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * The signing keys one issuer publishes (its JWKS), fetched on first use from the configured JWKS URL or the
 * {@code jwks_uri} of the issuer's discovery document, and kept. A token signed with a key id the cached set does
 * not hold makes the set be fetched again (the issuer may have rotated its key), at most once per
 * {@link VerifierSettings#keysMinRefetchInterval()}; a set older than {@link VerifierSettings#keysMaxAge()} is
 * refreshed in the background while it keeps serving; after a failed fetch the next try waits for the same
 * interval. Concurrent callers share one fetch. Thread-safe; never blocks:
 * the future completes at once when the key is cached, otherwise on the HTTP client's threads.
 */
final class IssuerKeys {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

    private final OidcIssuer issuer;
    private final OidcHttp http;
    private final VerifierSettings settings;
    private final Clock clock;

    // guarded by this
    private JWKSet keys;
    private Instant fetchedAt;
    private Instant lastAttempt;
    private Instant lastMissRefetch;
    private Throwable lastFailure;
    private URI discoveredJwksUri;
    private CompletableFuture<JWKSet> inFlight;

    IssuerKeys(OidcIssuer issuer, OidcHttp http, VerifierSettings settings, Clock clock) {
        this.issuer = issuer;
        this.http = http;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The key that verifies a token with this header; fails with {@link TokenRejectedException} ({@code UNKNOWN_KEY}
     * or {@code KEYS_UNAVAILABLE}).
     */
    CompletableFuture<JWK> key(JWSHeader header) {
        synchronized (this) {
            Instant now = clock.instant();
            if (keys != null) {
                JWK found = select(keys, header);
                boolean stale = fetchedAt.plus(settings.keysMaxAge()).isBefore(now);
                if (found != null) {
                    if (stale && mayFetch(now)) {
                        refresh(now); // the cached key serves meanwhile
                    }
                    return CompletableFuture.completedFuture(found);
                }
                // an unknown key id: the issuer may have rotated its key; ask again, but not for every made-up kid
                boolean mayRefetch = inFlight != null || lastMissRefetch == null
                        || !now.isBefore(lastMissRefetch.plus(settings.keysMinRefetchInterval()));
                if (mayRefetch) {
                    if (inFlight == null) {
                        lastMissRefetch = now;
                    }
                    return refresh(now).thenApply(set -> selectOrThrow(set, header));
                }
                return CompletableFuture.failedFuture(unknownKey(header, keys));
            }
            if (inFlight == null && !mayFetch(now)) {
                return CompletableFuture.failedFuture(unavailable(lastFailure));
            }
            return refresh(now).thenApply(set -> selectOrThrow(set, header));
        }
    }

    private boolean mayFetch(Instant now) {
        return inFlight != null || lastAttempt == null
                || !now.isBefore(lastAttempt.plus(settings.keysMinRefetchInterval()));
    }

    /** Starts a fetch, or joins the one under way. Called with the lock held. */
    private CompletableFuture<JWKSet> refresh(Instant now) {
        if (inFlight != null) {
            return inFlight;
        }
        lastAttempt = now;
        CompletableFuture<JWKSet> fetch = new CompletableFuture<>();
        inFlight = fetch;
        fetchKeySet().whenComplete((set, error) -> {
            synchronized (this) {
                if (inFlight == fetch) {
                    inFlight = null;
                }
                if (error == null) {
                    keys = set;
                    fetchedAt = clock.instant();
                    lastFailure = null;
                } else {
                    lastFailure = unwrap(error);
                }
            }
            if (error == null) {
                LOG.info("Fetched {} signing key(s) {} of OpenID Connect issuer {}", set.getKeys().size(),
                        set.getKeys().stream().map(JWK::getKeyID).toList(), issuer.issuer());
                fetch.complete(set);
            } else {
                LOG.warn("Could not fetch the signing keys of OpenID Connect issuer {}: {}", issuer.issuer(),
                        unwrap(error).getMessage());
                fetch.completeExceptionally(unavailable(unwrap(error)));
            }
        });
        return fetch;
    }

    private CompletableFuture<JWKSet> fetchKeySet() {
        CompletableFuture<URI> jwksUri;
        synchronized (this) {
            URI known = issuer.jwksUri() != null ? issuer.jwksUri() : discoveredJwksUri;
            jwksUri = known != null ? CompletableFuture.completedFuture(known) : discoverJwksUri();
        }
        return jwksUri.thenCompose(uri -> http.getText(uri).thenApply(body -> parse(uri, body)));
    }

    private CompletableFuture<URI> discoverJwksUri() {
        URI discovery = issuer.discoveryUri();
        return http.getJson(discovery).thenApply(document -> {
            Object announced = document.get("issuer");
            if (announced instanceof String s && !issuer.issued(s)) {
                LOG.warn("The discovery document {} announces issuer '{}', but PlantMesh is configured with '{}'; "
                        + "tokens must carry the configured one in 'iss'", discovery, s, issuer.issuer());
            }
            Object jwks = document.get("jwks_uri");
            if (!(jwks instanceof String s) || s.isBlank()) {
                throw new IllegalStateException("The discovery document " + discovery + " has no 'jwks_uri'.");
            }
            URI uri = URI.create(s);
            synchronized (this) {
                discoveredJwksUri = uri;
            }
            return uri;
        });
    }

    private static JWKSet parse(URI uri, String body) {
        Map<String, Object> json = OidcHttp.parseObject(uri, body);
        try {
            return JWKSet.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException(uri + " is no JSON Web Key Set: " + e.getMessage(), e);
        }
    }

    private JWK selectOrThrow(JWKSet set, JWSHeader header) {
        JWK found = select(set, header);
        if (found == null) {
            throw unknownKey(header, set);
        }
        return found;
    }

    /** The key for the header's {@code kid}; without a {@code kid}, the only signing key that fits. */
    private static JWK select(JWKSet set, JWSHeader header) {
        String kid = header.getKeyID();
        List<JWK> candidates = set.getKeys().stream()
                .filter(k -> kid == null || kid.equals(k.getKeyID()))
                .filter(k -> fits(k, header.getAlgorithm()))
                .toList();
        if (kid != null) {
            return candidates.isEmpty() ? null : candidates.get(0);
        }
        return candidates.size() == 1 ? candidates.get(0) : null;
    }

    private static boolean fits(JWK key, JWSAlgorithm algorithm) {
        boolean forSigning = key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse());
        boolean sameAlgorithm = key.getAlgorithm() == null || key.getAlgorithm().getName().equals(algorithm.getName());
        KeyType type = JWSAlgorithm.Family.RSA.contains(algorithm) ? KeyType.RSA
                : JWSAlgorithm.Family.EC.contains(algorithm) ? KeyType.EC : null;
        return forSigning && sameAlgorithm && type != null && type.equals(key.getKeyType());
    }

    private TokenRejectedException unknownKey(JWSHeader header, JWKSet set) {
        String kid = header.getKeyID();
        String which = kid == null ? "The token names no key id ('kid') and the issuer publishes "
                + set.getKeys().size() + " keys, so the key cannot be chosen"
                : "The issuer " + issuer.issuer() + " publishes no " + header.getAlgorithm() + " signing key with id '"
                        + kid + "' (it publishes " + set.getKeys().stream().map(JWK::getKeyID).toList() + ")";
        return new TokenRejectedException(TokenRejectedException.Reason.UNKNOWN_KEY, which
                + ". Get a new token from the issuer; the keys are fetched again at most every "
                + settings.keysMinRefetchInterval().toSeconds() + " s.");
    }

    private TokenRejectedException unavailable(Throwable cause) {
        String why = cause == null ? "unknown error" : cause.getMessage();
        return new TokenRejectedException(TokenRejectedException.Reason.KEYS_UNAVAILABLE,
                "The signing keys of OpenID Connect issuer " + issuer.issuer() + " could not be fetched (" + why
                        + "). Check that the issuer is running and reachable from this service, then retry.",
                cause);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
