package io.plantmesh.twin.server.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.InvalidOptionException;
import org.junit.jupiter.api.Test;

class SearchCursorTest {

    @Test
    void encodesAndDecodesFilterSortAndLastValues() {
        SearchCursor cursor = new SearchCursor("eq(attributes/line,\"L1\")", "sort(-attributes/x,+thingId)",
                List.of(JsonValue.of(4.5), JsonValue.of("plant.a:m,1)")));
        String encoded = cursor.encode();
        assertThat(encoded).matches("[A-Za-z0-9_-]+");     // fits into cursor(...) without escaping
        assertThat(SearchCursor.decode(encoded, DittoHeaders.empty())).isEqualTo(cursor);

        SearchCursor noFilter = new SearchCursor(null, "sort(+thingId)",
                List.of(JsonValue.of("a:b")));
        assertThat(SearchCursor.decode(noFilter.encode(), DittoHeaders.empty())).isEqualTo(noFilter);
        SearchCursor missingValue = new SearchCursor(null, "sort(+attributes/x,+thingId)",
                List.of(JsonFactory.nullLiteral(), JsonValue.of("a:b")));
        assertThat(SearchCursor.decode(missingValue.encode(), DittoHeaders.empty())).isEqualTo(missingValue);
    }

    @Test
    void somethingElseIsAnInvalidOption() {
        String notOurs = Base64.getUrlEncoder().encodeToString("{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of("not-a-cursor!", "", notOurs)) {
            assertThatThrownBy(() -> SearchCursor.decode(bad, DittoHeaders.empty()))
                    .isInstanceOf(InvalidOptionException.class)
                    .satisfies(e -> assertThat(((DittoRuntimeException) e).getHttpStatus().getCode()).isEqualTo(400));
        }
    }
}
