package io.plantmesh.identity.realm;

/** The two kinds of OpenID Connect clients in the PlantMesh realm. */
public enum ClientKind {
    /** No secret: a browser application or command line (authorization code with PKCE, optionally password grant). */
    PUBLIC,
    /** Confidential, client credentials grant only; its service account holds the declared roles and nothing else. */
    SERVICE_ACCOUNT
}
