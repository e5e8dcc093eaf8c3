package io.plantmesh.webui;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * What the web UI server runs with: where it listens, the APIs it proxies for the page, and what the page is told in
 * {@code config.json}.
 *
 * @param host address the server binds
 * @param port port; 0 picks a free one
 * @param twinApi base of Eclipse Ditto's HTTP API v2, e.g. {@code http://127.0.0.1:8080/api/2} (required)
 * @param mesApi base of the MES API, e.g. {@code http://127.0.0.1:28200/api/mes/v1}; null when no MES runs
 * @param erpApi base of the ERP's OData services, e.g. {@code http://127.0.0.1:28300/sap/opu/odata/sap/}; null when
 *     no ERP runs
 * @param twinLogin the basic-auth login the page uses on the twin API while security is off; null for none
 * @param erpLogin the basic-auth login the page uses on the ERP's OData API while security is off; null for none
 * @param identityProvider the OpenID Connect provider (Keycloak) the page signs users in with; null: the page uses the
 *     development logins instead
 * @param namespaces the namespaces of the plant the page shows live, e.g. {@code plant1}
 * @param mesLogin the basic-auth login the page uses on the MES API when that requires one and the page has no
 *     identity provider; null for none
 */
public record WebUiConfig(String host, int port, URI twinApi, URI mesApi, URI erpApi, BasicLogin twinLogin,
        BasicLogin erpLogin, IdentityProvider identityProvider, List<String> namespaces, BasicLogin mesLogin) {

    /** The port {@code plantmesh up} serves the page on unless told otherwise. */
    public static final int DEFAULT_PORT = 28100;

    public WebUiConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(twinApi, "twinApi");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the web UI port must be 0..65535, was " + port);
        }
        requireHttp("twin API", twinApi);
        if (mesApi != null) {
            requireHttp("MES API", mesApi);
        }
        if (erpApi != null) {
            requireHttp("ERP API", erpApi);
        }
        namespaces = namespaces == null || namespaces.isEmpty() ? List.of("plant1") : List.copyOf(namespaces);
    }

    /**
     * 127.0.0.1 on the default port, the given twin API, no MES or ERP, the development user ditto/ditto, no
     * identity provider, namespace {@code plant1}.
     */
    public static WebUiConfig defaults(final URI twinApi) {
        return new WebUiConfig("127.0.0.1", DEFAULT_PORT, twinApi, null, null, new BasicLogin("ditto", "ditto"), null,
                null, List.of("plant1"), null);
    }

    public WebUiConfig withListen(final String bindHost, final int bindPort) {
        return new WebUiConfig(bindHost, bindPort, twinApi, mesApi, erpApi, twinLogin, erpLogin, identityProvider,
                namespaces, mesLogin);
    }

    public WebUiConfig withMesApi(final URI uri) {
        return new WebUiConfig(host, port, twinApi, uri, erpApi, twinLogin, erpLogin, identityProvider,
                namespaces, mesLogin);
    }

    /** The ERP's OData base and the login the page uses on it. */
    public WebUiConfig withErpApi(final URI uri, final BasicLogin login) {
        return new WebUiConfig(host, port, twinApi, mesApi, uri, twinLogin, login, identityProvider,
                namespaces, mesLogin);
    }

    /** The login the page uses on the MES API (null: none, the MES API is open). */
    public WebUiConfig withMesLogin(final BasicLogin login) {
        return new WebUiConfig(host, port, twinApi, mesApi, erpApi, twinLogin, erpLogin, identityProvider, namespaces,
                login);
    }

    public WebUiConfig withTwinLogin(final BasicLogin login) {
        return new WebUiConfig(host, port, twinApi, mesApi, erpApi, login, erpLogin, identityProvider,
                namespaces, mesLogin);
    }

    public WebUiConfig withIdentityProvider(final IdentityProvider provider) {
        return new WebUiConfig(host, port, twinApi, mesApi, erpApi, twinLogin, erpLogin, provider,
                namespaces, mesLogin);
    }

    public WebUiConfig withNamespaces(final List<String> plantNamespaces) {
        return new WebUiConfig(host, port, twinApi, mesApi, erpApi, twinLogin, erpLogin, identityProvider,
                plantNamespaces, mesLogin);
    }

    private static void requireHttp(final String what, final URI uri) {
        final boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
        if (!http || uri.getHost() == null) {
            throw new IllegalArgumentException("the " + what + " base must be an absolute http(s) URL such as"
                    + " http://127.0.0.1:8080/api/2, was " + uri);
        }
    }

    /**
     * A basic-auth login the page sends while security is off (the embedded footprint's development users). It is
     * given to the browser in {@code config.json}, so it must never be a real user's password.
     */
    public record BasicLogin(String user, String password) {
        public BasicLogin {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }
    }

    /**
     * The OpenID Connect provider (Keycloak) the page signs users in with: issuer URL and the page's public client id
     * (authorization code with PKCE S256). The issuer must list the page's origin among the client's redirect URIs
     * and web origins.
     */
    public record IdentityProvider(URI issuer, String clientId) {
        public IdentityProvider {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(clientId, "clientId");
            final boolean http = "http".equalsIgnoreCase(issuer.getScheme())
                    || "https".equalsIgnoreCase(issuer.getScheme());
            if (!http || issuer.getHost() == null) {
                throw new IllegalArgumentException("the identity provider's issuer must be an absolute http(s) URL"
                        + " such as http://127.0.0.1:28180/realms/plantmesh, was " + issuer);
            }
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("the web UI's OpenID Connect client id is empty: give the public"
                        + " client of the realm, e.g. plantmesh-ui");
            }
        }
    }
}
