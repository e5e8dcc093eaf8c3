package io.plantmesh.twin.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.junit.jupiter.api.Test;

class HistoryRangeTest {

    private static HistoryRange parse(String... pairs) {
        Map<String, String> params = new java.util.HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            params.put(pairs[i], pairs[i + 1]);
        }
        assertThat(HistoryRange.requested(params::get)).isTrue();
        return HistoryRange.of(params::get, DittoHeaders.empty());
    }

    @Test
    void byRevision() {
        HistoryRange r = parse("from-historical-revision", "23", "to-historical-revision", "42");
        assertThat(r.byRevision()).isTrue();
        assertThat(r.fromRevision()).isEqualTo(23);
        assertThat(r.to()).contains(42L);
        assertThat(r.describeStart()).isEqualTo("revision 23");
        assertThat(parse("from-historical-revision", "-5").fromRevision()).isEqualTo(-5);
        assertThat(parse("from-historical-revision", "0").to()).isEmpty();
    }

    @Test
    void byTime() {
        HistoryRange r = parse("from-historical-timestamp", "2026-11-26T10:00:00Z",
                "to-historical-timestamp", "2026-11-26T11:00:00Z");
        assertThat(r.byRevision()).isFalse();
        assertThat(r.fromTimestamp()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(r.toTimestamp()).isEqualTo(Instant.parse("2026-11-26T11:00:00Z"));
    }

    @Test
    void noHistoryParameterMeansLiveEvents() {
        assertThat(HistoryRange.requested(Map.of("fields", "thingId")::get)).isFalse();
    }

    @Test
    void whatCannotBeServedIsA400ThatSaysWhy() {
        assertThatThrownBy(() -> parse("from-historical-revision", "ten"))
                .isInstanceOf(HistoryParameterInvalidException.class)
                .hasMessage("from-historical-revision must be a revision number, was 'ten'.");
        assertThatThrownBy(() -> parse("from-historical-timestamp", "yesterday"))
                .hasMessageContaining("ISO-8601").hasMessageContaining("'yesterday'");
        assertThatThrownBy(() -> parse("from-historical-revision", "1", "to-historical-timestamp",
                "2026-11-26T10:00:00Z")).hasMessageContaining("either by revision").hasMessageContaining("not by both");
        assertThatThrownBy(() -> parse("to-historical-revision", "5"))
                .hasMessage("to-historical-revision was given without from-historical-revision: say where the "
                        + "history starts.");
        assertThatThrownBy(() -> parse("from-historical-revision", "9", "to-historical-revision", "5"))
                .hasMessage("to-historical-revision 5 lies before from-historical-revision 9.");
        assertThatThrownBy(() -> parse("from-historical-timestamp", "2026-11-26T10:00:00Z",
                "to-historical-timestamp", "2026-11-26T10:00:00Z")).hasMessageContaining("is not after");
        HistoryParameterInvalidException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> parse("from-historical-revision", "x"), HistoryParameterInvalidException.class);
        assertThat(e.getHttpStatus().getCode()).isEqualTo(400);
        assertThat(e.getErrorCode()).isEqualTo("plantmesh:history.parameter.invalid");
        assertThat(e.getDescription()).hasValueSatisfying(d -> assertThat(d).contains("from-historical-revision")
                .contains("from-historical-timestamp"));
    }
}
