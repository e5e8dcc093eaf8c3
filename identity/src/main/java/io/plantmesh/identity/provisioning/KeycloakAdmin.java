package io.plantmesh.identity.provisioning;

import java.net.URI;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;

import io.plantmesh.identity.secrets.AdminCredentials;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

/** Opens Keycloak admin client sessions (password grant of an administrator through {@code admin-cli}). */
public final class KeycloakAdmin {

    /** Realm of Keycloak's administrators. */
    public static final String MASTER_REALM = "master";
    private static final String ADMIN_CLIENT = "admin-cli";

    private KeycloakAdmin() {
    }

    /**
     * An admin client logged in as {@code credentials} in {@code adminRealm}; the caller closes it.
     *
     * @throws ProvisioningException when Keycloak cannot be reached or refuses the credentials
     */
    public static Keycloak connect(URI serverUrl, AdminCredentials credentials, String adminRealm) {
        return connect(serverUrl, credentials, adminRealm, null);
    }

    /**
     * An admin client logged in as {@code credentials} in {@code adminRealm}; the caller closes it. An {@code https}
     * Keycloak is verified with {@code tls} (e.g. trusting only a private CA; host names are verified); null: the
     * JVM's default trust store.
     *
     * @throws ProvisioningException when Keycloak cannot be reached, its certificate is not trusted, or it refuses
     *     the credentials
     */
    public static Keycloak connect(URI serverUrl, AdminCredentials credentials, String adminRealm, SSLContext tls) {
        Keycloak keycloak = tls == null
                ? KeycloakBuilder.builder()
                        .serverUrl(serverUrl.toString())
                        .realm(adminRealm)
                        .clientId(ADMIN_CLIENT)
                        .grantType(OAuth2Constants.PASSWORD)
                        .username(credentials.username())
                        .password(credentials.password())
                        .build()
                : Keycloak.getInstance(serverUrl.toString(), adminRealm, credentials.username(),
                        credentials.password(), ADMIN_CLIENT, null, tls);
        try {
            keycloak.tokenManager().getAccessToken();
            return keycloak;
        } catch (NotAuthorizedException e) {
            keycloak.close();
            throw new ProvisioningException("Keycloak at " + serverUrl + " refused the administrator '"
                    + credentials.username() + "' of realm " + adminRealm + " (HTTP 401). Check --admin-user and"
                    + " --admin-password-file (or PLANTMESH_KEYCLOAK_ADMIN_USER and"
                    + " PLANTMESH_KEYCLOAK_ADMIN_PASSWORD_FILE).", e);
        } catch (ProcessingException e) {
            keycloak.close();
            if (isCertificateProblem(e)) {
                throw new ProvisioningException("Keycloak at " + serverUrl + " presented a TLS certificate that could"
                        + " not be verified: " + rootMessage(e) + ". Give the PEM file of the CA that issued it with"
                        + " --tls-ca (or PLANTMESH_TLS_CA), and check that the certificate names the host of"
                        + " --keycloak-url.", e);
            }
            throw new ProvisioningException("Cannot reach Keycloak at " + serverUrl + ": " + rootMessage(e)
                    + ". Check --keycloak-url (or PLANTMESH_KEYCLOAK_URL) and that Keycloak is running.", e);
        } catch (WebApplicationException e) {
            keycloak.close();
            throw new ProvisioningException("Keycloak at " + serverUrl + " answered HTTP "
                    + e.getResponse().getStatus() + " to the administrator login of '" + credentials.username()
                    + "' in realm " + adminRealm + ". Check --keycloak-url (the server's base URL, without"
                    + " /realms/...) and --admin-realm.", e);
        }
    }

    /** Whether a TLS handshake or certificate check failed, anywhere in the causes. */
    static boolean isCertificateProblem(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 20; depth++) {
            if (c instanceof SSLException || c instanceof java.security.cert.CertificateException) {
                return true;
            }
            c = c.getCause();
        }
        return false;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
