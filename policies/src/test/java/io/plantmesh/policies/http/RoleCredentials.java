package io.plantmesh.policies.http;

import java.net.http.HttpRequest;

/**
 * The one place that says how a request authenticates as a realm role. Today the twin server's pre-authentication
 * header stands in for a token; with Keycloak running, an implementation that adds {@code Authorization: Bearer
 * <access token>} (password grant for the demo users, client credentials for the service accounts) replaces it and
 * the matrix walk stays as it is.
 */
public interface RoleCredentials {

    /** Adds the credentials of someone holding exactly this realm role to the request. */
    void authenticate(HttpRequest.Builder request, String role);

    /** For test reports, e.g. "pre-authenticated keycloak:<role>". */
    String describe();
}
