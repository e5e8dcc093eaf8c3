package io.plantmesh.security.oidc;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import io.plantmesh.security.subjects.SubjectMapping;

/**
 * One trusted OpenID Connect issuer, configured as Ditto's gateway configures one under
 * {@code ditto.gateway.authentication.oauth.openid-connect-issuers.<prefix>}: tokens whose {@code iss} is
 * {@link #issuer} are verified against the issuer's published keys and become the subjects the
 * {@link #subjectTemplates} yield, each as {@code <prefix>:<value>}.
 *
 * @param prefix the subject issuer, e.g. {@code keycloak} (subjects {@code keycloak:<sub>},
 *        {@code keycloak:plant-viewer})
 * @param issuer the issuer URL exactly as tokens carry it in {@code iss}, e.g.
 *        {@code http://127.0.0.1:8180/realms/plantmesh} (a trailing slash is ignored)
 * @param jwksUri where the issuer publishes its keys; null: read {@code jwks_uri} from the issuer's discovery document
 *        {@code <issuer>/.well-known/openid-configuration}
 * @param audiences if not empty, a token's {@code aud} must name at least one of these
 * @param authorizedParties if not empty, a token's {@code azp} (the client it was issued to) must be one of these
 * @param subjectTemplates Ditto placeholders such as {@code {{ jwt:sub }}} and {@code {{ jwt:realm_access/roles }}}
 *        (arrays give one subject per element); a template that does not resolve is left out, as in Ditto
 * @param rolesClaim the claim holding the token's roles as a {@code /}-separated path, {@code realm_access/roles}
 *        for Keycloak realm roles; what services that check roles themselves (MES API, ERP) read
 */
public record OidcIssuer(String prefix, URI issuer, URI jwksUri, Set<String> audiences, Set<String> authorizedParties,
        List<String> subjectTemplates, String rolesClaim) {

    /** Ditto's default: the token's subject only. */
    public static final List<String> DEFAULT_SUBJECT_TEMPLATES = List.of("{{ jwt:sub }}");
    /** The subject and every realm role, as PlantMesh configures Keycloak (see docs/security.md). */
    public static final List<String> KEYCLOAK_SUBJECT_TEMPLATES =
            List.of("{{ jwt:sub }}", "{{ jwt:realm_access/roles }}");
    /** Where Keycloak puts realm roles. */
    public static final String KEYCLOAK_ROLES_CLAIM = "realm_access/roles";

    public OidcIssuer {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(issuer, "issuer");
        boolean validPrefix = !prefix.isBlank() && prefix.indexOf(':') < 0 && prefix.strip().equals(prefix);
        if (!validPrefix) {
            throw new IllegalArgumentException("The subject prefix of an OpenID Connect issuer must be a word without "
                    + "':' or spaces, e.g. 'keycloak'; got '" + prefix + "'.");
        }
        String scheme = issuer.getScheme() == null ? "" : issuer.getScheme().toLowerCase(Locale.ROOT);
        boolean web = issuer.isAbsolute() && (scheme.equals("http") || scheme.equals("https"))
                && issuer.getHost() != null;
        if (!web) {
            throw new IllegalArgumentException("The issuer of '" + prefix + "' must be the issuer URL tokens carry in "
                    + "'iss', e.g. http://127.0.0.1:8180/realms/plantmesh; got '" + issuer + "'.");
        }
        if (jwksUri != null && !jwksUri.isAbsolute()) {
            throw new IllegalArgumentException("The JWKS URL of '" + prefix + "' must be absolute, got '" + jwksUri
                    + "'.");
        }
        audiences = audiences == null ? Set.of() : Set.copyOf(audiences);
        authorizedParties = authorizedParties == null ? Set.of() : Set.copyOf(authorizedParties);
        subjectTemplates = subjectTemplates == null || subjectTemplates.isEmpty() ? DEFAULT_SUBJECT_TEMPLATES
                : List.copyOf(subjectTemplates);
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? KEYCLOAK_ROLES_CLAIM : rolesClaim;
        // fail at configuration time on a template Ditto would not accept either
        SubjectMapping.of(prefix, subjectTemplates);
    }

    /**
     * An issuer with Keycloak's conventions: subjects {@code <prefix>:<sub>} and {@code <prefix>:<realm role>}, keys
     * from discovery, no audience check.
     */
    public static OidcIssuer keycloak(String prefix, URI issuer) {
        return new OidcIssuer(prefix, issuer, null, Set.of(), Set.of(), KEYCLOAK_SUBJECT_TEMPLATES,
                KEYCLOAK_ROLES_CLAIM);
    }

    public OidcIssuer withJwksUri(URI value) {
        return new OidcIssuer(prefix, issuer, value, audiences, authorizedParties, subjectTemplates, rolesClaim);
    }

    public OidcIssuer withAudiences(Set<String> value) {
        return new OidcIssuer(prefix, issuer, jwksUri, value, authorizedParties, subjectTemplates, rolesClaim);
    }

    public OidcIssuer withAuthorizedParties(Set<String> value) {
        return new OidcIssuer(prefix, issuer, jwksUri, audiences, value, subjectTemplates, rolesClaim);
    }

    public OidcIssuer withSubjectTemplates(List<String> value) {
        return new OidcIssuer(prefix, issuer, jwksUri, audiences, authorizedParties, value, rolesClaim);
    }

    /** The mapping from a token's claims to this issuer's subjects. */
    public SubjectMapping subjectMapping() {
        return SubjectMapping.of(prefix, subjectTemplates);
    }

    /** Whether a token's {@code iss} names this issuer (a trailing slash on either side is ignored). */
    public boolean issued(String iss) {
        return iss != null && withoutTrailingSlash(iss).equals(withoutTrailingSlash(issuer.toString()));
    }

    /** The OpenID Connect discovery document's URL, {@code <issuer>/.well-known/openid-configuration}. */
    public URI discoveryUri() {
        return URI.create(withoutTrailingSlash(issuer.toString()) + "/.well-known/openid-configuration");
    }

    private static String withoutTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
