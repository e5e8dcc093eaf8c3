package io.plantmesh.twin.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;
import org.eclipse.ditto.rql.query.filter.QueryFilterCriteriaFactory;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conditions that differ only in their integers reuse one parsed shape, and decide exactly as Ditto's RQL parsing
 * each of them does; shapes where that would not be exact are parsed every time.
 */
class ParsedConditionTest {

    private static final String WATERMARK = "features/connectivity/properties/telemetryWatermark";

    @BeforeEach
    void clear() {
        ParsedCondition.clearCaches();
    }

    @Test
    void aShapeIsTheConditionWithItsStandaloneIntegersTakenOut() {
        ConditionTemplate t = ConditionTemplate.of("or(not(exists(a/b1)),ne(a/p,0),lt(a/o,-17),in(x,1,2.5,3),"
                + "eq(s,\"4,5,6\"))");

        assertThat(t.key()).isEqualTo("or(not(exists(a/b1)),ne(a/p,#),lt(a/o,#),in(x,#,2.5,#),eq(s,\"4,#,6\"))");
        assertThat(t.values()).containsExactly(0, -17, 1, 3, 5);
        assertThat(ConditionTemplate.of("eq(attributes/serial,\"P-7\")").hasValues()).isFalse();
    }

    @Test
    void watermarkConditionsDecideAsDittoParsingEachOfThemDoes() {
        List<Thing> things = List.of(thing(null, null), thing(0L, 41L), thing(0L, 42L), thing(0L, 43L),
                thing(1L, 42L), thing(0L, 1_000_000_000_000L));
        for (long partition = 0; partition <= 1; partition++) {
            for (long offset : new long[] {0, 1, 41, 42, 43, 44, 1_000_000_000_000L, 1_000_000_000_001L}) {
                String condition = "or(not(exists(" + WATERMARK + "/offset)),ne(" + WATERMARK + "/partition,"
                        + partition + "),lt(" + WATERMARK + "/offset," + offset + "))";
                assertSameDecisions(condition, things);
                assertThat(ParsedCondition.substitutesShapeOf(condition)).isTrue();
            }
        }
    }

    @Test
    void shapesWithIntegersThatAreNoComparisonValuesAreParsedEachTime() {
        Thing thing = ThingsModelFactory.newThingBuilder().setId(org.eclipse.ditto.things.model.ThingId.of("a:b"))
                .setAttribute(org.eclipse.ditto.json.JsonPointer.of("s"),
                        org.eclipse.ditto.json.JsonValue.of("x,5,y"))
                .setAttribute(org.eclipse.ditto.json.JsonPointer.of("n"), org.eclipse.ditto.json.JsonValue.of(5))
                .build();
        for (int i = 4; i <= 6; i++) {
            // an integer inside a quoted string: substituting it would change the string, not a value
            assertSameDecisions("and(eq(attributes/s,\"x," + i + ",y\"),eq(attributes/n," + i + "))",
                    List.of(thing));
            assertThat(ParsedCondition.substitutesShapeOf("and(eq(attributes/s,\"x," + i + ",y\"),eq(attributes/n,"
                    + i + "))")).isFalse();
            assertSameDecisions("in(attributes/n," + i + ",7,-" + i + ")", List.of(thing));
            assertThat(ParsedCondition.substitutesShapeOf("in(attributes/n,1,7,-1)")).isTrue();
        }
    }

    @Test
    void onlyCanonicalIntegersAreTakenOut() {
        assertThat(ConditionTemplate.of("and(lt(a,007),gt(b,-0),eq(c,+5),eq(d, 5),eq(e,1234567890123456789))").key())
                .isEqualTo("and(lt(a,007),gt(b,-0),eq(c,+5),eq(d, 5),eq(e,1234567890123456789))");
        ConditionTemplate canonical = ConditionTemplate.of("and(lt(a,0),gt(b,-12),eq(c,123456789012345678))");
        assertThat(canonical.key()).isEqualTo("and(lt(a,#),gt(b,#),eq(c,#))");
        assertThat(canonical.values()).containsExactly(0, -12, 123456789012345678L);
        assertThat(ConditionTemplate.of("in(a,1,22,333)").sentinelCondition()).isEqualTo("in(a,"
                + ConditionTemplate.SENTINEL_BASE + "," + (ConditionTemplate.SENTINEL_BASE + 1) + ","
                + (ConditionTemplate.SENTINEL_BASE + 2) + ")");
        assertThat(ConditionTemplate.of("eq(a,5").key()).isEqualTo("eq(a,5");
        assertThat(ConditionTemplate.of("").hasValues()).isFalse();
    }

    @Test
    void conditionsOnHiddenFieldsAreRecognised() {
        assertThat(ParsedCondition.of("gt(_revision,3)", DittoHeaders.empty()).readsHiddenFields()).isTrue();
        assertThat(ParsedCondition.of("or(not(exists(" + WATERMARK + "/offset)),lt(" + WATERMARK + "/offset,3))",
                DittoHeaders.empty()).readsHiddenFields()).isFalse();
    }

    @Test
    void aConditionOnRegularFieldsDecidesTheSameOnTheRegularJson() {
        Thing thing = thing(0L, 42L);
        Thing withRegularJson = JsonOnceThing.of(thing, io.plantmesh.twin.server.things.ThingState.regularJson(thing));
        for (long offset = 40; offset <= 44; offset++) {
            ParsedCondition parsed = ParsedCondition.of("and(eq(" + WATERMARK + "/partition,0),lt(" + WATERMARK
                    + "/offset," + offset + "))", DittoHeaders.empty());
            assertThat(parsed.predicate().test(withRegularJson)).isEqualTo(parsed.predicate().test(thing))
                    .isEqualTo(42 < offset);
        }
    }

    private static void assertSameDecisions(String condition, List<Thing> things) {
        // twice: the first parses (and may record the shape), the second may substitute into the shape
        for (int round = 0; round < 2; round++) {
            Predicate<Thing> ours = ParsedCondition.of(condition, DittoHeaders.empty()).predicate();
            Predicate<Thing> ditto = ThingPredicateVisitor.apply(QueryFilterCriteriaFactory.modelBased(
                    RqlPredicateParser.getInstance()).filterCriteria(condition, DittoHeaders.empty()));
            for (Thing thing : things) {
                assertThat(ours.test(thing)).as("%s on %s", condition, thing).isEqualTo(ditto.test(thing));
            }
        }
    }

    private static Thing thing(Long partition, Long offset) {
        var builder = ThingsModelFactory.newThingBuilder().setId(org.eclipse.ditto.things.model.ThingId.of("a:b"))
                .setRevision(7);
        if (partition == null) {
            return builder.setFeatureProperty("connectivity", org.eclipse.ditto.json.JsonPointer.of("connected"),
                    org.eclipse.ditto.json.JsonValue.of(true)).build();
        }
        return builder.setFeatureProperty("connectivity", org.eclipse.ditto.json.JsonPointer.of(
                        "telemetryWatermark/partition"), org.eclipse.ditto.json.JsonValue.of(partition))
                .setFeatureProperty("connectivity", org.eclipse.ditto.json.JsonPointer.of("telemetryWatermark/offset"),
                        org.eclipse.ditto.json.JsonValue.of(offset))
                .build();
    }
}
