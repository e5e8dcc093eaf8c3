package io.plantmesh.twin.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.ditto.base.model.exceptions.InvalidRqlExpressionException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.InvalidOptionException;
import org.junit.jupiter.api.Test;

class SearchOptionsTest {

    private static SearchOptions parse(String text) {
        return SearchOptions.parse(text, DittoHeaders.empty());
    }

    @Test
    void defaultsAreSortByThingIdAndTwentyFive() {
        SearchOptions none = parse(null);
        assertThat(none.order().toString()).isEqualTo("sort(+thingId)");
        assertThat(none.pageSize()).isEqualTo(25);
        SearchOptions some = parse("sort(-attributes/x),size(200),cursor(abc)");
        assertThat(some.order().toString()).isEqualTo("sort(-attributes/x,+thingId)");
        assertThat(some.pageSize()).isEqualTo(200);
        assertThat(some.cursor()).isEqualTo("abc");
        assertThat(parse("limit(10,5)").pageSize()).isEqualTo(5);
    }

    @Test
    void outOfRangeOrCombinedOptionsAreInvalidOptions() {
        for (String bad : new String[] {"size(500)", "size(0)", "size(1),size(2)", "limit(0,2),size(2)",
                "limit(0,2),cursor(x)", "limit(0,201)", "sort(+thingId),sort(-thingId)"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(InvalidOptionException.class);
        }
    }

    @Test
    void syntaxErrorsAndUnsortableFieldsAreInvalidRql() {
        for (String bad : new String[] {"sort(+attributes/x", "foo(1)", "sort(+nofield/x)"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(InvalidRqlExpressionException.class);
        }
    }
}
