package io.plantmesh.security.subjects;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Derives Ditto authorization subjects from a token's claims the way Ditto's gateway does for an OpenID Connect issuer:
 * every template's values, each prefixed with the issuer's subject prefix ({@code keycloak:<value>}), in template
 * order, without duplicates. The first subject is the requester's default subject (the one Ditto puts into a new
 * thing's default policy), so list {@code {{ jwt:sub }}} first.
 */
public final class SubjectMapping {

    private final String prefix;
    private final List<SubjectTemplate> templates;

    private SubjectMapping(String prefix, List<SubjectTemplate> templates) {
        this.prefix = prefix;
        this.templates = List.copyOf(templates);
    }

    /**
     * @param prefix the subject issuer, e.g. {@code keycloak}
     * @param templates Ditto {@code auth-subjects} templates
     * @throws IllegalArgumentException if a template cannot be parsed
     */
    public static SubjectMapping of(String prefix, List<String> templates) {
        Objects.requireNonNull(prefix, "prefix");
        return new SubjectMapping(prefix, templates.stream().map(SubjectTemplate::parse).toList());
    }

    /** The subjects ({@code prefix:value}) for these claims; empty if no template resolves. */
    public List<String> subjects(Map<String, Object> claims) {
        Set<String> subjects = new LinkedHashSet<>();
        for (SubjectTemplate template : templates) {
            for (String value : template.resolve(claims)) {
                subjects.add(prefix + ":" + value);
            }
        }
        return List.copyOf(subjects);
    }

    public String prefix() {
        return prefix;
    }

    @Override
    public String toString() {
        return prefix + " " + templates;
    }
}
