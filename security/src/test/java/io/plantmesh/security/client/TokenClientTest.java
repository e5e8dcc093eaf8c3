package io.plantmesh.security.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.security.oidc.AccessTokenVerifier;
import io.plantmesh.security.oidc.OidcHttp;
import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.security.oidc.VerifiedToken;
import io.plantmesh.security.testing.TestIssuer;

/** The token client against the test issuer's token endpoint, with a clock the test moves. */
class TokenClientTest {

    private TestIssuer issuer;
    private MovableClock clock;

    @BeforeEach
    void start() {
        issuer = TestIssuer.start()
                .client("plantmesh-mes-bridge", "s3cret/+&=", "svc-mes-bridge")
                .user("supervisor", "supervisor", "production-supervisor");
        clock = new MovableClock(Instant.now());
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private TokenClient client(TokenClientConfig config) {
        return TokenClient.create(config, OidcHttp.withDefaults(Duration.ofSeconds(5)), clock);
    }

    @Test
    void clientCredentialsGiveAServiceAccountTokenThatVerifies() throws Exception {
        TokenClient client = client(TokenClientConfig.clientCredentials(issuer.tokenEndpoint(),
                "plantmesh-mes-bridge", "s3cret/+&="));

        AccessToken token = client.token();

        VerifiedToken verified = AccessTokenVerifier.create(List.of(OidcIssuer.keycloak("keycloak",
                issuer.issuer()))).verify(token.value()).get(10, TimeUnit.SECONDS);
        assertThat(verified.subjects()).containsExactly("keycloak:service-account-plantmesh-mes-bridge",
                "keycloak:svc-mes-bridge");
        assertThat(token.expiresAt()).isAfter(Instant.now().plusSeconds(200));
        assertThat(token.toString()).doesNotContain(token.value());
        assertThat(token.authorization()).isEqualTo("Bearer " + token.value());
    }

    @Test
    void theTokenIsReusedUntilItNeedsRenewalThenRenewed() {
        TokenClient client = client(TokenClientConfig.clientCredentials(issuer.tokenEndpoint(),
                "plantmesh-mes-bridge", "s3cret/+&="));
        AccessToken first = client.token();
        assertThat(client.token()).isSameAs(first);
        clock.set(first.expiresAt().minusSeconds(31));
        assertThat(client.token()).isSameAs(first);
        assertThat(issuer.tokenRequests()).isEqualTo(1);

        clock.set(first.expiresAt().minusSeconds(29));
        AccessToken renewed = client.token();

        assertThat(renewed).isNotSameAs(first);
        assertThat(issuer.tokenRequests()).isEqualTo(2);
    }

    @Test
    void shortLivedTokensAreRenewedAtHalfTheirLife() {
        issuer.tokenLifetime(Duration.ofSeconds(20));
        TokenClient client = client(TokenClientConfig.clientCredentials(issuer.tokenEndpoint(),
                "plantmesh-mes-bridge", "s3cret/+&="));
        AccessToken first = client.token();
        clock.set(first.obtainedAt().plusSeconds(5));
        assertThat(client.token()).isSameAs(first);
        clock.set(first.expiresAt().minusSeconds(9));
        assertThat(client.token()).isNotSameAs(first);
    }

    @Test
    void aCallerCanInsistOnATokenThatOutlivesItsOwnRefreshMargin() {
        issuer.tokenLifetime(Duration.ofSeconds(40));
        TokenClient client = client(TokenClientConfig.clientCredentials(issuer.tokenEndpoint(),
                "plantmesh-mes-bridge", "s3cret/+&="));
        AccessToken first = client.token();
        clock.set(first.expiresAt().minusSeconds(25));
        assertThat(client.token()).as("25 s left of 40: not yet due by the client's own rule").isSameAs(first);
        assertThat(client.token(Duration.ofSeconds(30))).isNotSameAs(first);
    }

    @Test
    void concurrentCallersShareOneRequest() throws Exception {
        TokenClient client = client(TokenClientConfig.clientCredentials(issuer.tokenEndpoint(),
                "plantmesh-mes-bridge", "s3cret/+&="));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<AccessToken>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(CompletableFuture.supplyAsync(client::token, pool));
            }
            AccessToken one = calls.get(0).get(10, TimeUnit.SECONDS);
            for (CompletableFuture<AccessToken> call : calls) {
                assertThat(call.get(10, TimeUnit.SECONDS).value()).isEqualTo(one.value());
            }
            assertThat(issuer.tokenRequests()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedRenewalKeepsTheValidTokenAndAnExpiredOneFails() {
        TokenClient client = client(TokenClientConfig.clientCredentials(issuer.tokenEndpoint(),
                "plantmesh-mes-bridge", "s3cret/+&="));
        AccessToken first = client.token();
        issuer.available(false);

        clock.set(first.expiresAt().minusSeconds(10));
        assertThat(client.token()).isSameAs(first);

        clock.set(first.expiresAt().plusSeconds(1));
        assertThatThrownBy(client::token).isInstanceOf(TokenClientException.class)
                .hasMessageContaining("client_credentials").hasMessageContaining(issuer.tokenEndpoint().toString());

        issuer.available(true);
        assertThat(client.token()).isNotSameAs(first);
    }

    @Test
    void wrongCredentialsAreReportedWithTheProvidersError() {
        TokenClient wrong = client(TokenClientConfig.clientCredentials(issuer.tokenEndpoint(),
                "plantmesh-mes-bridge", "guess"));
        assertThatThrownBy(wrong::token).isInstanceOf(TokenClientException.class)
                .hasMessageContaining("401").hasMessageContaining("invalid_client")
                .hasMessageContaining("plantmesh-mes-bridge").hasMessageContaining("Check the client id and secret");
    }

    @Test
    void thePasswordGrantOfThePublicClientForTheCommandLine() throws Exception {
        TokenClient cli = client(TokenClientConfig.password(issuer.tokenEndpoint(), "plantmesh-ui", null,
                "supervisor", "supervisor"));
        AccessToken token = cli.token();
        VerifiedToken verified = AccessTokenVerifier.create(List.of(OidcIssuer.keycloak("keycloak",
                issuer.issuer()))).verify(token.value()).get(10, TimeUnit.SECONDS);
        assertThat(verified.roles()).containsExactly("production-supervisor");

        TokenClient wrong = client(TokenClientConfig.password(issuer.tokenEndpoint(), "plantmesh-ui", null,
                "supervisor", "wrong"));
        assertThatThrownBy(wrong::token).hasMessageContaining("invalid_grant")
                .hasMessageContaining("user name and password");
    }

    @Test
    void theTokenEndpointCanBeDiscovered() throws Exception {
        assertThat(TokenClient.discoverTokenEndpoint(issuer.issuer(), OidcHttp.withDefaults(Duration.ofSeconds(5)))
                .get(10, TimeUnit.SECONDS)).isEqualTo(issuer.tokenEndpoint());
        assertThat(TokenClientConfig.keycloakTokenEndpoint(issuer.issuer())).isEqualTo(issuer.tokenEndpoint());
    }

    /** A clock the test sets. */
    static final class MovableClock extends Clock {

        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant value) {
            now = value;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
