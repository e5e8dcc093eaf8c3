package io.plantmesh.twin.server.client;

import static io.plantmesh.twin.server.client.DittoClients24.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.changes.Change;
import org.eclipse.ditto.client.options.Options;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/**
 * Twin events through the Ditto Java client 2.4: {@code startConsumption} with an RQL filter, namespaces and extra
 * fields; matching events arrive, others do not.
 */
class DittoClientEventsTest {

    private static RunningTwinServer server;
    private static DittoClient writer;
    private static DittoClient subscriber;
    private static DittoClient partialReader;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        writer = DittoClients24.connect(server, "ditto", "ditto");
        subscriber = DittoClients24.connect(server, "ditto", "ditto");
        partialReader = DittoClients24.connect(server, "alice", "alice");
    }

    @AfterAll
    static void stop() {
        if (writer != null) writer.destroy();
        if (subscriber != null) subscriber.destroy();
        if (partialReader != null) partialReader.destroy();
        if (server != null) server.close();
    }

    @Test
    void onlyEventsMatchingFilterAndNamespaceArriveWithExtraFields() {
        ThingId watched = ThingId.of("plant.events:oven-1");
        ThingId elsewhere = ThingId.of("plant.other:oven-2");
        await(writer.twin().create(JsonFactory.newObject("{\"thingId\":\"plant.events:oven-1\","
                + "\"attributes\":{\"x\":1,\"site\":\"north\"}}")));
        await(writer.twin().create(JsonFactory.newObject("{\"thingId\":\"plant.other:oven-2\",\"attributes\":{\"x\":1}}")));

        List<Change> changes = new CopyOnWriteArrayList<>();
        subscriber.twin().registerForAttributeChanges("x-changes", "x", changes::add);
        await(subscriber.twin().startConsumption(
                Options.Consumption.filter("gt(attributes/x,5)"),
                Options.Consumption.namespaces("plant.events"),
                Options.Consumption.extraFields(JsonFactory.newFieldSelector("attributes/site"))));

        await(writer.twin().forId(watched).putAttribute("x", 3));      // filtered out: not > 5
        await(writer.twin().forId(elsewhere).putAttribute("x", 9));    // filtered out: other namespace
        await(writer.twin().forId(watched).putAttribute("x", 7));      // matches

        await().atMost(Duration.ofSeconds(5)).until(() -> !changes.isEmpty());
        Change change = changes.get(0);
        assertThat((Object) change.getEntityId()).isEqualTo(watched);
        assertThat(change.getValue()).contains(JsonValue.of(7));
        assertThat(change.getRevision()).isEqualTo(3L);
        assertThat(change.getExtra().flatMap(e -> e.getValue("attributes/site"))).contains(JsonValue.of("north"));
        // events arrive in order: had the non-matching ones been sent, they would have come first
        assertThat(changes).hasSize(1);
    }

    /**
     * Partial access events (Ditto 3.x): alice may read the order but not its costs; a merge at the thing's root
     * reaches her without the costs, one that changes only costs does not reach her.
     */
    @Test
    void aReaderWithRevokedCostsGetsRootMergesWithoutTheCosts() {
        ThingId order = ThingId.of("plant.partial:wo-1");
        await(writer.twin().create(JsonFactory.newObject("{\"thingId\":\"plant.partial:wo-1\","
                + "\"_policy\":{\"entries\":{"
                + "\"DEV\":{\"subjects\":{\"nginx:ditto\":{\"type\":\"dev\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
                + "\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}},"
                + "\"SUPERVISOR\":{\"subjects\":{\"nginx:alice\":{\"type\":\"user\"}},\"resources\":{"
                + "\"thing:/\":{\"grant\":[\"READ\"],\"revoke\":[]},"
                + "\"thing:/features/cost\":{\"grant\":[],\"revoke\":[\"READ\"]}}}}},"
                + "\"features\":{\"status\":{\"properties\":{\"status\":\"RELEASED\"}},"
                + "\"cost\":{\"properties\":{\"total\":0}}}}")));
        List<Change> changes = new CopyOnWriteArrayList<>();
        partialReader.twin().registerForThingChanges("order-changes", changes::add);
        await(partialReader.twin().startConsumption(Options.Consumption.namespaces("plant.partial")));

        await(writer.twin().merge(order, JsonFactory.newObject(
                "{\"features\":{\"cost\":{\"properties\":{\"total\":17.5}}}}")));
        await(writer.twin().merge(order, JsonFactory.newObject(
                "{\"features\":{\"status\":{\"properties\":{\"status\":\"COMPLETED\"}},"
                        + "\"cost\":{\"properties\":{\"total\":99.5}}}}")));

        await().atMost(Duration.ofSeconds(5)).until(() -> !changes.isEmpty());
        Change change = changes.get(0);
        assertThat(change.getRevision()).as("the merge of costs only was not sent").isEqualTo(3L);
        assertThat(change.getValue()).contains(JsonFactory.newObject(
                "{\"features\":{\"status\":{\"properties\":{\"status\":\"COMPLETED\"}}}}"));
        assertThat(changes).hasSize(1);
    }
}
