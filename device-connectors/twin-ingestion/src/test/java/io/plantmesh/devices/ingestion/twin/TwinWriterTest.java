package io.plantmesh.devices.ingestion.twin;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatchers;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.HeaderTranslator;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.junit.jupiter.api.Test;

/**
 * The merge the writer sends itself is the Ditto protocol message the Ditto client's typed merge sends for the same
 * patch: same topic, path, value and headers.
 */
class TwinWriterTest {

    private static final ThingId THING = ThingId.of("plant1:machine-1-01");
    private static final JsonObject FEATURES = JsonObject.of("{\"telemetry\":{\"properties\":{\"seq\":7,"
            + "\"temperature\":61.5,\"ts\":\"2026-11-26T19:00:00Z\"}},\"connectivity\":{\"properties\":"
            + "{\"telemetryWatermark\":{\"partition\":0,\"offset\":41}}}}");
    private static final String CONDITION = CoalescedPatch.condition(Channel.TELEMETRY,
            new KafkaPosition(0, 41));

    @Test
    void theMergeIsWhatTheClientsTypedMergeSends() {
        for (String condition : new String[] {CONDITION, null}) {
            Adaptable ours = TwinWriter.mergeFeaturesCommand(THING, FEATURES, condition, "c-1");

            assertThat(json(ours)).isEqualTo(json(clientsMerge(condition)));
        }
    }

    /**
     * What {@code client.twin().merge(THING, {"features": FEATURES}, condition)} builds (Ditto client 2.4): a merge at
     * the root whose value is the patch as given, without a thingId (a partial-access writer may not write one).
     */
    private static Adaptable clientsMerge(String condition) {
        var headers = DittoHeaders.newBuilder().correlationId("c-1").schemaVersion(JsonSchemaVersion.V_2)
                .responseRequired(true).ifMatch(EntityTagMatchers.fromStrings("*"));
        if (condition != null) {
            headers.condition(condition);
        }
        // the client adapts with an empty header translator (AbstractHandle): every header goes out
        return DittoProtocolAdapter.of(HeaderTranslator.empty()).toAdaptable(MergeThing.of(THING, JsonPointer.empty(),
                JsonObject.newBuilder().set("features", FEATURES).build(), headers.build()));
    }

    private static JsonObject json(Adaptable adaptable) {
        return ProtocolFactory.wrapAsJsonifiableAdaptable(adaptable).toJson();
    }
}
