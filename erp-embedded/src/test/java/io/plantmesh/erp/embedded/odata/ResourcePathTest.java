package io.plantmesh.erp.embedded.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ResourcePathTest {

    private static final EntitySet HEADER = new EntitySet("API_MATERIAL_DOCUMENT_SRV", "A_MaterialDocumentHeader",
        "A_MaterialDocumentHeaderType", List.of("MaterialDocumentYear", "MaterialDocument"),
        Set.of("MaterialDocumentYear", "MaterialDocument"), Map.of("to_MaterialDocumentItem", "A_MaterialDocumentItem"));

    @Test
    void namedKeysAndNavigation() {
        ResourcePath path = ResourcePath.parse("A_MaterialDocumentHeader(MaterialDocumentYear='2026',"
            + "MaterialDocument='4900000001')/to_MaterialDocumentItem");

        assertThat(path.entitySet()).isEqualTo("A_MaterialDocumentHeader");
        assertThat(path.navigation()).isEqualTo("to_MaterialDocumentItem");
        assertThat(path.keyFor(HEADER)).containsExactly(Map.entry("MaterialDocumentYear", "2026"),
            Map.entry("MaterialDocument", "4900000001"));
        assertThat(HEADER.relativeUri(path.keyFor(HEADER))).isEqualTo("API_MATERIAL_DOCUMENT_SRV/"
            + "A_MaterialDocumentHeader(MaterialDocumentYear='2026',MaterialDocument='4900000001')");
    }

    @Test
    void aSingleUnnamedKeyWithAnEscapedQuote() {
        EntitySet single = new EntitySet("S", "A_Stock", "T", List.of("Material"), Set.of("Material"), Map.of());

        ResourcePath path = ResourcePath.parse("A_Stock('O''Neil')");

        assertThat(path.keyFor(single)).containsExactly(Map.entry("Material", "O'Neil"));
        assertThat(single.relativeUri(path.keyFor(single))).isEqualTo("S/A_Stock('O''Neil')");
        assertThat(ResourcePath.parse("A_Stock").addressesEntity()).isFalse();
    }

    @Test
    void wrongKeysAreRefused() {
        assertThatThrownBy(() -> ResourcePath.parse("A_MaterialDocumentHeader('4900000001')").keyFor(HEADER))
            .isInstanceOf(ODataError.class).hasMessageContaining("MaterialDocumentYear");
        assertThatThrownBy(() -> ResourcePath.parse("A_MaterialDocumentHeader(MaterialDocument='1')").keyFor(HEADER))
            .hasMessageContaining("MaterialDocumentYear of A_MaterialDocumentHeader is missing");
        assertThatThrownBy(() -> ResourcePath.parse("A_MaterialDocumentHeader(MaterialDocument=1")).isInstanceOf(
            ODataError.class);
        assertThatThrownBy(() -> ResourcePath.parse("A_MaterialDocumentHeader/to_MaterialDocumentItem"))
            .hasMessageContaining("needs an entity key");
    }
}
