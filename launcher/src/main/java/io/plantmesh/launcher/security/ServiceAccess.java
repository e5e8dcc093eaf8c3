package io.plantmesh.launcher.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.plantmesh.identity.secrets.ClientSecrets;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.security.client.TokenClientConfig;
import io.plantmesh.security.oidc.AccessTokenVerifier;
import io.plantmesh.security.oidc.OidcHttp;
import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.security.oidc.VerifierSettings;
import io.plantmesh.tls.ClientTrust;

/**
 * How the embedded footprint's own services authenticate and how its APIs check their callers. With tokens (Keycloak
 * runs): each service gets tokens of its service-account client by client credentials with this installation's
 * generated secret ({@link #tokenClient}; one shared, self-renewing client per service account), and the MES API and
 * the embedded ERP verify tokens of the issuer ({@link #verifier}). Without ({@code --no-keycloak}, development only):
 * every service uses the twin server's development user, the MES API is open and the ERP takes its Basic user.
 */
public final class ServiceAccess {

    /** Subject prefix of the issuer, as in Ditto's gateway configuration: subjects {@code keycloak:<...>}. */
    public static final String ISSUER_PREFIX = "keycloak";

    private final String devUser;
    private final String devPassword;
    private final OidcIssuer issuer;
    private final Function<String, String> secretOf;
    private final OidcHttp http;
    private final AccessTokenVerifier verifier;
    private final Map<String, TokenClient> clients = new ConcurrentHashMap<>();

    private ServiceAccess(String devUser, String devPassword, OidcIssuer issuer, Function<String, String> secretOf,
            OidcHttp http) {
        this.devUser = Objects.requireNonNull(devUser, "devUser");
        this.devPassword = Objects.requireNonNull(devPassword, "devPassword");
        this.issuer = issuer;
        this.secretOf = secretOf;
        this.http = http;
        if (issuer == null) {
            this.verifier = null;
        } else if (http == null) {
            this.verifier = AccessTokenVerifier.create(List.of(issuer));
        } else {
            this.verifier = AccessTokenVerifier.create(List.of(issuer), VerifierSettings.defaults(), http,
                    Clock.systemUTC());
        }
    }

    /** No tokens: services use the development user, APIs are open or take their Basic users. */
    public static ServiceAccess development(String devUser, String devPassword) {
        return new ServiceAccess(devUser, devPassword, null, null, null);
    }

    /**
     * Tokens of {@code issuer} for everything; the development user stays for what still needs it (provisioning, the
     * web UI until it logs in with Keycloak).
     *
     * @param secrets the service clients' secrets of this installation
     */
    public static ServiceAccess tokens(URI issuer, ClientSecrets secrets, String devUser, String devPassword) {
        return new ServiceAccess(devUser, devPassword, OidcIssuer.keycloak(ISSUER_PREFIX, issuer),
                Objects.requireNonNull(secrets, "secrets")::secretOf, null);
    }

    /**
     * Tokens of {@code issuer} for one service process on a cluster ({@code plantmesh service}): the secrets of the
     * service clients this process uses, and the CAs an {@code https} issuer is verified with.
     *
     * @param secretsByClientId client id to secret, e.g. {@code plantmesh-maintenance} to the mounted Secret's value
     * @param trust the CAs for the issuer's token endpoint and keys; null: the JVM's default trust store
     */
    public static ServiceAccess tokens(URI issuer, Map<String, String> secretsByClientId, ClientTrust trust,
            String devUser, String devPassword) {
        Map<String, String> secrets = Map.copyOf(secretsByClientId);
        Function<String, String> secretOf = id -> {
            String secret = secrets.get(id);
            if (secret == null) {
                throw new IllegalArgumentException("No secret for client " + id + " in this service's settings;"
                        + " known clients: " + String.join(", ", secrets.keySet()) + ". Set oauth.client.id and"
                        + " oauth.client.secret.file.");
            }
            return secret;
        };
        OidcHttp http = trust == null ? null : new OidcHttp(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL)
                .sslContext(trust.sslContext()).build(), Duration.ofSeconds(10));
        return new ServiceAccess(devUser, devPassword, OidcIssuer.keycloak(ISSUER_PREFIX, issuer), secretOf, http);
    }

    /** The issuer the twin server, the MES API and the ERP trust: {@code keycloak:<sub>}, {@code keycloak:<role>}. */
    public static OidcIssuer issuerOf(URI issuer) {
        return OidcIssuer.keycloak(ISSUER_PREFIX, issuer);
    }

    public boolean usesTokens() {
        return issuer != null;
    }

    public Optional<OidcIssuer> issuer() {
        return Optional.ofNullable(issuer);
    }

    /** The verifier of the issuer's tokens (one for all APIs of this process, sharing its key cache). */
    public Optional<AccessTokenVerifier> verifier() {
        return Optional.ofNullable(verifier);
    }

    /**
     * The token client of a service account (e.g. {@code plantmesh-mes-bridge}), shared by every user of that account
     * in this process so that they share one token and its renewal; empty without tokens.
     *
     * @throws IllegalArgumentException if the installation has no secret for that client
     */
    public Optional<TokenClient> tokenClient(String clientId) {
        if (issuer == null) {
            return Optional.empty();
        }
        return Optional.of(clients.computeIfAbsent(clientId, id -> {
            TokenClientConfig config = TokenClientConfig.clientCredentials(
                    TokenClientConfig.keycloakTokenEndpoint(issuer.issuer()), id, secretOf.apply(id));
            return http == null ? TokenClient.create(config) : TokenClient.create(config, http, Clock.systemUTC());
        }));
    }

    /** The twin server's development user (basic auth), for what does not use tokens. */
    public String devUser() {
        return devUser;
    }

    public String devPassword() {
        return devPassword;
    }

    @Override
    public String toString() {
        return issuer == null ? "development user " + devUser + " (no tokens)" : "tokens of " + issuer.issuer();
    }
}
