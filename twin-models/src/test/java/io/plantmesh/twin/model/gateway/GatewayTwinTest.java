package io.plantmesh.twin.model.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.model.InvalidPlantThingIdException;
import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.validation.ModelViolation;
import io.plantmesh.twin.model.validation.ThingModelValidator;

class GatewayTwinTest {

    private static final ThingId ID = PlantThingIds.gateway("plant1", 2);
    private static final ThingId LINE = PlantThingIds.line("plant1", 2);

    @Test
    void gatewayIdsAreRecognisedAsTheGatewayKind() {
        assertThat(ID.toString()).isEqualTo("plant1:gateway-2");
        assertThat(PlantThingIds.isGateway("plant1:gateway-2")).isTrue();
        assertThat(PlantThingIds.isGateway("plant1:gateway-0")).isFalse();
        assertThat(PlantThingIds.isGateway("plant1:machine-1-01")).isFalse();
        assertThat(PlantThingIds.isGateway("gateway-1")).isFalse();
        assertThat(PlantThingIds.tryParse(ID)).hasValueSatisfying(p -> {
            assertThat(p.kind()).isEqualTo(TwinKind.GATEWAY);
            assertThat(p.key()).isEqualTo("2");
        });
        assertThat(PlantDefinitions.kindOf(PlantDefinitions.EDGE_GATEWAY)).contains(TwinKind.GATEWAY);
        assertThatThrownBy(() -> GatewayTwin.initial(PlantThingIds.machine("plant1", 1, 1), "x", LINE))
                .isInstanceOf(InvalidPlantThingIdException.class).hasMessageContaining("<plant>:gateway-<line>");
    }

    @Test
    void initialTwinIsValidAndReadsBack() {
        final Thing thing = GatewayTwin.initial(ID, "Edge gateway line 2", LINE).toThing();
        assertThat(thing.getDefinition()).contains(PlantDefinitions.EDGE_GATEWAY);
        assertThat(ThingModelValidator.plantModels().validate(thing)).isEmpty();
        final GatewayTwin read = GatewayTwin.fromThing(thing);
        assertThat(read.line().toString()).isEqualTo(LINE.toString());
        assertThat(read.plant()).isEqualTo("plant1");
        assertThat(read.connectivity().connected()).isFalse();
        assertThat(read.buffer()).isEqualTo(GatewayTwin.Buffer.UNKNOWN);
        assertThat(thing.getAttributes().orElseThrow().getValue("device/deviceId")).contains(JsonValue.of(ID.toString()));
    }

    @Test
    void reportedHealthRoundTripsAndIsValid() {
        final GatewayTwin twin = new GatewayTwin(ID, "gw", "plant1", LINE,
                new GatewayTwin.Connectivity(true, -1L, Instant.parse("2026-11-26T08:00:00Z")),
                new GatewayTwin.Buffer(12L, 4096L, 1L << 20, 3L, Instant.parse("2026-11-26T08:00:10Z")),
                Map.of("plant1:machine-2-01", new GatewayTwin.OpcUaSession(GatewayTwin.SessionState.CONNECTED,
                                "opc.tcp://127.0.0.1:4842/plantmesh", null),
                        "plant1:machine-2-02", new GatewayTwin.OpcUaSession(GatewayTwin.SessionState.RECONNECTING,
                                "opc.tcp://127.0.0.1:4842/plantmesh", "connection refused")));
        final Thing thing = twin.toThing();
        assertThat(ThingModelValidator.plantModels().validate(thing)).isEmpty();
        assertThat(GatewayTwin.fromThing(thing)).isEqualTo(twin);
    }

    @Test
    void theThingModelRefusesWhatIsNotAGatewayHealth() {
        final Thing base = GatewayTwin.initial(ID, "gw", LINE).toThing();
        final Thing badSession = base.setFeatureProperty("opcua", JsonPointer.of("machines"),
                JsonFactory.newObjectBuilder().set("plant1:machine-2-01",
                        JsonFactory.newObjectBuilder().set("session", "FLYING").build()).build());
        final Thing negativeBuffer = base.setFeatureProperty("buffer", JsonPointer.of("messages"), JsonValue.of(-1));
        final Thing noLine = base.removeAttribute(JsonPointer.of("line"));
        assertThat(ThingModelValidator.plantModels().validate(badSession)).extracting(ModelViolation::path)
                .anyMatch(p -> p.contains("session"));
        assertThat(ThingModelValidator.plantModels().validate(negativeBuffer)).extracting(ModelViolation::path)
                .anyMatch(p -> p.contains("messages"));
        assertThat(ThingModelValidator.plantModels().validate(noLine)).extracting(ModelViolation::path)
                .anyMatch(p -> p.contains("line"));
    }
}
