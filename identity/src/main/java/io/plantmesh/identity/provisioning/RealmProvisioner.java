package io.plantmesh.identity.provisioning;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.RoleScopeResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.identity.realm.ClientDeclaration;
import io.plantmesh.identity.realm.ClientKind;
import io.plantmesh.identity.realm.RealmDeclaration;
import io.plantmesh.identity.realm.RoleDeclaration;
import io.plantmesh.identity.realm.UserDeclaration;
import io.plantmesh.identity.secrets.ClientSecrets;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * Brings a Keycloak realm to its {@link RealmDeclaration} through the Keycloak admin client, idempotently: it reads
 * first and writes only what differs, so a second run changes nothing and reports so.
 *
 * <p>Enforced: the realm's declared settings; every declared role (created, description kept); every declared
 * client's declared fields (flows, PKCE, redirect URIs, web origins, secret); the realm roles of each service
 * account, exactly the declared ones (not even Keycloak's default roles); every declared user's profile, a working
 * password and exactly the declared realm roles plus the realm's default role. Roles, clients and users that are not
 * declared are left alone.
 */
public final class RealmProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(RealmProvisioner.class);
    private static final String PKCE_ATTRIBUTE = "pkce.code.challenge.method";
    private static final String POST_LOGOUT_ATTRIBUTE = "post.logout.redirect.uris";
    private static final String SAME_AS_REDIRECT_URIS = "+";

    private final Keycloak keycloak;
    private final URI serverUrl;
    private final HttpClient http;

    /**
     * @param keycloak an admin client logged in with rights to create and change the realm (see
     *     {@link KeycloakAdmin#connect})
     * @param serverUrl the same Keycloak's base URL, used to check demo users' passwords with a password grant
     */
    public RealmProvisioner(Keycloak keycloak, URI serverUrl) {
        this(keycloak, serverUrl, null);
    }

    /**
     * @param keycloak an admin client logged in with rights to create and change the realm
     * @param serverUrl the same Keycloak's base URL, used to check demo users' passwords with a password grant
     * @param tls what an {@code https} Keycloak is verified with (as for the admin client); null: the JVM's default
     *     trust store
     */
    public RealmProvisioner(Keycloak keycloak, URI serverUrl, javax.net.ssl.SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.keycloak = Objects.requireNonNull(keycloak, "keycloak");
        this.serverUrl = Objects.requireNonNull(serverUrl, "serverUrl");
    }

    /**
     * Makes the realm as declared.
     *
     * @param secrets secrets of the declared service-account clients
     * @return what changed (nothing on a second run)
     * @throws ProvisioningException when Keycloak refuses a change or cannot be reached
     */
    public ApplyReport apply(RealmDeclaration declared, ClientSecrets secrets) {
        ApplyReport report = new ApplyReport(declared.realm());
        try {
            RealmResource realm = realm(declared, report);
            roles(realm, declared, report);
            for (ClientDeclaration client : declared.clients()) {
                client(realm, client, secrets, report);
            }
            String defaultRole = realm.toRepresentation().getDefaultRole().getName();
            for (UserDeclaration user : declared.users()) {
                user(realm, declared, user, defaultRole, report);
            }
        } catch (WebApplicationException e) {
            throw new ProvisioningException("Keycloak at " + serverUrl + " refused a change to realm "
                    + declared.realm() + " (HTTP " + e.getResponse().getStatus() + ": " + body(e.getResponse())
                    + ") after " + report.changes().size() + " changes. Check that the administrator may manage"
                    + " realms; the changes made so far are kept and the next apply continues.", e);
        } catch (ProcessingException e) {
            throw new ProvisioningException("Lost Keycloak at " + serverUrl + " while applying realm "
                    + declared.realm() + ": " + KeycloakAdmin.rootMessage(e) + ". Run the apply again once it is"
                    + " reachable; it continues where it stopped.", e);
        }
        report.counted(declared.roles().size(), declared.clients().size(), declared.users().size());
        LOG.debug("realm {}: {}", declared.realm(), report);
        return report;
    }

    private RealmResource realm(RealmDeclaration declared, ApplyReport report) {
        RealmResource realm = keycloak.realm(declared.realm());
        RealmRepresentation current;
        try {
            current = realm.toRepresentation();
        } catch (NotFoundException e) {
            current = null;
        }
        if (current == null) {
            RealmRepresentation created = new RealmRepresentation();
            created.setRealm(declared.realm());
            created.setEnabled(true);
            created.setDisplayName(declared.displayName());
            created.setSslRequired(declared.sslRequired());
            created.setBruteForceProtected(declared.bruteForceProtected());
            created.setAccessTokenLifespan(declared.tokens().accessTokenLifespanSeconds());
            created.setSsoSessionIdleTimeout(declared.tokens().ssoSessionIdleTimeoutSeconds());
            created.setSsoSessionMaxLifespan(declared.tokens().ssoSessionMaxLifespanSeconds());
            keycloak.realms().create(created);
            report.changed("created realm " + declared.realm());
            return realm;
        }
        List<String> changes = new ArrayList<>();
        RealmRepresentation update = current;
        field(changes, "enabled", current.isEnabled(), Boolean.TRUE, update::setEnabled);
        field(changes, "displayName", current.getDisplayName(), declared.displayName(), update::setDisplayName);
        field(changes, "sslRequired", current.getSslRequired(), declared.sslRequired(), update::setSslRequired);
        field(changes, "bruteForceProtected", current.isBruteForceProtected(), declared.bruteForceProtected(),
                update::setBruteForceProtected);
        field(changes, "accessTokenLifespan", current.getAccessTokenLifespan(),
                declared.tokens().accessTokenLifespanSeconds(), update::setAccessTokenLifespan);
        field(changes, "ssoSessionIdleTimeout", current.getSsoSessionIdleTimeout(),
                declared.tokens().ssoSessionIdleTimeoutSeconds(), update::setSsoSessionIdleTimeout);
        field(changes, "ssoSessionMaxLifespan", current.getSsoSessionMaxLifespan(),
                declared.tokens().ssoSessionMaxLifespanSeconds(), update::setSsoSessionMaxLifespan);
        if (!changes.isEmpty()) {
            realm.update(update);
            report.changed("updated realm " + declared.realm() + ": " + String.join(", ", changes));
        }
        return realm;
    }

    private static void roles(RealmResource realm, RealmDeclaration declared, ApplyReport report) {
        Map<String, RoleRepresentation> existing = realm.roles().list().stream()
                .collect(Collectors.toMap(RoleRepresentation::getName, r -> r, (a, b) -> a));
        for (RoleDeclaration role : declared.roles()) {
            RoleRepresentation current = existing.get(role.name());
            if (current == null) {
                realm.roles().create(new RoleRepresentation(role.name(), role.description(), false));
                report.changed("created role " + role.name());
            } else if (!Objects.equals(nullToEmpty(current.getDescription()), role.description())) {
                current.setDescription(role.description());
                realm.roles().get(role.name()).update(current);
                report.changed("updated role " + role.name() + ": description");
            }
        }
    }

    private void client(RealmResource realm, ClientDeclaration declared, ClientSecrets secrets,
            ApplyReport report) {
        List<ClientRepresentation> found = realm.clients().findByClientId(declared.clientId());
        String secret = declared.isServiceAccount() ? secrets.secretOf(declared.clientId()) : null;
        String id;
        if (found.isEmpty()) {
            ClientRepresentation created = new ClientRepresentation();
            created.setClientId(declared.clientId());
            created.setProtocol("openid-connect");
            List<String> ignored = new ArrayList<>();
            clientFields(created, declared, ignored);
            created.setAttributes(new HashMap<>(wantedAttributes(declared)));
            if (secret != null) {
                created.setClientAuthenticatorType("client-secret");
                created.setSecret(secret);
            }
            try (Response response = realm.clients().create(created)) {
                id = CreatedResponseUtil.getCreatedId(response);
            }
            report.changed("created client " + declared.clientId() + " (" + describe(declared) + ")");
        } else {
            ClientRepresentation current = found.get(0);
            id = current.getId();
            List<String> changes = new ArrayList<>();
            clientFields(current, declared, changes);
            Map<String, String> attributes = current.getAttributes() == null ? new HashMap<>()
                    : new HashMap<>(current.getAttributes());
            for (Map.Entry<String, String> wanted : wantedAttributes(declared).entrySet()) {
                String actual = nullToEmpty(attributes.get(wanted.getKey()));
                if (!actual.equals(wanted.getValue())) {
                    changes.add(wanted.getKey() + " '" + actual + "' -> '" + wanted.getValue() + "'");
                    attributes.put(wanted.getKey(), wanted.getValue());
                }
            }
            current.setAttributes(attributes);
            if (secret != null) {
                field(changes, "clientAuthenticatorType", current.getClientAuthenticatorType(), "client-secret",
                        current::setClientAuthenticatorType);
                String actualSecret = realm.clients().get(id).getSecret().getValue();
                if (!secret.equals(actualSecret)) {
                    changes.add("secret (from " + secrets.file() + ")");
                    current.setSecret(secret);
                }
            }
            if (!changes.isEmpty()) {
                realm.clients().get(id).update(current);
                report.changed("updated client " + declared.clientId() + ": " + String.join(", ", changes));
            }
        }
        if (declared.isServiceAccount()) {
            serviceAccountRoles(realm, realm.clients().get(id), declared, report);
        }
    }

    /** Sets the declared flags and URIs on {@code client}, noting each difference in {@code changes}. */
    private static void clientFields(ClientRepresentation client, ClientDeclaration declared, List<String> changes) {
        boolean publicClient = declared.kind() == ClientKind.PUBLIC;
        field(changes, "name", client.getName(), declared.name(), client::setName);
        field(changes, "enabled", client.isEnabled(), Boolean.TRUE, client::setEnabled);
        field(changes, "publicClient", client.isPublicClient(), publicClient, client::setPublicClient);
        field(changes, "bearerOnly", client.isBearerOnly(), Boolean.FALSE, client::setBearerOnly);
        field(changes, "standardFlowEnabled", client.isStandardFlowEnabled(), declared.standardFlow(),
                client::setStandardFlowEnabled);
        field(changes, "implicitFlowEnabled", client.isImplicitFlowEnabled(), Boolean.FALSE,
                client::setImplicitFlowEnabled);
        field(changes, "directAccessGrantsEnabled", client.isDirectAccessGrantsEnabled(),
                declared.directAccessGrants(), client::setDirectAccessGrantsEnabled);
        field(changes, "serviceAccountsEnabled", client.isServiceAccountsEnabled(), declared.isServiceAccount(),
                client::setServiceAccountsEnabled);
        setField(changes, "redirectUris", client.getRedirectUris(), declared.redirectUris(),
                client::setRedirectUris);
        setField(changes, "webOrigins", client.getWebOrigins(), declared.webOrigins(), client::setWebOrigins);
    }

    private static Map<String, String> wantedAttributes(ClientDeclaration declared) {
        Map<String, String> wanted = new HashMap<>();
        wanted.put(PKCE_ATTRIBUTE, nullToEmpty(declared.pkce()));
        if (declared.standardFlow()) {
            wanted.put(POST_LOGOUT_ATTRIBUTE, SAME_AS_REDIRECT_URIS);
        }
        return wanted;
    }

    private static void serviceAccountRoles(RealmResource realm, ClientResource client, ClientDeclaration declared,
            ApplyReport report) {
        UserRepresentation serviceAccount = client.getServiceAccountUser();
        RoleScopeResource mappings = realm.users().get(serviceAccount.getId()).roles().realmLevel();
        List<String> changes = exactRoles(realm, mappings, new LinkedHashSet<>(declared.serviceAccountRoles()));
        if (!changes.isEmpty()) {
            report.changed("service account of client " + declared.clientId() + ": " + String.join(", ", changes));
        }
    }

    private void user(RealmResource realm, RealmDeclaration realmDeclared, UserDeclaration declared,
            String defaultRole, ApplyReport report) {
        List<UserRepresentation> found = realm.users().searchByUsername(declared.username(), true);
        String id;
        if (found.isEmpty()) {
            UserRepresentation created = new UserRepresentation();
            created.setUsername(declared.username());
            userFields(created, declared, new ArrayList<>());
            created.setCredentials(List.of(password(declared.password())));
            try (Response response = realm.users().create(created)) {
                id = CreatedResponseUtil.getCreatedId(response);
            }
            report.changed("created user " + declared.username());
        } else {
            UserRepresentation current = found.get(0);
            id = current.getId();
            List<String> changes = new ArrayList<>();
            userFields(current, declared, changes);
            UserResource user = realm.users().get(id);
            if (!changes.isEmpty()) {
                user.update(current);
                report.changed("updated user " + declared.username() + ": " + String.join(", ", changes));
            }
            Optional<String> loginClient = realmDeclared.clients().stream()
                    .filter(c -> c.kind() == ClientKind.PUBLIC && c.directAccessGrants())
                    .map(ClientDeclaration::clientId).findFirst();
            boolean passwordWorks = loginClient.isPresent()
                    && passwordWorks(realmDeclared.realm(), loginClient.get(), declared);
            if (!passwordWorks) {
                realm.attackDetection().clearBruteForceForUser(id);
                user.resetPassword(password(declared.password()));
                report.changed("set the declared password of user " + declared.username());
            }
        }
        Set<String> wantedRoles = new LinkedHashSet<>(declared.realmRoles());
        wantedRoles.add(defaultRole);
        List<String> changes = exactRoles(realm, realm.users().get(id).roles().realmLevel(), wantedRoles);
        if (!changes.isEmpty()) {
            report.changed("user " + declared.username() + ": " + String.join(", ", changes));
        }
    }

    private static void userFields(UserRepresentation user, UserDeclaration declared, List<String> changes) {
        field(changes, "enabled", user.isEnabled(), Boolean.TRUE, user::setEnabled);
        field(changes, "firstName", user.getFirstName(), declared.firstName(), user::setFirstName);
        field(changes, "lastName", user.getLastName(), declared.lastName(), user::setLastName);
        field(changes, "email", user.getEmail(), declared.email(), user::setEmail);
        field(changes, "emailVerified", user.isEmailVerified(), Boolean.TRUE, user::setEmailVerified);
        List<String> requiredActions = user.getRequiredActions() == null ? List.of() : user.getRequiredActions();
        if (!requiredActions.isEmpty()) {
            changes.add("requiredActions " + requiredActions + " -> []");
        }
        user.setRequiredActions(new ArrayList<>());
    }

    /** Makes the direct realm-role mappings exactly {@code wanted}; returns "added role x", "removed role y". */
    private static List<String> exactRoles(RealmResource realm, RoleScopeResource mappings, Set<String> wanted) {
        List<RoleRepresentation> current = mappings.listAll();
        Set<String> currentNames = current.stream().map(RoleRepresentation::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        List<RoleRepresentation> extra = current.stream().filter(r -> !wanted.contains(r.getName())).toList();
        List<RoleRepresentation> missing = new ArrayList<>();
        for (String name : wanted) {
            if (!currentNames.contains(name)) {
                missing.add(realm.roles().get(name).toRepresentation());
            }
        }
        List<String> changes = new ArrayList<>();
        if (!extra.isEmpty()) {
            mappings.remove(extra);
            extra.forEach(r -> changes.add("removed role " + r.getName()));
        }
        if (!missing.isEmpty()) {
            mappings.add(missing);
            missing.forEach(r -> changes.add("added role " + r.getName()));
        }
        return changes;
    }

    /** Whether the user can log in with the declared password (password grant through the public client). */
    private boolean passwordWorks(String realm, String clientId, UserDeclaration user) {
        URI tokenEndpoint = serverUrl.resolve(serverUrl.getPath().endsWith("/") ? "" : "/")
                .resolve("realms/" + realm + "/protocol/openid-connect/token");
        String form = "grant_type=password&client_id=" + encode(clientId) + "&username=" + encode(user.username())
                + "&password=" + encode(user.password());
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.debug("password check of {} failed: {} {}", user.username(), response.statusCode(),
                        response.body());
            }
            return response.statusCode() == 200;
        } catch (IOException e) {
            throw new ProvisioningException("Cannot reach the token endpoint " + tokenEndpoint + " to check the"
                    + " password of user " + user.username() + ": " + KeycloakAdmin.rootMessage(e) + ". Check"
                    + " --keycloak-url.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("Interrupted while checking the password of user " + user.username(),
                    e);
        }
    }

    private static CredentialRepresentation password(String value) {
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(value);
        credential.setTemporary(false);
        return credential;
    }

    private static <T> void field(List<String> changes, String name, T actual, T wanted, Consumer<T> setter) {
        if (!Objects.equals(actual, wanted)) {
            changes.add(name + " " + actual + " -> " + wanted);
            setter.accept(wanted);
        }
    }

    private static void setField(List<String> changes, String name, Collection<String> actual, List<String> wanted,
            Consumer<List<String>> setter) {
        Set<String> actualSet = actual == null ? Set.of() : new TreeSet<>(actual);
        Set<String> wantedSet = new TreeSet<>(wanted);
        if (!actualSet.equals(wantedSet)) {
            changes.add(name + " " + actualSet + " -> " + wantedSet);
            setter.accept(new ArrayList<>(wanted));
        }
    }

    private static String describe(ClientDeclaration client) {
        return client.isServiceAccount() ? "service account, roles " + client.serviceAccountRoles()
                : "public" + (client.pkce() == null ? "" : ", PKCE " + client.pkce())
                        + (client.directAccessGrants() ? ", password grant" : "");
    }

    private static String body(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : "no body";
        } catch (RuntimeException e) {
            return "body unreadable";
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
