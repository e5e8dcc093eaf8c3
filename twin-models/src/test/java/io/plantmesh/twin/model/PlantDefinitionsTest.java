package io.plantmesh.twin.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;

import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlantDefinitionsTest {

    @Test
    void definitionIdsFollowDittoNamespaceNameVersion() {
        assertThat(PlantDefinitions.MACHINE).hasToString("io.plantmesh:machine:1.0.0");
        assertThat(PlantDefinitions.LINE).hasToString("io.plantmesh:line:1.0.0");
        assertThat(PlantDefinitions.WORK_ORDER).hasToString("io.plantmesh:work-order:1.0.0");
        assertThat(PlantDefinitions.MATERIAL).hasToString("io.plantmesh:material:1.0.0");
        assertThat(PlantDefinitions.WORK_ORDER.getNamespace()).isEqualTo("io.plantmesh");
        assertThat(PlantDefinitions.WORK_ORDER.getName()).isEqualTo("work-order");
        assertThat(PlantDefinitions.WORK_ORDER.getVersion()).isEqualTo("1.0.0");
    }

    @ParameterizedTest
    @EnumSource(TwinKind.class)
    void kindDefinitionAndResourceMapBothWays(final TwinKind kind) throws Exception {
        assertThat(PlantDefinitions.kindOf(PlantDefinitions.definitionOf(kind))).contains(kind);
        final String resource = PlantDefinitions.modelResource(kind);
        assertThat(resource).isEqualTo("/io/plantmesh/twin/model/tm/" + kind.modelName() + "-1.0.0.tm.jsonld");
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
        }
    }

    @Test
    void otherVersionsAndNamespaces() {
        assertThat(PlantDefinitions.kindOf(ThingsModelFactory.newDefinition("io.plantmesh:machine:9.9.9"))).isEmpty();
        assertThat(PlantDefinitions.isPlantMesh(ThingsModelFactory.newDefinition("io.plantmesh:machine:9.9.9")))
                .isTrue();
        assertThat(PlantDefinitions.isPlantMesh(ThingsModelFactory.newDefinition("org.example:machine:1.0.0")))
                .isFalse();
        assertThat(PlantDefinitions.isPlantMesh(
                ThingsModelFactory.newDefinition("https://example.org/io.plantmesh/machine.tm.jsonld"))).isFalse();
    }
}
