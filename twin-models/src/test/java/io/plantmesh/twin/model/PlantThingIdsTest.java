package io.plantmesh.twin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlantThingIdsTest {

    @Test
    void buildsTheConventionalIds() {
        assertThat((Object) PlantThingIds.line("plant1", 1)).hasToString("plant1:line-1");
        assertThat((Object) PlantThingIds.machine("plant1", 1, 3)).hasToString("plant1:machine-1-03");
        assertThat((Object) PlantThingIds.machine("plant1", 12, 105)).hasToString("plant1:machine-12-105");
        assertThat((Object) PlantThingIds.workOrder("plant1", 123)).hasToString("plant1:wo-000123");
        assertThat((Object) PlantThingIds.workOrder("plant1", 12_345_678)).hasToString("plant1:wo-12345678");
        assertThat((Object) PlantThingIds.material("plant1", "RAW-1001")).hasToString("plant1:mat-RAW-1001");
        assertThat((Object) PlantThingIds.line("acme.plant2", 4)).isEqualTo(ThingId.of("acme.plant2", "line-4"));
    }

    @Test
    void parsesEachKind() {
        assertThat(PlantThingIds.parse("plant1:line-1"))
                .isEqualTo(new PlantThingId(ThingId.of("plant1:line-1"), "plant1", TwinKind.LINE, "1"));
        assertThat(PlantThingIds.parse("plant1:machine-1-03"))
                .extracting(PlantThingId::kind, PlantThingId::key).containsExactly(TwinKind.MACHINE, "1-03");
        assertThat(PlantThingIds.parse("plant1:wo-000123"))
                .extracting(PlantThingId::kind, PlantThingId::key).containsExactly(TwinKind.WORK_ORDER, "000123");
        assertThat(PlantThingIds.parse("plant1:mat-RAW-1001"))
                .extracting(PlantThingId::plant, PlantThingId::kind, PlantThingId::key)
                .containsExactly("plant1", TwinKind.MATERIAL, "RAW-1001");
    }

    @Test
    void buildAndParseRoundTrip() {
        final ThingId machine = PlantThingIds.machine("plant7", 2, 11);
        final PlantThingId parsed = PlantThingIds.parse(machine);
        assertThat((Object) parsed.thingId()).isEqualTo(machine);
        assertThat(parsed.plant()).isEqualTo("plant7");
        assertThat((Object) PlantThingIds.lineOfMachine(machine)).isEqualTo(PlantThingIds.line("plant7", 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "plant1:line-0",          // line numbers start at 1
            "plant1:line-01",         // no leading zero
            "plant1:machine-1-3",     // machine position has two digits
            "plant1:machine-1",       // no position
            "plant1:wo-123",          // order numbers are zero padded to six digits
            "plant1:mat-",            // empty material number
            "plant1:mat-RAW 1001",    // space
            "plant1:robot-1",         // unknown kind
            ":line-1",                // no plant
            "1plant:line-1",          // Ditto namespaces start with a letter
            "plant1/line-1",          // not an id at all
            "plant1:line-1/x"         // '/' is not allowed in Ditto names
    })
    void rejectsInvalidIds(final String id) {
        assertThatThrownBy(() -> PlantThingIds.parse(id)).isInstanceOf(InvalidPlantThingIdException.class)
                .hasMessageContaining(id);
        assertThat(PlantThingIds.tryParse(id)).isEmpty();
    }

    @Test
    void rejectsInvalidParts() {
        assertThatThrownBy(() -> PlantThingIds.line("", 1)).isInstanceOf(InvalidPlantThingIdException.class)
                .hasMessageContaining("plant ''");
        assertThatThrownBy(() -> PlantThingIds.line("plant 1", 1)).isInstanceOf(InvalidPlantThingIdException.class);
        assertThatThrownBy(() -> PlantThingIds.line("plant1", 0)).hasMessageContaining("line number 0");
        assertThatThrownBy(() -> PlantThingIds.machine("plant1", 1, 1000)).hasMessageContaining("machine number");
        assertThatThrownBy(() -> PlantThingIds.workOrder("plant1", -5)).hasMessageContaining("work order number");
        assertThatThrownBy(() -> PlantThingIds.material("plant1", "RAW/1")).hasMessageContaining("material number");
    }

    @Test
    void parseWithExpectedKind() {
        assertThat(PlantThingIds.parse("plant1:line-2", TwinKind.LINE).key()).isEqualTo("2");
        assertThatThrownBy(() -> PlantThingIds.parse("plant1:line-2", TwinKind.MACHINE))
                .isInstanceOf(InvalidPlantThingIdException.class)
                .hasMessageContaining("is a LINE id, expected a MACHINE id");
        assertThatThrownBy(() -> PlantThingIds.lineOfMachine(ThingId.of("plant1:wo-000001")))
                .isInstanceOf(InvalidPlantThingIdException.class);
    }
}
