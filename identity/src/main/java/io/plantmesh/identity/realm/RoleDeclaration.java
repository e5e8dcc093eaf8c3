package io.plantmesh.identity.realm;

import java.util.Objects;

/**
 * A realm role as declared.
 *
 * @param name role name, e.g. {@code production-supervisor}; Ditto subject {@code keycloak:<name>}
 * @param description what holding it means
 */
public record RoleDeclaration(String name, String description) {

    public RoleDeclaration {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
    }
}
