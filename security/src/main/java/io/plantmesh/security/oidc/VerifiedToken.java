package io.plantmesh.security.oidc;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An access token whose signature, issuer, validity period and audience were checked.
 *
 * @param issuer the configured issuer that signed it
 * @param subject the token's {@code sub} (may be null: some issuers leave it out of service-account tokens)
 * @param expiresAt the token's {@code exp}
 * @param subjects the Ditto authorization subjects it maps to ({@code keycloak:<sub>}, {@code keycloak:<role>}),
 *        default subject first
 * @param roles the roles in the issuer's roles claim ({@code realm_access/roles} for Keycloak), without prefix
 * @param claims the token's JSON body (maps, lists, strings, numbers, booleans)
 */
public record VerifiedToken(OidcIssuer issuer, String subject, Instant expiresAt, List<String> subjects,
        Set<String> roles, Map<String, Object> claims) {

    public VerifiedToken {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(expiresAt, "expiresAt");
        subjects = List.copyOf(subjects);
        roles = Set.copyOf(roles);
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims)); // JSON nulls are kept
    }

    /** Whether the token carries at least one of these roles. */
    public boolean hasAnyRole(Collection<String> wanted) {
        for (String role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    /** A name for logs and audit records: {@code preferred_username} if the token has one, else {@code sub}. */
    public String displayName() {
        Object preferred = claims.get("preferred_username");
        if (preferred instanceof String name && !name.isBlank()) {
            return name;
        }
        return subject == null ? "?" : subject;
    }
}
