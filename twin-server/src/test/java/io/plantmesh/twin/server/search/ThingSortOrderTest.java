package io.plantmesh.twin.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.thingsearch.model.SortOptionEntry;
import org.junit.jupiter.api.Test;

class ThingSortOrderTest {

    private static JsonValue v(String json) {
        return JsonFactory.readFrom(json);
    }

    @Test
    void valuesCompareByTypeThenValueAsMongoDoes() {
        List<JsonValue> values = new ArrayList<>(List.of(v("true"), v("\"b\""), v("10"), v("{\"a\":1}"), v("null"),
                v("[1]"), v("2.5"), v("\"a\""), v("false"), v("-3")));
        values.sort(ThingSortOrder::compareValues);
        assertThat(values).containsExactly(v("null"), v("-3"), v("2.5"), v("10"), v("\"a\""), v("\"b\""),
                v("{\"a\":1}"), v("[1]"), v("false"), v("true"));
        assertThat(ThingSortOrder.compareValues(null, v("null"))).as("missing equals null").isZero();
        assertThat(ThingSortOrder.compareValues(v("9"), v("10"))).as("numeric, not textual").isNegative();
        assertThat(ThingSortOrder.compareValues(v("2"), v("2.0"))).isZero();
        assertThat(ThingSortOrder.compareValues(v("\"10\""), v("\"9\""))).as("strings lexicographic").isNegative();
    }

    @Test
    void thingIdBreaksTiesAndEndsTheOrder() {
        ThingSortOrder order = ThingSortOrder.of(List.of(SortOptionEntry.desc("attributes/x")));
        assertThat(order.toString()).isEqualTo("sort(-attributes/x,+thingId)");
        ThingSortOrder truncated = ThingSortOrder.of(List.of(SortOptionEntry.desc("thingId"),
                SortOptionEntry.asc("attributes/x")));
        assertThat(truncated.toString()).isEqualTo("sort(-thingId)");
        assertThat(truncated.byThingIdOnly()).isTrue();
        assertThat(ThingSortOrder.byThingId().toString()).isEqualTo("sort(+thingId)");
    }

    @Test
    void descendingPutsMissingValuesLastAndTiesGoByThingIdAscending() {
        ThingSortOrder order = ThingSortOrder.of(List.of(SortOptionEntry.desc("attributes/x")));
        List<JsonObject> things = new ArrayList<>(List.of(
                JsonFactory.newObject("{\"thingId\":\"a:1\"}"),
                JsonFactory.newObject("{\"thingId\":\"a:3\",\"attributes\":{\"x\":5}}"),
                JsonFactory.newObject("{\"thingId\":\"a:2\",\"attributes\":{\"x\":5}}"),
                JsonFactory.newObject("{\"thingId\":\"a:4\",\"attributes\":{\"x\":40}}")));
        things.sort((a, b) -> order.comparator().compare(order.valuesOf(a), order.valuesOf(b)));
        assertThat(things).extracting(t -> t.getValue("thingId").orElseThrow().asString())
                .containsExactly("a:4", "a:2", "a:3", "a:1");
        assertThat(order.valuesOf(things.get(3))).containsExactly(JsonFactory.nullLiteral(), JsonValue.of("a:1"));
    }

    @Test
    void valuesReadFromTheModelEqualThoseReadFromTheJson() {
        JsonObject json = JsonFactory.newObject("{\"thingId\":\"a:1\",\"policyId\":\"a:1\",\"_revision\":7,"
                + "\"attributes\":{\"x\":{\"y\":3}},\"features\":{\"f\":{\"properties\":{\"p\":\"v\"}}}}");
        Thing thing = ThingsModelFactory.newThing(json);
        ThingSortOrder order = ThingSortOrder.of(List.of(SortOptionEntry.asc("attributes/x/y"),
                SortOptionEntry.desc("features/f/properties/p"), SortOptionEntry.asc("attributes/missing"),
                SortOptionEntry.asc("policyId"), SortOptionEntry.asc("_revision"), SortOptionEntry.asc("features/g/properties/p")));
        assertThat(order.valuesOf(thing)).containsExactly(JsonValue.of(3), JsonValue.of("v"), JsonFactory.nullLiteral(),
                JsonValue.of("a:1"), JsonValue.of(7), JsonFactory.nullLiteral(), JsonValue.of("a:1"));
        assertThat(order.valuesOf(thing)).isEqualTo(order.valuesOf(json));
    }
}
