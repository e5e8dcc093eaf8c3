package io.plantmesh.erp.embedded.odata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class QueryOptionsTest {

    private static final EntitySet SET = new EntitySet("API_X_SRV", "A_Thing", "A_ThingType", List.of("Id"),
        Set.of("Id", "Material", "Plant", "IsClosed"), Map.of("to_Item", "A_Item"));

    private static QueryOptions parse(String filter) {
        return QueryOptions.parse(Map.of("$filter", filter)::get, SET);
    }

    @Test
    void equalityConditionsJoinedByAndWithQuotesParenthesesAndBooleans() {
        QueryOptions options = parse("(Material eq 'O''Neil') and Plant eq 'plant1' and IsClosed eq false");

        assertThat(options.filter()).containsExactly(new QueryOptions.Condition("Material", "O'Neil"),
            new QueryOptions.Condition("Plant", "plant1"), new QueryOptions.Condition("IsClosed", "false"));
        assertThat(options.matches(Map.<String, Object>of("Material", "O'Neil", "Plant", "plant1", "IsClosed", false)
            ::get)).isTrue();
        assertThat(options.matches(Map.<String, Object>of("Material", "O'Neil", "Plant", "plant2", "IsClosed", false)
            ::get)).isFalse();
    }

    @Test
    void numericValuesMatchWithoutLeadingZeros() {
        assertThat(new QueryOptions.Condition("Id", "0000010000").matches("10000")).isTrue();
        assertThat(new QueryOptions.Condition("Id", "10").matches("0010")).isTrue();
        assertThat(new QueryOptions.Condition("Id", "A10").matches("A010")).isFalse();
    }

    @Test
    void whatIsNotServedIsRefusedNamingWhatIs() {
        assertThatThrownBy(() -> parse("Material eq 'a' or Plant eq 'b'")).isInstanceOf(ODataError.class)
            .hasMessageContaining("Property eq 'value'");
        assertThatThrownBy(() -> parse("Material ne 'a'")).isInstanceOf(ODataError.class);
        assertThatThrownBy(() -> parse("substringof('a', Material)")).isInstanceOf(ODataError.class);
        assertThatThrownBy(() -> parse("Colour eq 'red'")).hasMessageContaining("Property Colour not found in type "
            + "A_ThingType");
        assertThatThrownBy(() -> QueryOptions.parse(Map.of("$format", "xml")::get, SET))
            .hasMessageContaining("JSON only");
        assertThatThrownBy(() -> QueryOptions.parse(Map.of("$expand", "to_Nothing")::get, SET))
            .hasMessageContaining("to_Item");
    }

    @Test
    void topSkipAndCountPage() {
        QueryOptions options = QueryOptions.parse(Map.of("$top", "2", "$skip", "1", "$inlinecount", "allpages")::get,
            SET);

        assertThat(options.page(List.of(1, 2, 3, 4))).containsExactly(2, 3);
        assertThat(options.inlineCount()).isTrue();
        assertThatThrownBy(() -> QueryOptions.parse(Map.of("$top", "-1")::get, SET)).isInstanceOf(ODataError.class);
    }
}
