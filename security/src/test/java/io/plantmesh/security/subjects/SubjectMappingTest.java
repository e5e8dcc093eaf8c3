package io.plantmesh.security.subjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Ditto's auth-subjects placeholders over a token's claims. */
class SubjectMappingTest {

    private static final Map<String, Object> CLAIMS = Map.of(
            "sub", "4f1c",
            "realm_access", Map.of("roles", List.of("planner", "plant-viewer")),
            "groups", List.of("line-1", "line-2"),
            "level", 3,
            "email", "");

    @Test
    void subjectAndRolesUnderThePrefixDefaultSubjectFirst() {
        SubjectMapping mapping = SubjectMapping.of("keycloak", List.of("{{ jwt:sub }}", "{{jwt:realm_access/roles}}"));
        assertThat(mapping.subjects(CLAIMS)).containsExactly("keycloak:4f1c", "keycloak:planner",
                "keycloak:plant-viewer");
    }

    @Test
    void textAroundPlaceholdersAndSeveralArraysCombine() {
        assertThat(SubjectTemplate.parse("role-{{ jwt:realm_access/roles }}").resolve(CLAIMS))
                .containsExactly("role-planner", "role-plant-viewer");
        assertThat(SubjectTemplate.parse("{{ jwt:sub }}/{{ jwt:groups }}").resolve(CLAIMS))
                .containsExactly("4f1c/line-1", "4f1c/line-2");
        assertThat(SubjectTemplate.parse("level-{{ jwt:level }}").resolve(CLAIMS)).containsExactly("level-3");
        assertThat(SubjectTemplate.parse("fixed").resolve(CLAIMS)).containsExactly("fixed");
    }

    @Test
    void unresolvableTemplatesGiveNoSubject() {
        SubjectMapping mapping = SubjectMapping.of("kc", List.of("{{ jwt:sub }}", "{{ jwt:missing }}",
                "x-{{ jwt:email }}", "{{ jwt:realm_access }}", "{{ jwt:sub/deeper }}"));
        assertThat(mapping.subjects(CLAIMS)).containsExactly("kc:4f1c");
    }

    @Test
    void templatesDittoWouldNotAcceptAreRefusedWithAReason() {
        assertThatThrownBy(() -> SubjectTemplate.parse("{{ jwt:scope | fn:split(' ') }}"))
                .hasMessageContaining("pipeline functions");
        assertThatThrownBy(() -> SubjectTemplate.parse("{{ header:x }}")).hasMessageContaining("no 'jwt:'");
        assertThatThrownBy(() -> SubjectTemplate.parse("{{ jwt:sub ")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> SubjectTemplate.parse("{{ jwt: }}")).hasMessageContaining("names no claim");
    }
}
