package io.plantmesh.security.oidc;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.plantmesh.security.oidc.TokenRejectedException.Reason;
import io.plantmesh.security.subjects.SubjectMapping;
import io.plantmesh.security.subjects.SubjectTemplate;

/**
 * Verifies OpenID Connect access tokens (signed JWTs) of the configured issuers: the signature against the issuer's
 * published keys (RSA or EC; symmetric and unsigned tokens are refused), {@code iss}, {@code exp} and {@code nbf}
 * with the allowed clock skew, {@code aud} and {@code azp} where the issuer's configuration asks for them; then maps
 * the claims to Ditto subjects. Thread-safe and non-blocking: with the issuer's keys cached the future is complete on
 * return, otherwise it completes once the keys are fetched (on the HTTP client's threads); hop back to your own
 * thread or event loop before touching its state.
 */
public final class AccessTokenVerifier {

    private final List<Issuer> issuers;
    private final VerifierSettings settings;
    private final Clock clock;

    private AccessTokenVerifier(List<Issuer> issuers, VerifierSettings settings, Clock clock) {
        this.issuers = List.copyOf(issuers);
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A verifier for these issuers; their keys are fetched on first use.
     *
     * @param http the client for discovery documents and key sets (its SSL context decides which CAs are trusted)
     */
    public static AccessTokenVerifier create(List<OidcIssuer> issuers, VerifierSettings settings, OidcHttp http,
            Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(clock, "clock");
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("An access-token verifier needs at least one OpenID Connect issuer.");
        }
        Set<String> prefixes = new LinkedHashSet<>();
        List<Issuer> list = new ArrayList<>();
        for (OidcIssuer issuer : issuers) {
            if (!prefixes.add(issuer.prefix())) {
                throw new IllegalArgumentException("Two OpenID Connect issuers use the subject prefix '"
                        + issuer.prefix() + "'; give each issuer its own prefix.");
            }
            list.add(new Issuer(issuer, issuer.subjectMapping(), SubjectTemplate.parse("{{ jwt:" + issuer.rolesClaim()
                    + " }}"), new IssuerKeys(issuer, http, settings, clock)));
        }
        return new AccessTokenVerifier(list, settings, clock);
    }

    /** A verifier with default settings, the system clock and the JDK's HTTP client. */
    public static AccessTokenVerifier create(List<OidcIssuer> issuers) {
        VerifierSettings settings = VerifierSettings.defaults();
        return create(issuers, settings, OidcHttp.withDefaults(settings.httpTimeout()), Clock.systemUTC());
    }

    public List<OidcIssuer> issuers() {
        return issuers.stream().map(Issuer::config).toList();
    }

    /**
     * Verifies a token (the bare JWT, without {@code Bearer }). Fails with {@link TokenRejectedException}.
     */
    public CompletableFuture<VerifiedToken> verify(String token) {
        if (token == null || token.isBlank()) {
            return CompletableFuture.failedFuture(new TokenRejectedException(Reason.MISSING,
                    "No access token was sent. Send 'Authorization: Bearer <access token>' with a token of "
                            + issuerList() + "."));
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token.strip());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return CompletableFuture.failedFuture(new TokenRejectedException(Reason.MALFORMED,
                    "The access token is not a signed JWT (three Base64url parts: JSON header, JSON claims, "
                            + "signature): " + e.getMessage() + ". Send the access_token the issuer returned, "
                            + "unchanged.", e));
        }
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        boolean asymmetric = JWSAlgorithm.Family.RSA.contains(algorithm) || JWSAlgorithm.Family.EC.contains(algorithm);
        if (!asymmetric) {
            return CompletableFuture.failedFuture(new TokenRejectedException(Reason.UNSUPPORTED_ALGORITHM,
                    "The access token is signed with " + algorithm + "; only RSA and EC signatures that the "
                            + "issuer's published keys verify are accepted. Use a token of " + issuerList() + "."));
        }
        String iss = claims.getIssuer();
        Issuer issuer = issuers.stream().filter(i -> i.config().issued(iss)).findFirst().orElse(null);
        if (issuer == null) {
            return CompletableFuture.failedFuture(TokenRejectedException.unknownIssuer(iss,
                    "The access token was issued by '" + iss + "', which this service does not trust. Use a token "
                            + "of " + issuerList() + "."));
        }
        return issuer.keys().key(jwt.getHeader()).thenApply(key -> {
            verifySignature(jwt, key, issuer.config());
            return checkClaims(claims, issuer);
        });
    }

    private static void verifySignature(SignedJWT jwt, JWK key, OidcIssuer issuer) {
        boolean valid;
        try {
            JWSVerifier verifier = key instanceof RSAKey rsa ? new RSASSAVerifier(rsa)
                    : new ECDSAVerifier((ECKey) key);
            valid = jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            throw new TokenRejectedException(Reason.BAD_SIGNATURE, "The access token's signature could not be "
                    + "checked with key '" + key.getKeyID() + "' of " + issuer.issuer() + ": " + e.getMessage()
                    + ". Get a new token from the issuer.", e);
        }
        if (!valid) {
            throw new TokenRejectedException(Reason.BAD_SIGNATURE, "The access token's signature does not verify "
                    + "with key '" + key.getKeyID() + "' of " + issuer.issuer() + ": the token was altered or not "
                    + "signed by this issuer. Get a new token from the issuer.");
        }
    }

    private VerifiedToken checkClaims(JWTClaimsSet claims, Issuer issuer) {
        OidcIssuer config = issuer.config();
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null) {
            throw new TokenRejectedException(Reason.MALFORMED, "The access token has no expiry ('exp'); "
                    + config.issuer() + " must issue tokens that expire.");
        }
        Instant expiresAt = claims.getExpirationTime().toInstant();
        if (now.isAfter(expiresAt.plus(settings.clockSkew()))) {
            throw new TokenRejectedException(Reason.EXPIRED, "The access token expired at " + expiresAt
                    + ". Get a new token from " + config.issuer() + " (a token client renews it before expiry).");
        }
        if (claims.getNotBeforeTime() != null
                && now.plus(settings.clockSkew()).isBefore(claims.getNotBeforeTime().toInstant())) {
            throw new TokenRejectedException(Reason.NOT_YET_VALID, "The access token is valid only from "
                    + claims.getNotBeforeTime().toInstant() + ". Check the clocks of this host and of "
                    + config.issuer() + ".");
        }
        if (!config.audiences().isEmpty()) {
            List<String> audience = claims.getAudience();
            boolean forUs = audience.stream().anyMatch(config.audiences()::contains);
            if (!forUs) {
                throw new TokenRejectedException(Reason.WRONG_AUDIENCE, "The access token is meant for " + audience
                        + ", not for this service (" + config.audiences() + "). Request a token for this service "
                        + "(an audience mapper in the identity provider adds it to 'aud').");
            }
        }
        if (!config.authorizedParties().isEmpty()) {
            Object azp = claims.getClaim("azp");
            if (!(azp instanceof String party) || !config.authorizedParties().contains(party)) {
                throw new TokenRejectedException(Reason.WRONG_AUDIENCE, "The access token was issued to client '"
                        + azp + "', which may not call this service (allowed: " + config.authorizedParties()
                        + "). Use a token of an allowed client.");
            }
        }
        Map<String, Object> json = new LinkedHashMap<>(claims.toJSONObject());
        List<String> subjects = issuer.mapping().subjects(json);
        if (subjects.isEmpty()) {
            throw new TokenRejectedException(Reason.NO_SUBJECTS, "The access token yields no subject with the "
                    + "templates " + config.subjectTemplates() + " of issuer '" + config.prefix() + "'. Check the "
                    + "token's claims or the issuer's subject templates.");
        }
        Set<String> roles = new LinkedHashSet<>(issuer.roles().resolve(json));
        return new VerifiedToken(config, claims.getSubject(), expiresAt, subjects, roles, json);
    }

    private String issuerList() {
        return issuers.size() == 1 ? issuers.get(0).config().issuer().toString()
                : "one of " + issuers.stream().map(i -> i.config().issuer().toString()).toList();
    }

    private record Issuer(OidcIssuer config, SubjectMapping mapping, SubjectTemplate roles, IssuerKeys keys) {
    }
}
