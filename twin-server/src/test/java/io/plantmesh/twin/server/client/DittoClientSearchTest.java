package io.plantmesh.twin.server.client;

import static io.plantmesh.twin.server.client.DittoClients24.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.things.model.Thing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** {@code client.twin().search()} over the WebSocket search protocol, paging through several pages. */
class DittoClientSearchTest {

    private static RunningTwinServer server;
    private static DittoClient client;
    private static DittoClient bob;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        client = DittoClients24.connect(server, "ditto", "ditto");
        bob = DittoClients24.connect(server, "bob", "bob");
        for (int i = 1; i <= 5; i++) {
            await(client.twin().create(JsonFactory.newObject("{\"thingId\":\"plant.search:oven-" + i
                    + "\",\"attributes\":{\"kind\":\"oven\",\"n\":" + i + "}}")));
        }
        await(client.twin().create(JsonFactory.newObject(
                "{\"thingId\":\"plant.search:press-1\",\"attributes\":{\"kind\":\"press\"}}")));
    }

    @AfterAll
    static void stop() {
        if (client != null) client.destroy();
        if (bob != null) bob.destroy();
        if (server != null) server.close();
    }

    @Test
    void streamsAllMatchingThingsPageByPage() {
        List<String> ids;
        try (Stream<Thing> things = client.twin().search().stream(q -> q
                .filter("eq(attributes/kind,\"oven\")")
                .namespace("plant.search")
                .options(o -> o.sort(s -> s.desc("attributes/n")).size(2))
                .fields("thingId,attributes/n"))) {
            ids = things.map(t -> t.getEntityId().orElseThrow().toString()).collect(Collectors.toList());
        }
        assertThat(ids).containsExactly("plant.search:oven-5", "plant.search:oven-4", "plant.search:oven-3",
                "plant.search:oven-2", "plant.search:oven-1");
    }

    @Test
    void aRequesterSeesOnlyWhatItMayRead() {
        try (Stream<Thing> things = bob.twin().search().stream(q -> q.filter("exists(thingId)"))) {
            assertThat(things.count()).isZero();
        }
    }

    @Test
    void anInvalidFilterFailsTheStream() {
        assertThatThrownBy(() -> {
            try (Stream<Thing> things = client.twin().search().stream(q -> q.filter("eq(attributes/kind"))) {
                things.count();
            }
        }).satisfies(e -> {
            Throwable t = e;
            while (!(t instanceof DittoRuntimeException) && t.getCause() != null) {
                t = t.getCause();
            }
            assertThat(t).isInstanceOfSatisfying(DittoRuntimeException.class, dre -> {
                assertThat(dre.getErrorCode()).isEqualTo("rql.expression.invalid");
                assertThat(dre.getHttpStatus().getCode()).isEqualTo(400);
            });
        });
    }
}
