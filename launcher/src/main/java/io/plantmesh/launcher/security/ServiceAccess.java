package io.plantmesh.launcher.security;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.plantmesh.identity.secrets.ClientSecrets;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.security.client.TokenClientConfig;
import io.plantmesh.security.oidc.AccessTokenVerifier;
import io.plantmesh.security.oidc.OidcIssuer;

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
    private final ClientSecrets secrets;
    private final AccessTokenVerifier verifier;
    private final Map<String, TokenClient> clients = new ConcurrentHashMap<>();

    private ServiceAccess(String devUser, String devPassword, OidcIssuer issuer, ClientSecrets secrets) {
        this.devUser = Objects.requireNonNull(devUser, "devUser");
        this.devPassword = Objects.requireNonNull(devPassword, "devPassword");
        this.issuer = issuer;
        this.secrets = secrets;
        this.verifier = issuer == null ? null : AccessTokenVerifier.create(List.of(issuer));
    }

    /** No tokens: services use the development user, APIs are open or take their Basic users. */
    public static ServiceAccess development(String devUser, String devPassword) {
        return new ServiceAccess(devUser, devPassword, null, null);
    }

    /**
     * Tokens of {@code issuer} for everything; the development user stays for what still needs it (provisioning, the
     * web UI until it logs in with Keycloak).
     *
     * @param secrets the service clients' secrets of this installation
     */
    public static ServiceAccess tokens(URI issuer, ClientSecrets secrets, String devUser, String devPassword) {
        return new ServiceAccess(devUser, devPassword, OidcIssuer.keycloak(ISSUER_PREFIX, issuer),
                Objects.requireNonNull(secrets, "secrets"));
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
        return Optional.of(clients.computeIfAbsent(clientId, id -> TokenClient.create(
                TokenClientConfig.clientCredentials(TokenClientConfig.keycloakTokenEndpoint(issuer.issuer()), id,
                        secrets.secretOf(id)))));
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
