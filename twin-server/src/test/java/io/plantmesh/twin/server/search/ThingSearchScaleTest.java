package io.plantmesh.twin.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;
import io.plantmesh.twin.server.things.ThingAction;
import io.plantmesh.twin.server.things.ThingCommand;

/**
 * Search over a few thousand twins returns the right page and count. (Speed is measured by the benchmark, not here.)
 */
class ThingSearchScaleTest {

    private static final int THINGS = 2_000;

    private static RunningTwinServer server;

    @BeforeAll
    static void start() throws Exception {
        server = RunningTwinServer.start();
        var engine = server.server().context().engine();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < THINGS; i++) {
            String body = "{\"attributes\":{\"counter\":" + i + ",\"name\":\"machine " + i + "\",\"line\":\"L"
                    + (i % 20) + "\",\"serial\":\"SN-" + (THINGS - i) + "\"},\"features\":{\"temp\":{\"properties\":"
                    + "{\"value\":" + (i % 100) + ",\"unit\":\"C\"}},\"state\":{\"properties\":{\"mode\":\"RUN\"}}}}";
            writes.add(engine.execute(ThingCommand.of(ThingAction.MODIFY, ThingId.of("scale:m-" + i),
                    JsonPointer.empty(), JsonFactory.newObject(body), DittoHeaders.empty(), PlantTwins.DITTO)));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aFilteredSortedPageAndACountOverThousandsOfThingsAreRight() {
        ThingSearch search = server.server().context().search();
        SearchQuery query = new SearchQuery("and(eq(attributes/line,\"L7\"),ge(features/temp/properties/value,50))",
                Set.of(), null, "sort(-attributes/counter),size(25)", PlantTwins.DITTO, DittoHeaders.empty());
        SearchResult result = search.query(query);
        long count = search.count("exists(attributes/serial)", Set.of("scale"), PlantTwins.DITTO, DittoHeaders.empty());
        long matching = search.count("and(eq(attributes/line,\"L7\"),ge(features/temp/properties/value,50))",
                Set.of("scale"), PlantTwins.DITTO, DittoHeaders.empty());
        // i % 20 == 7 and i % 100 >= 50 means i % 100 is 67 or 87: 1987, 1967, 1887, 1867, ... (40 of them)
        assertThat(result.items()).hasSize(25);
        assertThat(result.items().get(0).getValue("thingId").orElseThrow().asString()).isEqualTo("scale:m-1987");
        assertThat(result.items().get(24).getValue("thingId").orElseThrow().asString()).isEqualTo("scale:m-787");
        assertThat(result.cursor()).isPresent();
        assertThat(count).isEqualTo(THINGS);
        assertThat(matching).isEqualTo(40);
    }
}
