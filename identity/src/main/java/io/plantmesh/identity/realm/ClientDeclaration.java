package io.plantmesh.identity.realm;

import java.util.List;
import java.util.Objects;

/**
 * An OpenID Connect client as declared.
 *
 * @param clientId client id, e.g. {@code plantmesh-mes-bridge}
 * @param name display name
 * @param kind public (UI, command line) or service account (confidential, client credentials)
 * @param standardFlow authorization code flow allowed (public clients)
 * @param pkce PKCE method required for the authorization code flow ({@code S256}), or null for none
 * @param directAccessGrants password grant allowed (the command line)
 * @param redirectUris valid redirect URIs (placeholders already expanded)
 * @param webOrigins allowed CORS origins
 * @param serviceAccountRoles realm roles of the service account: exactly these (service accounts only)
 */
public record ClientDeclaration(String clientId, String name, ClientKind kind, boolean standardFlow, String pkce,
        boolean directAccessGrants, List<String> redirectUris, List<String> webOrigins,
        List<String> serviceAccountRoles) {

    public ClientDeclaration {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(kind, "kind of client " + clientId);
        name = name == null ? clientId : name;
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        webOrigins = webOrigins == null ? List.of() : List.copyOf(webOrigins);
        serviceAccountRoles = serviceAccountRoles == null ? List.of() : List.copyOf(serviceAccountRoles);
        if (kind == ClientKind.SERVICE_ACCOUNT && (standardFlow || directAccessGrants || !redirectUris.isEmpty())) {
            throw new IllegalArgumentException("service-account client " + clientId + " may only use client"
                    + " credentials: no standardFlow, directAccessGrants or redirectUris");
        }
        if (kind == ClientKind.PUBLIC && !serviceAccountRoles.isEmpty()) {
            throw new IllegalArgumentException("public client " + clientId + " cannot have serviceAccountRoles");
        }
    }

    public boolean isServiceAccount() {
        return kind == ClientKind.SERVICE_ACCOUNT;
    }
}
