package io.plantmesh.twin.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationModelFactory;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingConditionFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.events.TwinEventBus;
import io.plantmesh.twin.server.store.EventRecord;
import io.plantmesh.twin.server.store.StoredEntity;
import io.plantmesh.twin.server.store.TwinStore;
import io.plantmesh.twin.server.store.WriteSet;
import io.plantmesh.twin.server.things.ThingAction;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingState;

/**
 * Writes through the engine come out as if the whole resulting JSON had been parsed, although a write that changes
 * only features parses only those, and a condition sees the thing as it is.
 */
class TwinEngineWritesTest {

    private static final ThingId THING = ThingId.of("plant1:machine-1-01");
    private static final AuthorizationContext AUTH = AuthorizationModelFactory.newAuthContext(
            DittoAuthorizationContextType.UNSPECIFIED, AuthorizationModelFactory.newAuthSubject("nginx:ditto"));
    private static final JsonObject INITIAL = JsonObject.of("{\"definition\":\"io.plantmesh:machine:1.0.0\","
            + "\"attributes\":{\"serial\":\"P-7\",\"location\":{\"bay\":3}},"
            + "\"features\":{\"telemetry\":{\"properties\":{\"power\":1.0,\"seq\":1}},"
            + "\"state\":{\"definition\":[\"io.plantmesh:state:1.0.0\"],\"properties\":{\"state\":\"IDLE\"}},"
            + "\"counters\":{\"properties\":{\"good\":0}}}}");

    private TwinEngine engine;

    @BeforeEach
    void start() throws Exception {
        engine = TwinEngine.start(new MemoryStore(), new TwinEventBus(), ModelCheck.none(),
                TwinEngine.Limits.dittoDefaults());
        run(ThingAction.MODIFY, JsonPointer.empty(), INITIAL, DittoHeaders.empty());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void mergingSomeFeaturesGivesTheThingThatParsingTheWholeResultGives() throws Exception {
        List<JsonObject> patches = List.of(
                JsonObject.of("{\"features\":{\"telemetry\":{\"properties\":{\"power\":2.5,\"seq\":2}}}}"),
                JsonObject.of("{\"features\":{\"state\":{\"properties\":{\"reason\":\"jam\"}},"
                        + "\"quality\":{\"properties\":{\"scrap\":1}}}}"),
                JsonObject.of("{\"features\":{\"counters\":null}}"),
                JsonObject.of("{\"features\":{\"telemetry\":{\"properties\":{\"power\":null}}},"
                        + "\"attributes\":{\"location\":{\"bay\":4}}}"),
                JsonObject.of("{\"thingId\":\"plant1:machine-1-01\",\"features\":{\"state\":{\"definition\":"
                        + "[\"io.plantmesh:state:1.1.0\"]}}}"));

        for (JsonObject patch : patches) {
            JsonObject before = committed().json();
            run(ThingAction.MERGE, JsonPointer.empty(), patch, DittoHeaders.empty());

            JsonObject merged = JsonMergePatch.of(patch).applyOn(before).asObject();
            Thing parsedWhole = ThingsModelFactory.newThing(merged.setValue("thingId", THING.toString()));
            ThingState after = committed();
            assertThat(after.json().toString()).isEqualTo(ThingViews.regularJson(parsedWhole).toString());
            assertThat(after.thing().getFeatures()).isEqualTo(parsedWhole.getFeatures());
            assertThat(after.thing().getAttributes()).isEqualTo(parsedWhole.getAttributes());
            assertThat(after.json()).isEqualTo(ThingViews.regularJson(after.thing()));
        }
        assertThat(committed().thing().getFeatures().orElseThrow().getFeature("counters")).isEmpty();
        assertThat(committed().thing().getRevision().orElseThrow().toLong()).isEqualTo(6);
    }

    @Test
    void aModificationInsideAFeatureKeepsTheRestOfTheThing() throws Exception {
        run(ThingAction.MODIFY, JsonPointer.of("/features/counters/properties/good"), JsonObject.of("{\"v\":5}")
                .getValue("v").orElseThrow(), DittoHeaders.empty());

        ThingState after = committed();
        assertThat(after.json().getValue(JsonPointer.of("/features/counters/properties/good")))
                .contains(JsonObject.of("{\"v\":5}").getValue("v").orElseThrow());
        assertThat(after.thing().getFeatures()).isEqualTo(ThingsModelFactory.newThing(after.json()).getFeatures());
        assertThat(after.json().getValue(JsonPointer.of("/attributes/serial")).orElseThrow().asString())
                .isEqualTo("P-7");
    }

    @Test
    void conditionsAreEvaluatedOnTheCurrentThing() throws Exception {
        JsonObject patch = JsonObject.of("{\"features\":{\"telemetry\":{\"properties\":{\"seq\":2}}}}");
        String bothFieldsHold = "and(eq(attributes/serial,\"P-7\"),lt(features/telemetry/properties/seq,2),"
                + "gt(features/telemetry/properties/seq,0))";
        run(ThingAction.MERGE, JsonPointer.empty(), patch, DittoHeaders.newBuilder().condition(bothFieldsHold)
                .build());
        assertThat(committed().json().getValue(JsonPointer.of("/features/telemetry/properties/seq")).orElseThrow()
                .asInt()).isEqualTo(2);

        // the same condition no longer holds for the new state
        assertThatThrownBy(() -> run(ThingAction.MERGE, JsonPointer.empty(), patch,
                DittoHeaders.newBuilder().condition(bothFieldsHold).build()))
                .hasCauseInstanceOf(ThingConditionFailedException.class);
        String onTheWatermark = "or(not(exists(features/telemetry/properties/seq)),lt(features/telemetry/properties/seq,3))";
        run(ThingAction.MERGE, JsonPointer.empty(), patch, DittoHeaders.newBuilder().condition(onTheWatermark)
                .build());
        assertThat(committed().revision()).isEqualTo(3);
    }

    @Test
    void watermarkConditionsOfOneShapeEachSeeTheirOwnOffset() throws Exception {
        // the ingestion's condition: only the offset changes from write to write, so later ones reuse the shape
        for (int offset = 2; offset <= 6; offset++) {
            JsonObject patch = JsonObject.of("{\"features\":{\"telemetry\":{\"properties\":{\"seq\":"
                    + offset + "}}}}");
            run(ThingAction.MERGE, JsonPointer.empty(), patch, DittoHeaders.newBuilder()
                    .condition(watermarkCondition(offset)).build());
            assertThat(seq()).isEqualTo(offset);
            // the same record again finds the twin at its offset and is refused
            int replayed = offset;
            assertThatThrownBy(() -> run(ThingAction.MERGE, JsonPointer.empty(), JsonObject.of(
                    "{\"features\":{\"telemetry\":{\"properties\":{\"seq\":-1}}}}"),
                    DittoHeaders.newBuilder().condition(watermarkCondition(replayed)).build()))
                    .hasCauseInstanceOf(ThingConditionFailedException.class);
            assertThat(seq()).isEqualTo(offset);
        }
    }

    @Test
    void conditionsOnHiddenFieldsSeeThem() throws Exception {
        JsonObject patch = JsonObject.of("{\"features\":{\"telemetry\":{\"properties\":{\"seq\":2}}}}");
        long revision = committed().revision();

        run(ThingAction.MERGE, JsonPointer.empty(), patch, DittoHeaders.newBuilder()
                .condition("eq(_revision," + revision + ")").build());
        assertThat(committed().revision()).isEqualTo(revision + 1);
        assertThatThrownBy(() -> run(ThingAction.MERGE, JsonPointer.empty(), patch, DittoHeaders.newBuilder()
                .condition("eq(_revision," + revision + ")").build()))
                .hasCauseInstanceOf(ThingConditionFailedException.class);
    }

    private static String watermarkCondition(long offset) {
        return "or(not(exists(features/telemetry/properties/seq)),ne(attributes/location/bay,3),"
                + "lt(features/telemetry/properties/seq," + offset + "))";
    }

    private int seq() {
        return committed().json().getValue(JsonPointer.of("/features/telemetry/properties/seq")).orElseThrow()
                .asInt();
    }

    @Test
    void anInvalidConditionIsRefusedAsDittoDoes() {
        JsonObject patch = JsonObject.of("{\"features\":{\"telemetry\":{\"properties\":{\"seq\":2}}}}");

        assertThatThrownBy(() -> run(ThingAction.MERGE, JsonPointer.empty(), patch,
                DittoHeaders.newBuilder().condition("eq(attributes/serial").build()))
                .cause().isInstanceOf(DittoRuntimeException.class)
                .extracting(e -> ((DittoRuntimeException) e).getErrorCode()).isEqualTo("rql.expression.invalid");
    }

    private ThingState committed() {
        return engine.committedThing(THING).orElseThrow();
    }

    private void run(ThingAction action, JsonPointer path, org.eclipse.ditto.json.JsonValue value,
            DittoHeaders headers) throws Exception {
        try {
            engine.execute(ThingCommand.of(action, THING, path, value, headers, AUTH)).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the engine refused the write", e.getCause());
        }
    }

    /** Durable at once, holds nothing: the engine's committed state is what the test looks at. */
    private static final class MemoryStore implements TwinStore {
        @Override
        public List<StoredEntity> loadThings() {
            return List.of();
        }

        @Override
        public List<StoredEntity> loadPolicies() {
            return List.of();
        }

        @Override
        public List<EventRecord> events(String thingId, long fromRevision, long toRevision) {
            return List.of();
        }

        @Override
        public CompletableFuture<Void> write(WriteSet writeSet) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }
    }
}
