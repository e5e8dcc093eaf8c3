package io.plantmesh.identity.realm;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The declared state of a Keycloak realm: what {@code plantmesh security apply} makes true. Roles, clients and users
 * not declared here are left alone; for declared clients and users every declared field, and the exact set of realm
 * roles they hold, is enforced.
 *
 * @param realm realm name
 * @param displayName display name on the login page
 * @param sslRequired Keycloak's {@code sslRequired}: {@code external} (HTTPS except from private addresses),
 *     {@code all} or {@code none}
 * @param bruteForceProtected lock out users temporarily after repeated failed logins
 * @param tokens token and session lifetimes
 * @param roles realm roles
 * @param clients OpenID Connect clients
 * @param users users (the demo users of the embedded footprint, or none)
 */
public record RealmDeclaration(String realm, String displayName, String sslRequired, boolean bruteForceProtected,
        TokenLifetimes tokens, List<RoleDeclaration> roles, List<ClientDeclaration> clients,
        List<UserDeclaration> users) {

    public RealmDeclaration {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(tokens, "tokens");
        displayName = displayName == null ? realm : displayName;
        sslRequired = sslRequired == null ? "external" : sslRequired;
        roles = roles == null ? List.of() : List.copyOf(roles);
        clients = clients == null ? List.of() : List.copyOf(clients);
        users = users == null ? List.of() : List.copyOf(users);
        validate(realm, roles, clients, users);
    }

    /** The same realm with these users instead of the declared ones. */
    public RealmDeclaration withUsers(List<UserDeclaration> newUsers) {
        return new RealmDeclaration(realm, displayName, sslRequired, bruteForceProtected, tokens, roles, clients,
                newUsers);
    }

    public Optional<ClientDeclaration> client(String clientId) {
        return clients.stream().filter(c -> c.clientId().equals(clientId)).findFirst();
    }

    public Optional<UserDeclaration> user(String username) {
        return users.stream().filter(u -> u.username().equals(username)).findFirst();
    }

    public List<ClientDeclaration> serviceAccountClients() {
        return clients.stream().filter(ClientDeclaration::isServiceAccount).toList();
    }

    public List<String> roleNames() {
        return roles.stream().map(RoleDeclaration::name).toList();
    }

    private static void validate(String realm, List<RoleDeclaration> roles, List<ClientDeclaration> clients,
            List<UserDeclaration> users) {
        Set<String> roleNames = new HashSet<>();
        for (RoleDeclaration role : roles) {
            if (!roleNames.add(role.name())) {
                throw new IllegalArgumentException("realm " + realm + " declares role " + role.name() + " twice");
            }
        }
        Set<String> clientIds = new HashSet<>();
        for (ClientDeclaration client : clients) {
            if (!clientIds.add(client.clientId())) {
                throw new IllegalArgumentException("realm " + realm + " declares client " + client.clientId()
                        + " twice");
            }
            for (String role : client.serviceAccountRoles()) {
                requireRole(realm, roleNames, role, "client " + client.clientId());
            }
            if (client.isServiceAccount() && client.serviceAccountRoles().isEmpty()) {
                throw new IllegalArgumentException("service-account client " + client.clientId() + " in realm "
                        + realm + " has no role: give it the one role it needs");
            }
        }
        Set<String> usernames = new HashSet<>();
        for (UserDeclaration user : users) {
            if (!usernames.add(user.username())) {
                throw new IllegalArgumentException("realm " + realm + " declares user " + user.username() + " twice");
            }
            for (String role : user.realmRoles()) {
                requireRole(realm, roleNames, role, "user " + user.username());
            }
        }
    }

    private static void requireRole(String realm, Set<String> roleNames, String role, String holder) {
        if (!roleNames.contains(role)) {
            throw new IllegalArgumentException(holder + " holds role " + role + ", which realm " + realm
                    + " does not declare; declare it under \"roles\" or fix the name");
        }
    }
}
