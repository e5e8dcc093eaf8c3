package io.plantmesh.policies.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.plantmesh.identity.realm.ClientDeclaration;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.identity.realm.RealmDeclaration;
import io.plantmesh.identity.realm.UserDeclaration;
import io.plantmesh.identity.testing.KeycloakTestServer;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.security.client.TokenClientConfig;

/**
 * Authenticates as a role with a real access token of the realm: a human role as the demo user holding it (password
 * grant through the public client {@code plantmesh-ui}), a service role as the service account holding it (client
 * credentials with its secret). One self-renewing token client per role, so a long walk outlives the tokens' 300 s.
 */
public final class KeycloakRoleTokens implements RoleCredentials {

    private final KeycloakTestServer keycloak;
    private final Map<String, TokenClient> clients = new ConcurrentHashMap<>();

    public KeycloakRoleTokens(final KeycloakTestServer keycloak) {
        this.keycloak = keycloak;
    }

    @Override
    public void authenticate(final HttpRequest.Builder request, final String role) {
        request.header("Authorization", clients.computeIfAbsent(role, this::client).token().authorization());
    }

    @Override
    public String describe() {
        return "Keycloak access tokens of " + keycloak.issuer() + " (demo users, service accounts)";
    }

    private TokenClient client(final String role) {
        final RealmDeclaration realm = keycloak.declaration();
        final URI endpoint = keycloak.tokenEndpoint();
        for (final UserDeclaration user : realm.users()) {
            if (user.realmRoles().equals(List.of(role))) {
                return TokenClient.create(TokenClientConfig.password(endpoint, PlantMeshRealm.UI_CLIENT, null,
                        user.username(), user.password()));
            }
        }
        for (final ClientDeclaration client : realm.serviceAccountClients()) {
            if (client.serviceAccountRoles().equals(List.of(role))) {
                return TokenClient.create(TokenClientConfig.clientCredentials(endpoint, client.clientId(),
                        keycloak.clientSecret(client.clientId())));
            }
        }
        throw new IllegalArgumentException("No demo user and no service account of the realm holds exactly the role "
                + role + "; the realm declares roles " + realm.roleNames());
    }
}
