package io.plantmesh.launcher.service;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.plantmesh.launcher.security.ServiceAccess;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.TlsConfigurationException;

/**
 * How one service process signs in and whom it trusts, from its {@link ServiceConfig}:
 * <ul>
 *   <li>{@code ditto.auth=basic} (default): Ditto's basic-auth user {@code ditto.user} (default {@code ditto}) with
 *   {@code ditto.password} (from the environment, {@code PLANTMESH_DITTO_PASSWORD});</li>
 *   <li>{@code ditto.auth=oauth}: OpenID Connect client credentials of the service's Keycloak client, as
 *   {@code ./plantmesh up} gives each service: {@code oauth.issuer} (e.g.
 *   {@code http://plantmesh-keycloak/realms/plantmesh}), {@code oauth.client.id} (default: the service's client of
 *   the realm as code, e.g. {@code plantmesh-maintenance}) and its secret from the file
 *   {@code oauth.client.secret.file} (a mounted Kubernetes Secret) or from {@code PLANTMESH_OAUTH_CLIENT_SECRET};
 *   APIs the process serves (MES API, ERP modules) then verify the issuer's tokens;</li>
 *   <li>{@code tls.ca.file}: a PEM file of the CAs {@code https}/{@code wss} peers (Ditto, Keycloak, the MES API,
 *   the ERP) are verified with; without it the JVM's default trust store.</li>
 * </ul>
 *
 * @param tokens whether the process uses tokens ({@code ditto.auth=oauth})
 * @param issuer the issuer (tokens only)
 * @param clientId the service's client (tokens, and only for services that call others)
 * @param trust the CAs, or null
 * @param dittoUser Ditto's basic-auth user (basic only; also the development user handed to {@link ServiceAccess})
 */
record ServiceAuth(boolean tokens, URI issuer, String clientId, String clientSecret, ClientTrust trust,
        String dittoUser, String dittoPassword) {

    /** Settings read here. */
    static final String AUTH = "ditto.auth";
    static final String ISSUER = "oauth.issuer";
    static final String CLIENT_ID = "oauth.client.id";
    static final String CLIENT_SECRET_FILE = "oauth.client.secret.file";
    static final String CLIENT_SECRET = "oauth.client.secret";
    static final String CA_FILE = "tls.ca.file";

    /**
     * Reads the settings.
     *
     * @param defaultClientId the service's Keycloak client, or null when it calls nothing with tokens (it may still
     *     verify them)
     * @param twins whether the service signs in to Ditto (basic: {@code ditto.password} is required)
     * @throws ServiceException naming the setting that is missing or wrong and what to set
     */
    static ServiceAuth from(final ServiceConfig config, final String defaultClientId, final boolean twins) {
        final String mode = config.get(AUTH, "basic").toLowerCase(Locale.ROOT);
        final ClientTrust trust = trust(config);
        final String user = config.get("ditto.user", "ditto");
        switch (mode) {
            case "basic" -> {
                final String password = twins ? config.require("ditto.password") : config.get("ditto.password", "");
                return new ServiceAuth(false, null, null, null, trust, user, password);
            }
            case "oauth" -> {
                final URI issuer = config.requireUri(ISSUER);
                if (defaultClientId == null) {
                    return new ServiceAuth(true, issuer, null, null, trust, user, "");
                }
                final String clientId = config.get(CLIENT_ID, defaultClientId);
                return new ServiceAuth(true, issuer, clientId, secret(config, clientId), trust, user, "");
            }
            default -> throw new ServiceException(AUTH + " (" + ServiceConfig.envName(AUTH) + ") is '" + mode
                    + "': use basic (Ditto's basic-auth user ditto.user with PLANTMESH_DITTO_PASSWORD) or oauth"
                    + " (Keycloak client credentials: oauth.issuer, oauth.client.id, oauth.client.secret.file).");
        }
    }

    /** The CAs of {@code tls.ca.file}, or null. */
    static ClientTrust trust(final ServiceConfig config) {
        final Optional<String> file = config.get(CA_FILE);
        if (file.isEmpty()) {
            return null;
        }
        try {
            return ClientTrust.fromPemFile(Path.of(file.get()));
        } catch (TlsConfigurationException | IllegalArgumentException e) {
            throw new ServiceException(CA_FILE + " (" + ServiceConfig.envName(CA_FILE) + ") names " + file.get()
                    + ", which is no readable PEM file of CA certificates: " + e.getMessage() + ". Point it at the"
                    + " CA that issued the servers' certificates (chart: the ca.crt of tls.caSecret), or unset it to"
                    + " use the JVM's default trust store.");
        }
    }

    private static String secret(final ServiceConfig config, final String clientId) {
        final Optional<String> file = config.get(CLIENT_SECRET_FILE);
        if (file.isPresent()) {
            final String secret;
            try {
                secret = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new ServiceException("Cannot read the secret of client " + clientId + " from " + file.get()
                        + " (" + CLIENT_SECRET_FILE + "): " + e + ". Mount the Secret holding it there (chart:"
                        + " security.oauthClientsSecret, key " + clientId + ") or set " + ServiceConfig.envName(
                        CLIENT_SECRET) + ".");
            }
            if (secret.isEmpty()) {
                throw new ServiceException("The secret file " + file.get() + " of client " + clientId + " ("
                        + CLIENT_SECRET_FILE + ") is empty: put the client's secret in it (the same as in Keycloak's"
                        + " realm, see plantmesh security apply --client-secrets).");
            }
            return secret;
        }
        return config.get(CLIENT_SECRET).orElseThrow(() -> new ServiceException(AUTH + " is oauth but client "
                + clientId + " has no secret: set " + CLIENT_SECRET_FILE + " to a file holding it (a mounted Secret)"
                + " or the environment variable " + ServiceConfig.envName(CLIENT_SECRET) + "."));
    }

    /**
     * The access of this process, built by the launcher's {@link ServiceAccess} exactly as {@code ./plantmesh up}
     * builds it: one token client per service account and one verifier of the issuer.
     */
    ServiceAccess access() {
        if (!tokens) {
            return ServiceAccess.development(dittoUser, dittoPassword);
        }
        return ServiceAccess.tokens(issuer, clientId == null ? Map.of() : Map.of(clientId, clientSecret), trust,
                dittoUser, dittoPassword);
    }

    /** Who this process is towards Ditto, for logs: never a secret. */
    String identity() {
        return tokens ? clientId == null ? "tokens of " + issuer : "client '" + clientId + "' (tokens of " + issuer
                + ")" : "user '" + dittoUser + "'";
    }

    @Override
    public String toString() {
        return "ServiceAuth[" + identity() + (trust == null ? "" : ", trusting " + trust) + "]";
    }
}
