package io.plantmesh.identity.provisioning;

import java.net.URI;

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
        Keycloak keycloak = KeycloakBuilder.builder()
                .serverUrl(serverUrl.toString())
                .realm(adminRealm)
                .clientId(ADMIN_CLIENT)
                .grantType(OAuth2Constants.PASSWORD)
                .username(credentials.username())
                .password(credentials.password())
                .build();
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

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
