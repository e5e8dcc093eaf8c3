package io.plantmesh.twin.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import java.util.stream.Stream;

import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineState;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderStatus;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

class TwinViewRoundTripTest {

    static Stream<Arguments> twins() {
        return Stream.of(
                Arguments.of("initial machine", SampleTwins.initialMachine(),
                        (Function<Thing, Object>) MachineTwin::fromThing),
                Arguments.of("full machine", SampleTwins.fullMachine(),
                        (Function<Thing, Object>) MachineTwin::fromThing),
                Arguments.of("initial line", SampleTwins.initialLine(), (Function<Thing, Object>) LineTwin::fromThing),
                Arguments.of("full line", SampleTwins.fullLine(), (Function<Thing, Object>) LineTwin::fromThing),
                Arguments.of("initial work order", SampleTwins.initialWorkOrder(),
                        (Function<Thing, Object>) WorkOrderTwin::fromThing),
                Arguments.of("full work order", SampleTwins.fullWorkOrder(),
                        (Function<Thing, Object>) WorkOrderTwin::fromThing),
                Arguments.of("initial material", SampleTwins.initialMaterial(),
                        (Function<Thing, Object>) MaterialTwin::fromThing),
                Arguments.of("full material", SampleTwins.fullMaterial(),
                        (Function<Thing, Object>) MaterialTwin::fromThing));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("twins")
    void viewToThingToJsonAndBackIsLossless(final String name, final Object twin,
            final Function<Thing, Object> reader) throws Exception {
        final Thing thing = (Thing) twin.getClass().getMethod("toThing").invoke(twin);
        // through JSON text, as a store or the HTTP API would carry it
        final Thing reread = ThingsModelFactory.newThing(thing.toJsonString());
        final Object back = reader.apply(reread);
        assertThat(back).isEqualTo(twin);
        final Thing again = (Thing) back.getClass().getMethod("toThing").invoke(back);
        assertThat(again.toJson()).isEqualTo(thing.toJson());
    }

    @Test
    void machineThingHasDefinitionAttributesAndFeatures() {
        final Thing thing = SampleTwins.fullMachine().toThing();
        assertThat(thing.getDefinition()).contains(PlantDefinitions.MACHINE);
        assertThat(thing.getEntityId()).contains(SampleTwins.MACHINE_1_03);
        assertThat(thing.getAttributes().orElseThrow().getValue("device/honoTenant"))
                .contains(JsonValue.of("plant1"));
        assertThat(thing.getAttributes().orElseThrow().getValue("line"))
                .contains(JsonValue.of("plant1:line-1"));
        assertThat(thing.getFeatures().orElseThrow().getFeature("state").orElseThrow().getProperty("state"))
                .contains(JsonValue.of("RUNNING"));
        assertThat(thing.getFeatures().orElseThrow().getFeature("job").orElseThrow().getDesiredProperty("workOrder"))
                .contains(JsonValue.of("plant1:wo-000123"));
        assertThat(thing.getFeatures().orElseThrow().getFeature("counters").orElseThrow().getProperty("good"))
                .contains(JsonValue.of(120));
        assertThat(thing.getFeatures().orElseThrow().getFeature("maintenance").orElseThrow()
                .getProperty("windows/mw-2/failureMode")).contains(JsonValue.of("BEARING_WEAR"));
        // windows by start, whatever order they were given in
        assertThat(SampleTwins.fullMachine().maintenance()).extracting(w -> w.id()).containsExactly("mw-1", "mw-2");
        assertThat(SampleTwins.fullMachine().maintenanceAt(SampleTwins.T0.plusSeconds(7200)))
                .map(w -> w.id()).contains("mw-2");
        assertThat(SampleTwins.fullMachine().maintenanceAt(SampleTwins.T0.plusSeconds(14_400))).isEmpty();
        // a machine without windows has no maintenance feature
        assertThat(SampleTwins.initialMachine().toThing().getFeatures().orElseThrow().getFeature("maintenance"))
                .isEmpty();
    }

    @Test
    void initialMachineIsIdleWithZeroCounters() {
        final MachineTwin machine = SampleTwins.initialMachine();
        assertThat(machine.state().state()).isEqualTo(MachineState.IDLE);
        assertThat(machine.state().since()).isEqualTo(SampleTwins.T0);
        assertThat(machine.counters()).isEqualTo(MachineTwin.Counters.ZERO);
        assertThat(machine.job().inSync()).isTrue();
    }

    @Test
    void initialFactoriesCheckIds() {
        assertThatThrownBy(() -> MachineTwin.initial(SampleTwins.LINE_1, SampleTwins.LINE_1, "x",
                SampleTwins.opcuaDevice(), SampleTwins.T0)).isInstanceOf(InvalidPlantThingIdException.class);
        assertThatThrownBy(() -> MachineTwin.initial(SampleTwins.MACHINE_1_03, PlantThingIds.line("plant1", 2), "x",
                SampleTwins.opcuaDevice(), SampleTwins.T0)).hasMessageContaining("belongs to plant1:line-1");
        assertThatThrownBy(() -> LineTwin.initial(PlantThingIds.line("plant1", 2), "Line 2", "1000",
                java.util.List.of(SampleTwins.MACHINE_1_03))).hasMessageContaining("is not on line plant1:line-2");
        assertThatThrownBy(() -> MaterialTwin.initial(SampleTwins.WO_123, "PC", "1000", "0001", null, null))
                .isInstanceOf(InvalidPlantThingIdException.class);
        assertThat(SampleTwins.initialMaterial().materialNumber()).isEqualTo("RAW-1001");
    }

    @Test
    void machineStateChangesFollowTheStateMachine() {
        final MachineTwin running = SampleTwins.initialMachine()
                .withState(MachineState.RUNNING, SampleTwins.T0.plusSeconds(5), null);
        assertThat(running.state().state()).isEqualTo(MachineState.RUNNING);
        assertThat(running.state().since()).isEqualTo(SampleTwins.T0.plusSeconds(5));
        assertThatThrownBy(() -> running.withState(MachineState.SETUP, SampleTwins.T0, null))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("from RUNNING to SETUP");
    }

    @Test
    void workOrderLifecycleRecordsTimesAndMachine() {
        final WorkOrderTwin order = SampleTwins.fullWorkOrder();
        assertThat(order.status().status()).isEqualTo(WorkOrderStatus.HELD);
        assertThat((Object) order.status().machine()).isEqualTo(SampleTwins.MACHINE_1_03);
        assertThat(order.status().reason()).isEqualTo("machine down");
        assertThat(order.status().times()).containsOnlyKeys(WorkOrderStatus.RELEASED, WorkOrderStatus.DISPATCHED,
                WorkOrderStatus.RUNNING, WorkOrderStatus.HELD);
        final WorkOrderTwin released = order.withStatus(WorkOrderStatus.RELEASED, SampleTwins.T0.plusSeconds(900),
                null);
        assertThat((Object) released.status().machine()).isNull();
        assertThat(released.status().times().get(WorkOrderStatus.RELEASED))
                .isEqualTo(SampleTwins.T0.plusSeconds(900));
        assertThatThrownBy(() -> order.withStatus(WorkOrderStatus.COMPLETED, SampleTwins.T0, null))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> SampleTwins.fullWorkOrder().withStatus(WorkOrderStatus.CANCELLED,
                SampleTwins.T0, "x").dispatchTo(SampleTwins.MACHINE_1_03, SampleTwins.T0))
                .hasMessageContaining("CANCELLED is final");
    }

    @Test
    void materialStockAndReorder() {
        final MaterialTwin material = SampleTwins.initialMaterial();
        assertThat(material.needsReorder()).isTrue(); // 0 available <= 200
        final MaterialTwin stocked = material.withStock(MaterialTwin.Stock.of(1500, 1250, null));
        assertThat(stocked.stock().available()).isEqualTo(250);
        assertThat(stocked.needsReorder()).isFalse();
        assertThat(SampleTwins.fullMaterial().needsReorder()).isFalse(); // a requisition is open
    }

    @Test
    void fromThingRejectsOtherKindsAndBadValuesWithPath() {
        final Thing line = SampleTwins.initialLine().toThing();
        assertThatThrownBy(() -> MachineTwin.fromThing(line)).isInstanceOf(TwinFormatException.class)
                .hasMessageContaining("/definition: expected io.plantmesh:machine:1.0.0 but was io.plantmesh:line:1.0.0");

        final Thing badCounter = SampleTwins.initialMachine().toThing()
                .setFeatureProperty("counters", org.eclipse.ditto.json.JsonPointer.of("good"), JsonValue.of("many"));
        assertThatThrownBy(() -> MachineTwin.fromThing(badCounter)).isInstanceOf(TwinFormatException.class)
                .hasMessageContaining("/features/counters/properties/good: must be an integer");

        final Thing badState = SampleTwins.initialMachine().toThing()
                .setFeatureProperty("state", org.eclipse.ditto.json.JsonPointer.of("state"), JsonValue.of("FLYING"));
        assertThatThrownBy(() -> MachineTwin.fromThing(badState))
                .hasMessageContaining("/features/state/properties/state: 'FLYING' is not a MachineState");

        final Thing noName = SampleTwins.initialLine().toThing().removeAttribute("name");
        assertThatThrownBy(() -> LineTwin.fromThing(noName))
                .hasMessageContaining("/attributes/name: required value is missing");
    }
}
