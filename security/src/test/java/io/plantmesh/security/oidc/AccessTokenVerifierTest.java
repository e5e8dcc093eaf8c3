package io.plantmesh.security.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.JWK;

import io.plantmesh.security.oidc.TokenRejectedException.Reason;
import io.plantmesh.security.testing.TestIssuer;

/** Access-token verification against a test issuer serving its keys from a Vert.x server on 127.0.0.1. */
class AccessTokenVerifierTest {

    private TestIssuer issuer;
    private AccessTokenVerifier verifier;

    @BeforeEach
    void start() {
        issuer = TestIssuer.start();
        verifier = verifier(OidcIssuer.keycloak("keycloak", issuer.issuer()), VerifierSettings.defaults());
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private static AccessTokenVerifier verifier(OidcIssuer config, VerifierSettings settings) {
        return AccessTokenVerifier.create(List.of(config), settings, OidcHttp.withDefaults(Duration.ofSeconds(5)),
                Clock.systemUTC());
    }

    @Test
    void aValidTokenGivesTheSubjectAndEveryRealmRoleUnderThePrefix() throws Exception {
        String token = issuer.token("4f1c-sub", "production-supervisor", "plant-viewer").sign();

        VerifiedToken verified = await(verifier.verify(token));

        assertThat(verified.subjects()).containsExactly("keycloak:4f1c-sub", "keycloak:production-supervisor",
                "keycloak:plant-viewer");
        assertThat(verified.roles()).containsExactlyInAnyOrder("production-supervisor", "plant-viewer");
        assertThat(verified.subject()).isEqualTo("4f1c-sub");
        assertThat(verified.expiresAt()).isAfter(Instant.now());
        assertThat(verified.hasAnyRole(List.of("planner", "plant-viewer"))).isTrue();
        assertThat(verified.hasAnyRole(List.of("it-admin"))).isFalse();
        assertThat(issuer.discoveryRequests()).as("keys found through the discovery document").isEqualTo(1);
    }

    @Test
    void keysAreFetchedOnceAndThenServedFromTheCache() throws Exception {
        for (int i = 0; i < 5; i++) {
            await(verifier.verify(issuer.token("user-" + i, "plant-viewer").sign()));
        }
        assertThat(issuer.jwksRequests()).isEqualTo(1);
        CompletableFuture<VerifiedToken> cached = verifier.verify(issuer.token("user-x").sign());
        assertThat(cached).as("complete on return when the key is cached").isDone();
    }

    @Test
    void anExpiredTokenIsRefusedBeyondTheClockSkew() {
        String expired = issuer.token("u1", "plant-viewer").expiresAt(Instant.now().minusSeconds(60)).sign();
        String withinSkew = issuer.token("u1", "plant-viewer").expiresAt(Instant.now().minusSeconds(5)).sign();

        assertRejected(verifier.verify(expired), Reason.EXPIRED, "expired at");
        assertThat(verifier.verify(withinSkew)).succeedsWithin(Duration.ofSeconds(5));
    }

    @Test
    void aTokenNotYetValidIsRefused() {
        String early = issuer.token("u1").notBefore(Instant.now().plusSeconds(300)).sign();
        assertRejected(verifier.verify(early), Reason.NOT_YET_VALID, "valid only from");
    }

    @Test
    void aTokenOfAnotherIssuerIsRefusedWithoutFetchingAnything() {
        String foreign = issuer.token("u1").issuer("http://127.0.0.1:1/realms/other").sign();

        assertRejected(verifier.verify(foreign), Reason.UNKNOWN_ISSUER, "http://127.0.0.1:1/realms/other");
        assertThat(issuer.jwksRequests() + issuer.discoveryRequests()).isZero();
    }

    @Test
    void aTokenSignedWithAnotherKeyUnderTheIssuersKeyIdHasABadSignature() {
        JWK impostor = TestIssuer.newRsaKey("rsa-1");
        String forged = issuer.token("u1", "it-admin").signedWith(impostor).sign();

        assertRejected(verifier.verify(forged), Reason.BAD_SIGNATURE, "does not verify");
    }

    @Test
    void aTamperedPayloadHasABadSignature() {
        String token = issuer.token("u1", "plant-viewer").sign();
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("plant-viewer", "it-admin");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertRejected(verifier.verify(tampered), Reason.BAD_SIGNATURE, "altered");
    }

    @Test
    void missingMalformedAndSymmetricTokensAreRefused() {
        assertRejected(verifier.verify(null), Reason.MISSING, "Authorization: Bearer");
        assertRejected(verifier.verify("  "), Reason.MISSING, "No access token");
        assertRejected(verifier.verify("not-a-jwt"), Reason.MALFORMED, "not a signed JWT");
        String hmac = issuer.token("u1", "it-admin").hmac("0123456789abcdef0123456789abcdef".getBytes(
                StandardCharsets.UTF_8)).sign();
        assertRejected(verifier.verify(hmac), Reason.UNSUPPORTED_ALGORITHM, "HS256");
    }

    @Test
    void anUnknownKeyIdMakesTheKeysBeFetchedAgainSoARotatedKeyIsAccepted() throws Exception {
        String beforeRotation = issuer.token("u1").sign();
        await(verifier.verify(beforeRotation));
        assertThat(issuer.jwksRequests()).isEqualTo(1);

        JWK rotated = TestIssuer.newRsaKey("rsa-2");
        issuer.rotate(rotated, false);
        VerifiedToken afterRotation = await(verifier.verify(issuer.token("u2", "planner").sign()));

        assertThat(afterRotation.subjects()).contains("keycloak:u2", "keycloak:planner");
        assertThat(issuer.jwksRequests()).isEqualTo(2);
        // tokens signed with the old key before the rotation stay valid while it is published
        assertThat(await(verifier.verify(beforeRotation)).subject()).isEqualTo("u1");
        assertThat(issuer.jwksRequests()).isEqualTo(2);
    }

    @Test
    void unknownKeyIdsRefetchAtMostOncePerInterval() throws Exception {
        await(verifier.verify(issuer.token("u1").sign()));
        JWK stranger = TestIssuer.newRsaKey("made-up");

        assertRejected(verifier.verify(issuer.token("u1").signedWith(stranger).sign()), Reason.UNKNOWN_KEY,
                "no RS256 signing key with id 'made-up'");
        for (int i = 0; i < 5; i++) {
            assertRejected(verifier.verify(issuer.token("u1").signedWith(stranger).kid("made-up-" + i).sign()),
                    Reason.UNKNOWN_KEY, "made-up-" + i);
        }
        assertThat(issuer.jwksRequests()).as("one fetch at start, one refetch for the first unknown kid").isEqualTo(2);
    }

    @Test
    void aRotationWithinTheRateLimitIsPickedUpOnceTheIntervalHasPassed() throws Exception {
        AccessTokenVerifier quick = verifier(OidcIssuer.keycloak("keycloak", issuer.issuer()),
                VerifierSettings.defaults().withKeysMinRefetchInterval(Duration.ofMillis(300)));
        await(quick.verify(issuer.token("u1").sign()));
        issuer.rotate(TestIssuer.newRsaKey("rsa-3"), true);
        String afterRotation = issuer.token("u1").sign();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> quick.verify(afterRotation).handle((ok, error) -> ok != null).join());
        assertThat(issuer.jwksRequests()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aTokenWithoutKeyIdUsesTheOnlyPublishedKey() throws Exception {
        assertThat(await(verifier.verify(issuer.token("u1").kid(null).sign())).subject()).isEqualTo("u1");
    }

    @Test
    void ecKeysWork() throws Exception {
        try (TestIssuer ec = TestIssuer.start(TestIssuer.newEcKey("ec-1"))) {
            AccessTokenVerifier ecVerifier = verifier(OidcIssuer.keycloak("kc", ec.issuer())
                    .withJwksUri(ec.jwksUri()), VerifierSettings.defaults());

            VerifiedToken verified = await(ecVerifier.verify(ec.token("u1", "planner").sign()));

            assertThat(verified.subjects()).containsExactly("kc:u1", "kc:planner");
            assertThat(ec.discoveryRequests()).as("a configured JWKS URL needs no discovery").isZero();
        }
    }

    @Test
    void audienceAndAuthorizedPartyAreCheckedWhenConfigured() throws Exception {
        AccessTokenVerifier strict = verifier(OidcIssuer.keycloak("keycloak", issuer.issuer())
                .withAudiences(Set.of("plantmesh-twins")).withAuthorizedParties(Set.of("plantmesh-ui",
                        "plantmesh-mes-bridge")), VerifierSettings.defaults());

        assertThat(await(strict.verify(issuer.token("u1").audience("account", "plantmesh-twins").sign())).subject())
                .isEqualTo("u1");
        assertRejected(strict.verify(issuer.token("u1").audience("account").sign()), Reason.WRONG_AUDIENCE,
                "plantmesh-twins");
        assertRejected(strict.verify(issuer.token("u1").audience("plantmesh-twins").authorizedParty("evil-app")
                .sign()), Reason.WRONG_AUDIENCE, "evil-app");
    }

    @Test
    void anUnreachableIssuerIsAServiceFaultNotATokenFault() {
        issuer.available(false);
        TokenRejectedException e = rejection(verifier.verify(issuer.token("u1").sign()));
        assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(e.isServiceFault()).isTrue();
        assertThat(e.getMessage()).contains(issuer.issuer().toString()).contains("reachable");
    }

    @Test
    void aTokenWithoutAnyResolvableSubjectIsRefused() {
        AccessTokenVerifier byEmail = verifier(OidcIssuer.keycloak("keycloak", issuer.issuer())
                .withSubjectTemplates(List.of("{{ jwt:email }}")), VerifierSettings.defaults());
        assertRejected(byEmail.verify(issuer.token("u1").sign()), Reason.NO_SUBJECTS, "{{ jwt:email }}");
    }

    @Test
    void twoIssuersMayNotShareAPrefix() {
        OidcIssuer a = OidcIssuer.keycloak("keycloak", issuer.issuer());
        OidcIssuer b = OidcIssuer.keycloak("keycloak", java.net.URI.create("http://127.0.0.1:2/realms/b"));
        assertThatThrownBy(() -> AccessTokenVerifier.create(List.of(a, b))).hasMessageContaining("'keycloak'");
    }

    @Test
    void claimsAreKeptForServices() throws Exception {
        VerifiedToken verified = await(verifier.verify(issuer.token("u1").claim("preferred_username", "supervisor")
                .sign()));
        assertThat(verified.displayName()).isEqualTo("supervisor");
        assertThat(verified.claims()).containsEntry("azp", "plantmesh-ui").containsKey("realm_access");
        assertThat(verified.claims().get("realm_access")).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) verified.claims().get("realm_access")).keySet()).extracting(Object::toString)
                .contains("roles");
    }

    private static VerifiedToken await(CompletableFuture<VerifiedToken> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    private static void assertRejected(CompletableFuture<VerifiedToken> future, Reason reason, String messagePart) {
        TokenRejectedException e = rejection(future);
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).contains(messagePart);
    }

    private static TokenRejectedException rejection(CompletableFuture<VerifiedToken> future) {
        try {
            VerifiedToken unexpected = future.get(10, TimeUnit.SECONDS);
            throw new AssertionError("The token was accepted: " + unexpected.subjects());
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TokenRejectedException.class);
            return (TokenRejectedException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
