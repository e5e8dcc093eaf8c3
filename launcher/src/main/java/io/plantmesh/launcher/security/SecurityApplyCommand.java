package io.plantmesh.launcher.security;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import javax.net.ssl.SSLContext;

import org.keycloak.admin.client.Keycloak;

import io.plantmesh.identity.provisioning.ApplyReport;
import io.plantmesh.identity.provisioning.KeycloakAdmin;
import io.plantmesh.identity.provisioning.ProvisioningException;
import io.plantmesh.identity.provisioning.RealmProvisioner;
import io.plantmesh.identity.realm.ClientDeclaration;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.identity.realm.RealmDeclaration;
import io.plantmesh.identity.secrets.AdminCredentials;
import io.plantmesh.identity.secrets.ClientSecrets;
import io.plantmesh.tls.ClientTrust;
import io.plantmesh.tls.TlsConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code plantmesh security apply}: brings any Keycloak (the embedded one or a production one) to the declared
 * {@code plantmesh} realm, idempotently; prints each change, or "no changes".
 */
@Command(name = "apply", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {
                "Brings a Keycloak to the declared plantmesh realm: realm roles, the public client plantmesh-ui,"
                        + " the service-account clients with exactly their role and their secrets, token lifetimes"
                        + " and, with --demo-users, the demo users. Prints what it created or updated; a second"
                        + " run prints 'no changes'. Roles, clients and users it does not declare are left alone.",
                "Every option can also be set by the environment variable named in its description."})
public final class SecurityApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--keycloak-url", paramLabel = "URL",
            defaultValue = "${env:PLANTMESH_KEYCLOAK_URL:-http://127.0.0.1:28180}",
            description = "Base URL of the Keycloak (default http://127.0.0.1:28180, the embedded one;"
                    + " env PLANTMESH_KEYCLOAK_URL).")
    URI keycloakUrl;

    @Option(names = "--admin-user", paramLabel = "NAME", defaultValue = "${env:PLANTMESH_KEYCLOAK_ADMIN_USER}",
            description = "Keycloak administrator (default: the embedded Keycloak's, from"
                    + " DIR/secrets/keycloak-admin.properties of --data-dir; env PLANTMESH_KEYCLOAK_ADMIN_USER).")
    String adminUser;

    @Option(names = "--admin-password-file", paramLabel = "FILE",
            defaultValue = "${env:PLANTMESH_KEYCLOAK_ADMIN_PASSWORD_FILE}",
            description = "File holding the administrator's password (with --admin-user;"
                    + " env PLANTMESH_KEYCLOAK_ADMIN_PASSWORD_FILE).")
    Path adminPasswordFile;

    @Option(names = "--admin-realm", paramLabel = "REALM", defaultValue = "${env:PLANTMESH_KEYCLOAK_ADMIN_REALM:-master}",
            description = "Realm of the administrator (default master; env PLANTMESH_KEYCLOAK_ADMIN_REALM).")
    String adminRealm;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:PLANTMESH_DATA_DIR:-./.plantmesh/data}",
            description = "PlantMesh data directory (default ./.plantmesh/data; env PLANTMESH_DATA_DIR): the embedded"
                    + " Keycloak's administrator, and the generated client secrets unless --client-secrets is given.")
    Path dataDir;

    @Option(names = "--client-secrets", paramLabel = "FILE", defaultValue = "${env:PLANTMESH_CLIENT_SECRETS_FILE}",
            description = "Production: the service clients' secrets, one '<client id>=<secret>' per line for every"
                    + " service client (default: generated once into DIR/secrets/client-secrets.properties, mode"
                    + " 600; env PLANTMESH_CLIENT_SECRETS_FILE).")
    Path clientSecrets;

    @Option(names = "--client-secrets-dir", paramLabel = "DIR",
            defaultValue = "${env:PLANTMESH_CLIENT_SECRETS_DIR}",
            description = "Production on Kubernetes: a directory with one file per service client, named by its client"
                    + " id and holding its secret (a mounted Secret whose keys are the client ids); instead of"
                    + " --client-secrets (env PLANTMESH_CLIENT_SECRETS_DIR).")
    Path clientSecretsDir;

    @Option(names = "--tls-ca", paramLabel = "FILE", defaultValue = "${env:PLANTMESH_TLS_CA}",
            description = "PEM file of the CA(s) an https Keycloak's certificate is verified with, e.g. a private CA"
                    + " (default: the JVM's trust store; env PLANTMESH_TLS_CA). Host names are verified too.")
    Path tlsCa;

    @Option(names = "--demo-users", description = "Also the demo users viewer, supervisor, planner, finance, admin"
            + " (password = user name). Embedded footprint only: never on a production Keycloak.")
    boolean demoUsers;

    @Option(names = "--ui-origin", paramLabel = "ORIGIN", split = ",",
            defaultValue = "${env:PLANTMESH_UI_ORIGINS:-http://127.0.0.1:8080,http://localhost:8080}",
            description = "Origin(s) of the web UI allowed to receive authorization codes and make CORS requests,"
                    + " repeatable or comma-separated (default http://127.0.0.1:8080,http://localhost:8080;"
                    + " env PLANTMESH_UI_ORIGINS).")
    List<String> uiOrigins;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RealmDeclaration realm;
        try {
            realm = PlantMeshRealm.declaration(uiOrigins, demoUsers);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--ui-origin: " + e.getMessage());
        }
        try {
            AdminCredentials admin = adminCredentials();
            List<String> serviceClients = realm.serviceAccountClients().stream().map(ClientDeclaration::clientId)
                    .toList();
            if (clientSecrets != null && clientSecretsDir != null) {
                throw new ParameterException(spec.commandLine(), "give --client-secrets or --client-secrets-dir,"
                        + " not both");
            }
            ClientSecrets secrets = clientSecretsDir != null
                    ? ClientSecrets.fromDirectory(clientSecretsDir, serviceClients)
                    : clientSecrets == null ? ClientSecrets.generatedIn(dataDir, serviceClients)
                    : ClientSecrets.fromFile(clientSecrets, serviceClients);
            SSLContext tls = tlsContext();
            out.println("Applying realm " + realm.realm() + " to " + keycloakUrl + " as " + admin.username()
                    + " (service client secrets: " + secrets.file().toAbsolutePath().normalize()
                    + (tlsCa == null ? "" : "; trusting " + tlsCa.toAbsolutePath().normalize()) + ")");
            out.flush();
            ApplyReport report;
            try (Keycloak keycloak = KeycloakAdmin.connect(keycloakUrl, admin, adminRealm, tls)) {
                report = new RealmProvisioner(keycloak, keycloakUrl, tls).apply(realm, secrets);
            }
            report.changes().forEach(change -> out.println("  " + change));
            out.println(report.summary());
            out.flush();
            return 0;
        } catch (ProvisioningException | IllegalArgumentException e) {
            err.println("plantmesh: " + e.getMessage());
            err.flush();
            return 1;
        } catch (java.io.UncheckedIOException e) {
            err.println("plantmesh: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    /** The TLS context trusting only the CAs of --tls-ca, or null for the JVM's default trust store. */
    private SSLContext tlsContext() {
        if (tlsCa == null) {
            return null;
        }
        try {
            return ClientTrust.fromPemFile(tlsCa).sslContext();
        } catch (TlsConfigurationException e) {
            throw new IllegalArgumentException("--tls-ca " + tlsCa + ": " + e.getMessage(), e);
        }
    }

    private AdminCredentials adminCredentials() {
        if (adminUser != null && !adminUser.isBlank()) {
            if (adminPasswordFile == null) {
                throw new ParameterException(spec.commandLine(), "--admin-user needs --admin-password-file (a file"
                        + " holding the administrator's password)");
            }
            try {
                String password = Files.readString(adminPasswordFile, StandardCharsets.UTF_8).trim();
                return new AdminCredentials(adminUser.trim(), password);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read the administrator's password from "
                        + adminPasswordFile.toAbsolutePath() + " (--admin-password-file): " + e.getMessage(), e);
            }
        }
        if (adminPasswordFile != null) {
            throw new ParameterException(spec.commandLine(), "--admin-password-file needs --admin-user");
        }
        Path embedded = AdminCredentials.fileIn(dataDir);
        if (!Files.isRegularFile(embedded)) {
            throw new IllegalArgumentException("No Keycloak administrator given and none in "
                    + embedded.toAbsolutePath().normalize() + ". Give --admin-user and --admin-password-file, or"
                    + " --data-dir of the installation whose embedded Keycloak './plantmesh up' started.");
        }
        return AdminCredentials.readFrom(embedded);
    }
}
