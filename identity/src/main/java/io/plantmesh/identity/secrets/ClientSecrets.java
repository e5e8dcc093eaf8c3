package io.plantmesh.identity.secrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The secrets of the service-account clients ({@code plantmesh-mes-bridge=<secret>}, ...).
 * <ul>
 *   <li>Embedded footprint: {@link #generatedIn(Path, Collection)} generates one per installation and keeps them in
 *   {@code <data-dir>/secrets/client-secrets.properties} (mode 600); services of the same installation read them
 *   from there.</li>
 *   <li>Production: {@link #fromFile(Path, Collection)} reads them from a file the operator supplies (e.g. mounted
 *   from a Kubernetes secret); every service client must be in it.</li>
 * </ul>
 */
public final class ClientSecrets {

    /** The file under the data directory. */
    public static final String FILE_NAME = "client-secrets.properties";

    private final Path file;
    private final Map<String, String> byClientId;

    private ClientSecrets(Path file, Map<String, String> byClientId) {
        this.file = file;
        this.byClientId = Map.copyOf(byClientId);
    }

    /** {@code <dataDir>/secrets/client-secrets.properties}. */
    public static Path fileIn(Path dataDir) {
        return dataDir.resolve(AdminCredentials.SECRETS_DIRECTORY).resolve(FILE_NAME);
    }

    /**
     * The installation's secrets from {@code <dataDir>/secrets/client-secrets.properties}: those already there are
     * kept, missing ones are generated and written (mode 600).
     */
    public static ClientSecrets generatedIn(Path dataDir, Collection<String> clientIds) {
        Path file = fileIn(dataDir);
        Properties stored = Files.exists(file) ? SecretFiles.read(file) : new Properties();
        Map<String, String> secrets = new LinkedHashMap<>();
        boolean added = false;
        for (String clientId : clientIds) {
            String secret = stored.getProperty(clientId);
            if (secret == null || secret.isBlank()) {
                secret = SecretFiles.newSecret();
                stored.setProperty(clientId, secret);
                added = true;
            }
            secrets.put(clientId, secret.trim());
        }
        if (added) {
            SecretFiles.write(file, stored, "PlantMesh service-account client secrets of this installation;"
                    + " keep this file private (mode 600)");
        }
        return new ClientSecrets(file, secrets);
    }

    /**
     * Secrets supplied by configuration (production): a properties file {@code <clientId>=<secret>} that names every
     * one of {@code clientIds}.
     */
    public static ClientSecrets fromFile(Path file, Collection<String> clientIds) {
        Objects.requireNonNull(file, "file");
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("The client secrets file " + file.toAbsolutePath() + " does not exist"
                    + " or cannot be read. Create it with one '<client id>=<secret>' line per service client ("
                    + String.join(", ", clientIds) + "), mode 600.");
        }
        Properties stored = SecretFiles.read(file);
        Map<String, String> secrets = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String clientId : clientIds) {
            String secret = stored.getProperty(clientId);
            if (secret == null || secret.isBlank()) {
                missing.add(clientId);
            } else {
                secrets.put(clientId, secret.trim());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("The client secrets file " + file.toAbsolutePath() + " has no secret"
                    + " for " + String.join(", ", missing) + ". Add a '<client id>=<secret>' line for each (a long"
                    + " random string, e.g. from 'openssl rand -base64 32').");
        }
        return new ClientSecrets(file, secrets);
    }

    /**
     * Secrets supplied as a directory with one file per client, named by the client id and holding its secret (a
     * Kubernetes Secret with the client ids as keys, mounted as a volume); every one of {@code clientIds} must be there.
     */
    public static ClientSecrets fromDirectory(Path directory, Collection<String> clientIds) {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("The client secrets directory " + directory.toAbsolutePath()
                    + " does not exist. Mount the Secret holding one key per service client ("
                    + String.join(", ", clientIds) + ") there.");
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String clientId : clientIds) {
            Path file = directory.resolve(clientId);
            String secret = null;
            if (Files.isReadable(file)) {
                try {
                    secret = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).trim();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("Cannot read the secret of " + clientId + " from "
                            + file.toAbsolutePath() + ": " + e.getMessage() + ". Check the mounted Secret.", e);
                }
            }
            if (secret == null || secret.isEmpty()) {
                missing.add(clientId);
            } else {
                secrets.put(clientId, secret);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("The client secrets directory " + directory.toAbsolutePath()
                    + " has no secret for " + String.join(", ", missing) + ". Add a key named by each client id to"
                    + " the Secret mounted there (a long random string, e.g. from 'openssl rand -base64 32').");
        }
        return new ClientSecrets(directory, secrets);
    }

    /** The secret of a service-account client. */
    public String secretOf(String clientId) {
        String secret = byClientId.get(clientId);
        if (secret == null) {
            throw new IllegalArgumentException("No secret for client " + clientId + " in " + file.toAbsolutePath()
                    + "; known clients: " + String.join(", ", byClientId.keySet()));
        }
        return secret;
    }

    public Map<String, String> asMap() {
        return byClientId;
    }

    /** Where the secrets are kept. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "ClientSecrets[" + file + ", clients " + byClientId.keySet() + "]";
    }
}
