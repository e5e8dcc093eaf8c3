package io.plantmesh.policies.http;

import java.net.http.HttpRequest;

import io.plantmesh.policies.PlantRoles;

/**
 * Authenticates as a role with the twin server's pre-authentication header ({@code x-ditto-pre-authenticated}),
 * carrying the subjects a Keycloak token of a user with that one realm role becomes: the user's own subject and the
 * role's, plus Keycloak's default roles, which no policy names.
 */
public final class PreAuthenticatedRoles implements RoleCredentials {

    public static final String HEADER = "x-ditto-pre-authenticated";

    @Override
    public void authenticate(final HttpRequest.Builder request, final String role) {
        request.header(HEADER, String.join(",", "keycloak:0b5e1c7a-user-with-" + role, PlantRoles.subject(role),
                "keycloak:default-roles-plantmesh", "keycloak:offline_access"));
    }

    @Override
    public String describe() {
        return "pre-authenticated subjects keycloak:<user>, keycloak:<role>";
    }
}
