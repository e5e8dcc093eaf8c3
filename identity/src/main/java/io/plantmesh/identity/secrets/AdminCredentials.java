package io.plantmesh.identity.secrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * Credentials of a Keycloak administrator (in realm {@code master}) used to provision the realm. The embedded
 * Keycloak's bootstrap administrator is generated once per installation and kept in
 * {@code <data-dir>/secrets/keycloak-admin.properties} (mode 600).
 *
 * @param username administrator user name
 * @param password administrator password
 */
public record AdminCredentials(String username, String password) {

    /** Directory under the data directory for secret files. */
    public static final String SECRETS_DIRECTORY = "secrets";
    public static final String FILE_NAME = "keycloak-admin.properties";
    /** User name of the embedded Keycloak's bootstrap administrator. */
    public static final String EMBEDDED_ADMIN = "plantmesh-admin";

    public AdminCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** {@code <dataDir>/secrets/keycloak-admin.properties}. */
    public static Path fileIn(Path dataDir) {
        return dataDir.resolve(SECRETS_DIRECTORY).resolve(FILE_NAME);
    }

    /** The embedded Keycloak's administrator: read from the data directory, or generated and stored there. */
    public static AdminCredentials generatedIn(Path dataDir) {
        Path file = fileIn(dataDir);
        if (Files.exists(file)) {
            return readFrom(file);
        }
        AdminCredentials generated = new AdminCredentials(EMBEDDED_ADMIN, SecretFiles.newSecret());
        Properties properties = new Properties();
        properties.setProperty("username", generated.username());
        properties.setProperty("password", generated.password());
        SecretFiles.write(file, properties, "Administrator of the embedded Keycloak (realm master) of this PlantMesh"
                + " installation; keep this file private (mode 600)");
        return generated;
    }

    /** Reads {@code username} and {@code password} from a properties file. */
    public static AdminCredentials readFrom(Path file) {
        Properties properties = SecretFiles.read(file);
        String username = properties.getProperty("username");
        String password = properties.getProperty("password");
        if (username == null || password == null) {
            throw new IllegalArgumentException("The Keycloak admin credentials file " + file.toAbsolutePath()
                    + " must have 'username' and 'password' lines; delete it to have the embedded Keycloak's"
                    + " administrator generated again only if its Keycloak data directory is deleted too.");
        }
        return new AdminCredentials(username.trim(), password.trim());
    }

    @Override
    public String toString() {
        return "AdminCredentials[" + username + "]";
    }
}
