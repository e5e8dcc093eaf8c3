package io.plantmesh.security.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link TokenClient} asks the token endpoint for. Build it with {@link #clientCredentials} (services: bridges,
 * ingestion, the gateway) or {@link #password} (the command line, with the public client).
 *
 * @param tokenEndpoint the issuer's token endpoint, e.g.
 *        {@code http://127.0.0.1:8180/realms/plantmesh/protocol/openid-connect/token}
 * @param clientId the OAuth client
 * @param clientSecret its secret (confidential clients, sent as HTTP basic authentication); null for a public client
 * @param username the resource owner for the password grant; null for client credentials
 * @param password the resource owner's password; null for client credentials
 * @param scopes requested scopes, none by default
 * @param renewBefore renew a token when less than this of its life is left (default 30 s; at most half its life)
 */
public record TokenClientConfig(URI tokenEndpoint, String clientId, String clientSecret, String username,
        String password, List<String> scopes, Duration renewBefore) {

    public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofSeconds(30);

    public TokenClientConfig {
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        if (!tokenEndpoint.isAbsolute()) {
            throw new IllegalArgumentException("The token endpoint must be an absolute URL, got '" + tokenEndpoint
                    + "'.");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("A token client needs an OAuth client id.");
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("The password grant needs both a user name and a password.");
        }
        if (username == null && clientSecret == null) {
            throw new IllegalArgumentException("The client credentials grant needs the secret of client '" + clientId
                    + "' (a confidential client).");
        }
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        renewBefore = renewBefore == null ? DEFAULT_RENEW_BEFORE : renewBefore;
        if (renewBefore.isNegative()) {
            throw new IllegalArgumentException("renewBefore must not be negative, got " + renewBefore);
        }
    }

    /** OAuth 2.0 client credentials grant of a confidential client (a service account). */
    public static TokenClientConfig clientCredentials(URI tokenEndpoint, String clientId, String clientSecret) {
        Objects.requireNonNull(clientSecret, "clientSecret");
        return new TokenClientConfig(tokenEndpoint, clientId, clientSecret, null, null, List.of(),
                DEFAULT_RENEW_BEFORE);
    }

    /** OAuth 2.0 resource owner password grant (command line); {@code clientSecret} null for a public client. */
    public static TokenClientConfig password(URI tokenEndpoint, String clientId, String clientSecret, String username,
            String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return new TokenClientConfig(tokenEndpoint, clientId, clientSecret, username, password, List.of(),
                DEFAULT_RENEW_BEFORE);
    }

    /**
     * Keycloak's token endpoint of a realm: {@code <issuer>/protocol/openid-connect/token}, where the issuer is
     * {@code http(s)://host:port/realms/<realm>}. For other providers read {@code token_endpoint} from the discovery
     * document ({@link TokenClient#discoverTokenEndpoint}).
     */
    public static URI keycloakTokenEndpoint(URI issuer) {
        String base = issuer.toString().endsWith("/") ? issuer.toString() : issuer + "/";
        return URI.create(base + "protocol/openid-connect/token");
    }

    public boolean isPasswordGrant() {
        return username != null;
    }

    public String grantType() {
        return isPasswordGrant() ? "password" : "client_credentials";
    }

    public TokenClientConfig withScopes(List<String> value) {
        return new TokenClientConfig(tokenEndpoint, clientId, clientSecret, username, password, value, renewBefore);
    }

    public TokenClientConfig withRenewBefore(Duration value) {
        return new TokenClientConfig(tokenEndpoint, clientId, clientSecret, username, password, scopes, value);
    }

    /** Leaves the secrets out. */
    @Override
    public String toString() {
        return "TokenClientConfig[" + grantType() + " at " + tokenEndpoint + ", client " + clientId
                + (username == null ? "" : ", user " + username) + "]";
    }
}
