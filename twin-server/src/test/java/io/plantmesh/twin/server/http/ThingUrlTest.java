package io.plantmesh.twin.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.policies.PolicyPath;
import io.plantmesh.twin.server.things.ThingPath;

class ThingUrlTest {

    private static final DittoHeaders H = DittoHeaders.empty();

    @Test
    void thingItself() {
        ThingUrl url = ThingUrl.parse("plant.line1:press-7", H);
        assertThat(url.thingId().equals(ThingId.of("plant.line1", "press-7"))).isTrue();
        assertThat(url.pointer().isEmpty()).isTrue();
        assertThat(url.path().kind()).isEqualTo(ThingPath.Kind.THING);
        assertThat(url.allowedMethods()).containsExactlyInAnyOrder("GET", "PUT", "PATCH", "DELETE");
    }

    @Test
    void multiLevelAttributePointer() {
        ThingUrl url = ThingUrl.parse("ns:m1/attributes/location/hall/bay", H);
        assertThat(url.pointer().toString()).isEqualTo("/attributes/location/hall/bay");
        assertThat(url.path().kind()).isEqualTo(ThingPath.Kind.ATTRIBUTE);
        assertThat(url.path().subPointer().toString()).isEqualTo("/location/hall/bay");
    }

    @Test
    void featurePropertyAndDesiredPropertyPointers() {
        ThingUrl property = ThingUrl.parse("ns:m1/features/spindle/properties/speed/max", H);
        assertThat(property.pointer().toString()).isEqualTo("/features/spindle/properties/speed/max");
        assertThat(property.path().kind()).isEqualTo(ThingPath.Kind.FEATURE_PROPERTY);
        assertThat(property.path().featureId()).isEqualTo("spindle");

        ThingUrl desired = ThingUrl.parse("ns:m1/features/spindle/desiredProperties/speed", H);
        assertThat(desired.path().kind()).isEqualTo(ThingPath.Kind.FEATURE_DESIRED_PROPERTY);

        assertThat(ThingUrl.parse("ns:m1/features/spindle/definition", H).path().kind())
                .isEqualTo(ThingPath.Kind.FEATURE_DEFINITION);
        assertThat(ThingUrl.parse("ns:m1/features", H).path().kind()).isEqualTo(ThingPath.Kind.FEATURES);
    }

    @Test
    void segmentsAreDecodedOneByOneAndPlusStaysPlus() {
        ThingUrl url = ThingUrl.parse("ns:m%201/attributes/serial%20no/a+b/", H);
        assertThat(url.thingId().toString()).isEqualTo("ns:m 1");
        assertThat(url.pointer().toString()).isEqualTo(JsonPointer.empty().addLeaf(JsonKey.of("attributes"))
                .addLeaf(JsonKey.of("serial no")).addLeaf(JsonKey.of("a+b")).toString());
    }

    @Test
    void policyIdHasNoDelete() {
        ThingUrl url = ThingUrl.parse("ns:m1/policyId", H);
        assertThat(url.path().kind()).isEqualTo(ThingPath.Kind.POLICY_ID);
        assertThat(url.allowedMethods()).containsExactlyInAnyOrder("GET", "PUT", "PATCH");
    }

    @Test
    void invalidThingIdIsDittosIdInvalid() {
        assertThatThrownBy(() -> ThingUrl.parse("no-namespace-separator", H))
                .isInstanceOfSatisfying(DittoRuntimeException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("things:id.invalid"));
    }

    @Test
    void unknownPathsAreDittosPathUnknown() {
        for (String path : new String[] {"ns:m1/foo", "ns:m1/thingId", "ns:m1/features/f/foo",
                "ns:m1/definition/x", "ns:m1/attributes//x"}) {
            assertThatThrownBy(() -> ThingUrl.parse(path, H)).as(path)
                    .isInstanceOfSatisfying(DittoRuntimeException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo("signals.commands:path.unknown"));
        }
    }

    @Test
    void policyResourceKeepsItsSlashes() {
        PolicyUrl url = PolicyUrl.parse("ns:p1/entries/OPERATOR/resources/thing:/features/spindle", H);
        assertThat(url.path().kind()).isEqualTo(PolicyPath.Kind.RESOURCE);
        assertThat(url.path().label()).isEqualTo("OPERATOR");
        assertThat(url.path().key()).isEqualTo("thing:/features/spindle");
        assertThat(url.allowedMethods()).containsExactlyInAnyOrder("GET", "PUT", "DELETE");
        assertThat(PolicyUrl.parse("ns:p1/entries", H).allowedMethods()).containsExactlyInAnyOrder("GET", "PUT");
        assertThat(PolicyUrl.parse("ns:p1/entries/L/subjects/nginx:alice", H).path().key()).isEqualTo("nginx:alice");
    }
}
