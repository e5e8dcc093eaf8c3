package io.plantmesh.twin.server.search;

import static io.plantmesh.twin.server.search.PlantTwins.machine;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.InvalidOptionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** {@code /api/2/search/things} and {@code /count} over HTTP, against {@link PlantTwins}. */
class SearchApiTest {

    private static final String SEARCH = "/api/2/search/things";
    private static final String COUNT = "/api/2/search/things/count";
    /** Ditto 2.4's code for InvalidOptionException ("thing-search:search.option.invalid"). */
    private static final String OPTION_INVALID = InvalidOptionException.ERROR_CODE;

    private static RunningTwinServer server;
    private static PlantTwins twins;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        twins = new PlantTwins(server);
        twins.createAll();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static JsonObject ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JsonFactory.newObject(response.body());
    }

    private static List<String> ids(JsonObject page) {
        List<String> ids = new ArrayList<>();
        page.getValue("items").orElseThrow().asArray()
                .forEach(item -> ids.add(item.asObject().getValue("thingId").orElseThrow().asString()));
        return ids;
    }

    private static List<String> searchIds(String user, String filter) {
        return ids(ok(twins.get(user, SEARCH, "filter", filter, "option", "size(200)")));
    }

    private static List<String> machines(int... numbers) {
        return IntStream.of(numbers).mapToObj(PlantTwins::machine).toList();
    }

    @Test
    void filtersOnAttributesAndFeatureProperties() {
        assertThat(searchIds("ditto", "eq(attributes/line,\"L1\")")).containsExactlyElementsOf(machines(2, 4, 6, 8, 10, 12));
        assertThat(searchIds("ditto", "gt(attributes/counter,10)"))
                .containsExactly(machine(11), machine(12), "plant.b:press-1", "plant.b:press-2");
        assertThat(searchIds("ditto", "like(attributes/name,\"m-0*\")")).containsExactlyElementsOf(machines(1, 2, 3, 4, 5, 6, 7, 8, 9));
        assertThat(searchIds("ditto", "in(attributes/counter,1,3,200)"))
                .containsExactly(machine(1), machine(3), "plant.b:press-2");
        assertThat(searchIds("ditto", "exists(features/temp)")).hasSize(12).doesNotContain("plant.b:press-1");
        assertThat(searchIds("ditto", "and(eq(attributes/line,\"L1\"),gt(features/temp/properties/value,9))"))
                .containsExactlyElementsOf(machines(8, 10, 12));
        assertThat(searchIds("ditto", "or(eq(attributes/counter,1),eq(attributes/name,\"press\"))"))
                .containsExactly(machine(1), "plant.b:press-1", "plant.b:press-2");
        assertThat(searchIds("ditto", "not(exists(features/temp))")).containsExactly("plant.b:press-1", "plant.b:press-2");
        assertThat(searchIds("ditto", "eq(attributes/counter,\"nothing\")")).isEmpty();
    }

    @Test
    void withoutFilterReturnsEveryReadableThingSortedByThingIdWithDefaultPageSize() {
        JsonObject page = ok(twins.get("ditto", SEARCH));
        assertThat(ids(page)).hasSize(14).startsWith(machine(1), machine(2)).endsWith("plant.b:press-2");
        assertThat(page.getValue("cursor")).isEmpty();
        JsonObject item = page.getValue("items").orElseThrow().asArray().get(0).orElseThrow().asObject();
        assertThat(item.getValue("attributes/counter")).contains(JsonValue.of(1));
        assertThat(item.getValue("policyId")).contains(JsonValue.of(machine(1)));
        assertThat(item.getValue("_revision")).isEmpty();
    }

    @Test
    void namespacesRestrictSearchAndCount() {
        assertThat(ids(ok(twins.get("ditto", SEARCH, "namespaces", "plant.b"))))
                .containsExactly("plant.b:press-1", "plant.b:press-2");
        assertThat(ids(ok(twins.get("ditto", SEARCH, "namespaces", "plant.b,elsewhere",
                "filter", "gt(attributes/counter,150)")))).containsExactly("plant.b:press-2");
        assertThat(twins.get("ditto", COUNT, "namespaces", "plant.a").body()).isEqualTo("12");
    }

    @Test
    void sortsNumbersNumericallyAndStringsLexicographicallyBothWays() {
        assertThat(ids(ok(twins.get("ditto", SEARCH, "namespaces", "plant.a",
                "option", "sort(-attributes/counter),size(3)")))).containsExactlyElementsOf(machines(12, 11, 10));
        List<String> ascending = ids(ok(twins.get("ditto", SEARCH, "namespaces", "plant.a",
                "option", "sort(+attributes/counter)")));
        // numeric: 9 before 10 (as text "10" < "9")
        assertThat(ascending).containsExactlyElementsOf(machines(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        // equal names are ordered by thing id; all names "m-.." sort before "press"
        assertThat(ids(ok(twins.get("ditto", SEARCH, "option", "sort(-attributes/name)"))))
                .startsWith("plant.b:press-1", "plant.b:press-2", machine(12), machine(11));
        // things without the field come first ascending, last descending (MongoDB's order)
        assertThat(ids(ok(twins.get("ditto", SEARCH, "option", "sort(+features/temp/properties/value),size(3)"))))
                .containsExactly("plant.b:press-1", "plant.b:press-2", machine(1));
        assertThat(ids(ok(twins.get("ditto", SEARCH, "option", "sort(-features/temp/properties/value),size(200)"))))
                .startsWith(machine(12)).endsWith("plant.b:press-1", "plant.b:press-2");
    }

    @Test
    void cursorPagingVisitsEveryThingOnceInOrderAndEndsWithoutCursor() {
        for (String sort : List.of("", "sort(-attributes/counter),")) {
            List<String> seen = new ArrayList<>();
            JsonObject page1 = ok(twins.get("ditto", SEARCH, "namespaces", "plant.a", "option", sort + "size(5)"));
            assertThat(ids(page1)).hasSize(5);
            seen.addAll(ids(page1));
            String cursor = page1.getValue("cursor").orElseThrow().asString();
            // a write between pages: a thing already seen moves; paging neither repeats nor skips
            twins.put(seen.get(0), "/attributes/name", JsonValue.of("zz-renamed"));
            JsonObject page2 = ok(twins.get("ditto", SEARCH, "namespaces", "plant.a",
                    "option", sort + "size(5),cursor(" + cursor + ")"));
            assertThat(ids(page2)).hasSize(5);
            seen.addAll(ids(page2));
            JsonObject page3 = ok(twins.get("ditto", SEARCH, "namespaces", "plant.a",
                    "option", "size(5),cursor(" + page2.getValue("cursor").orElseThrow().asString() + ")"));
            assertThat(ids(page3)).hasSize(2);
            assertThat(page3.getValue("cursor")).as("the last page has no cursor").isEmpty();
            seen.addAll(ids(page3));
            List<String> expected = sort.isEmpty() ? machines(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
                    : machines(12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
            assertThat(seen).as(sort).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void cursorOfAnotherFilterOrSortIsRejected() {
        String cursor = ok(twins.get("ditto", SEARCH, "filter", "exists(attributes/counter)", "option", "size(2)"))
                .getValue("cursor").orElseThrow().asString();
        assertError(twins.get("ditto", SEARCH, "filter", "exists(attributes/name)", "option", "cursor(" + cursor + ")"),
                400, OPTION_INVALID);
        assertError(twins.get("ditto", SEARCH, "option", "sort(-thingId),cursor(" + cursor + ")"),
                400, OPTION_INVALID);
        assertError(twins.get("ditto", SEARCH, "option", "cursor(not-a-cursor)"), 400, OPTION_INVALID);
        // the same filter, or none (then the cursor's), continues the search
        assertThat(ids(ok(twins.get("ditto", SEARCH, "option", "size(2),cursor(" + cursor + ")"))))
                .containsExactly(machine(3), machine(4));
    }

    @Test
    void deprecatedLimitPagesByOffsetAndCannotBeCombinedWithSizeOrCursor() {
        JsonObject page = ok(twins.get("ditto", SEARCH, "option", "limit(2,3)"));
        assertThat(ids(page)).containsExactlyElementsOf(machines(3, 4, 5));
        assertThat(page.getValue("nextPageOffset")).contains(JsonValue.of(5));
        assertThat(page.getValue("cursor")).isEmpty();
        assertThat(ok(twins.get("ditto", SEARCH, "option", "limit(12,5)")).getValue("nextPageOffset"))
                .contains(JsonValue.of(-1));
        assertError(twins.get("ditto", SEARCH, "option", "limit(0,2),size(2)"), 400, OPTION_INVALID);
    }

    @Test
    void countIsAPlainInteger() {
        HttpResponse<String> all = twins.get("ditto", COUNT);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).isEqualTo("14");
        assertThat(twins.get("ditto", COUNT, "filter", "eq(attributes/line,\"L2\")").body()).isEqualTo("6");
        assertThat(twins.get("alice", COUNT).body()).isEqualTo("8");
        assertThat(twins.get("bob", COUNT).body()).isEqualTo("0");
    }

    @Test
    void fieldsSelectWhatEachItemContains() {
        JsonObject page = ok(twins.get("ditto", SEARCH, "filter", "eq(attributes/counter,7)",
                "fields", "thingId,attributes/counter,features/*/properties/value,_revision"));
        JsonObject item = page.getValue("items").orElseThrow().asArray().get(0).orElseThrow().asObject();
        assertThat(item.getKeys()).extracting(Object::toString)
                .containsExactlyInAnyOrder("thingId", "attributes", "features", "_revision");
        assertThat(item.getValue("attributes")).contains(JsonFactory.newObject("{\"counter\":7}"));
        assertThat(item.getValue("features/temp/properties/value")).contains(JsonValue.of(10.5));
        assertThat(item.getValue("_revision").orElseThrow().isNumber()).isTrue();
    }

    @Test
    void aliceFindsOnlyWhatHerPolicyLetsHerRead() {
        assertThat(searchIds("alice", "exists(thingId)")).containsExactlyElementsOf(machines(1, 2, 3, 4, 5, 6, 7, 8));
        JsonObject item = ok(twins.get("alice", SEARCH, "filter", "eq(attributes/counter,3)"))
                .getValue("items").orElseThrow().asArray().get(0).orElseThrow().asObject();
        assertThat(item.getValue("attributes/counter")).contains(JsonValue.of(3));
        assertThat(item.getValue("attributes/secret")).as("revoked for alice").isEmpty();
        assertThat(searchIds("bob", "exists(thingId)")).isEmpty();
    }

    @Test
    void aFilterOnARevokedFieldMatchesNothingForAliceButMatchesForDitto() {
        assertThat(searchIds("ditto", "eq(attributes/secret,3)")).containsExactly(machine(3));
        assertThat(searchIds("alice", "eq(attributes/secret,3)")).isEmpty();
        assertThat(searchIds("alice", "exists(attributes/secret)")).isEmpty();
        assertThat(twins.get("alice", COUNT, "filter", "eq(attributes/secret,3)").body()).isEqualTo("0");
        // sorting by it does not reveal it either: for alice every thing lacks the field, so the thing id decides
        assertThat(ids(ok(twins.get("alice", SEARCH, "option", "sort(-attributes/secret),size(2)"))))
                .containsExactly(machine(1), machine(2));
    }

    @Test
    void invalidRqlIsRejectedWithDittosErrorCode() {
        assertError(twins.get("ditto", SEARCH, "filter", "eq(attributes/x"), 400, "rql.expression.invalid");
        assertError(twins.get("ditto", SEARCH, "filter", "eq(unknown/x,1)"), 400, "rql.expression.invalid");
        assertError(twins.get("ditto", COUNT, "filter", "and(eq(attributes/x,1)"), 400, "rql.expression.invalid");
        assertError(twins.get("ditto", SEARCH, "option", "sort(+attributes/x"), 400, "rql.expression.invalid");
    }

    @Test
    void sizeAboveTwoHundredIsRejected() {
        assertError(twins.get("ditto", SEARCH, "option", "size(500)"), 400, OPTION_INVALID);
        assertThat(ids(ok(twins.get("ditto", SEARCH, "option", "size(200)")))).hasSize(14);
    }

    @Test
    void postWithAFormBodySearchesAndCountsLikeGet() {
        JsonObject page = ok(twins.postForm("ditto", SEARCH, "filter", "eq(attributes/line,\"L2\")",
                "namespaces", "plant.a", "option", "sort(-attributes/counter),size(2)", "fields", "thingId"));
        assertThat(page.getValue("items").orElseThrow().asArray())
                .containsExactly(JsonFactory.newObject("{\"thingId\":\"" + machine(11) + "\"}"),
                        JsonFactory.newObject("{\"thingId\":\"" + machine(9) + "\"}"));
        assertThat(page.getValue("cursor")).isPresent();
        assertThat(twins.postForm("ditto", COUNT, "filter", "eq(attributes/line,\"L2\")").body()).isEqualTo("6");
    }

    @Test
    void unauthenticatedSearchIs401() {
        assertThat(twins.get("mallory", SEARCH).statusCode()).isEqualTo(401);
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(OPTION_INVALID).isEqualTo("thing-search:search.option.invalid");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonObject json = JsonFactory.newObject(response.body());
        assertThat(json.getValue("status")).contains(JsonValue.of(status));
        assertThat(json.getValue("error")).contains(JsonValue.of(error));
        assertThat(json.getValue("message")).isPresent();
    }
}
