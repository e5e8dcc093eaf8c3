package io.plantmesh.identity.realm;

import java.util.List;
import java.util.Objects;

/**
 * A (demo) user as declared. Keycloak's user profile requires first name, last name and e-mail; without them a
 * password grant fails with "Account is not fully set up".
 *
 * @param username login name
 * @param firstName first name
 * @param lastName last name
 * @param email e-mail address (verified)
 * @param password password
 * @param realmRoles realm roles the user holds directly: exactly these, plus the realm's default roles
 */
public record UserDeclaration(String username, String firstName, String lastName, String email, String password,
        List<String> realmRoles) {

    public UserDeclaration {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(firstName, "firstName of user " + username);
        Objects.requireNonNull(lastName, "lastName of user " + username);
        Objects.requireNonNull(email, "email of user " + username);
        Objects.requireNonNull(password, "password of user " + username);
        realmRoles = realmRoles == null ? List.of() : List.copyOf(realmRoles);
    }

    @Override
    public String toString() {
        return "UserDeclaration[" + username + ", roles " + realmRoles + "]";
    }
}
