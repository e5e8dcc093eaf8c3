package io.plantmesh.twin.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;

/**
 * Who receives a twin event and what of it ({@link ThingEvent#visibleTo}), with a work-order-like policy: {@code
 * finance} reads everything, {@code supervisor} everything but {@code features/cost}, {@code ingestion} only
 * {@code features/health/properties/alarms}, {@code stranger} nothing.
 */
class ThingEventVisibilityTest {

    private static final ThingId ID = ThingId.of("plant1:wo-1");
    private static final Enforcer POLICY = PolicyEnforcers.defaultEvaluator(PoliciesModelFactory.newPolicy(
            JsonFactory.newObject("""
                    {"policyId": "plant1:orders", "entries": {
                      "FINANCE": {"subjects": {"keycloak:finance": {"type": "role"}},
                        "resources": {"thing:/": {"grant": ["READ"], "revoke": []}}},
                      "SUPERVISOR": {"subjects": {"keycloak:supervisor": {"type": "role"}},
                        "resources": {"thing:/": {"grant": ["READ"], "revoke": []},
                                      "thing:/features/cost": {"grant": [], "revoke": ["READ"]}}},
                      "INGESTION": {"subjects": {"keycloak:ingestion": {"type": "role"}},
                        "resources": {"thing:/features/health/properties/alarms": {"grant": ["READ"], "revoke": []}}}
                    }}""")));

    private static final AuthorizationContext FINANCE = auth("keycloak:finance");
    private static final AuthorizationContext SUPERVISOR = auth("keycloak:supervisor");
    private static final AuthorizationContext INGESTION = auth("keycloak:ingestion");
    private static final AuthorizationContext STRANGER = auth("keycloak:stranger");

    @Test
    void aMergeAtTheRootThatLeavesCostsAloneReachesPartialReadersUnchanged() {
        ThingEvent event = merged("/", "{\"features\":{\"status\":{\"properties\":{\"status\":\"HELD\"}}}}");

        assertThat(event.visibleTo(SUPERVISOR)).containsSame(event);
        assertThat(event.visibleTo(FINANCE)).containsSame(event);
        assertThat(event.visibleTo(INGESTION)).isEmpty();
        assertThat(event.visibleTo(STRANGER)).isEmpty();
    }

    @Test
    void aMergeTouchingCostsReachesPartialReadersWithoutTheCosts() {
        ThingEvent event = merged("/", "{\"features\":{\"status\":{\"properties\":{\"status\":\"COMPLETED\"}},"
                + "\"cost\":{\"properties\":{\"total\":1234.5,\"currency\":\"EUR\"}}}}");

        assertThat(value(event.visibleTo(SUPERVISOR))).isEqualTo(JsonFactory.newObject(
                "{\"features\":{\"status\":{\"properties\":{\"status\":\"COMPLETED\"}}}}"));
        assertThat(event.visibleTo(FINANCE)).containsSame(event);
    }

    @Test
    void aChangeOfOnlyWhatIsRevokedDoesNotReachTheReaderAtAll() {
        assertThat(merged("/", "{\"features\":{\"cost\":{\"properties\":{\"total\":1}}}}").visibleTo(SUPERVISOR))
                .isEmpty();
        assertThat(merged("/features/cost/properties", "{\"total\":null}").visibleTo(SUPERVISOR)).isEmpty();
        assertThat(event("modified", "/features/cost/properties/total", JsonValue.of(7)).visibleTo(SUPERVISOR))
                .isEmpty();
        // a deletion by merge (null) of a revoked leaf is a revoked leaf too
        assertThat(merged("/", "{\"features\":{\"cost\":null}}").visibleTo(SUPERVISOR)).isEmpty();
    }

    @Test
    void aNewWholeThingReachesPartialReadersAsTheyMayReadIt() {
        JsonObject thing = JsonFactory.newObject("{\"thingId\":\"plant1:wo-1\",\"policyId\":\"plant1:orders\","
                + "\"attributes\":{\"quantity\":100},\"features\":{\"cost\":{\"properties\":{\"total\":9}},"
                + "\"health\":{\"properties\":{\"alarms\":[]}}}}");
        ThingEvent created = event("created", "/", thing);

        JsonObject supervisor = value(created.visibleTo(SUPERVISOR)).asObject();
        assertThat(supervisor.getValue("features/cost")).isEmpty();
        assertThat(supervisor.getValue("attributes/quantity")).contains(JsonValue.of(100));
        assertThat(value(created.visibleTo(INGESTION))).isEqualTo(JsonFactory.newObject(
                "{\"features\":{\"health\":{\"properties\":{\"alarms\":[]}}}}"));
    }

    @Test
    void aReaderOfOneLeafGetsOnlyThatLeafOfAMerge() {
        ThingEvent event = merged("/features", "{\"health\":{\"properties\":{\"alarms\":[{\"code\":\"E1\"}],"
                + "\"anomalyScore\":0.4}},\"status\":{\"properties\":{\"status\":\"RUNNING\"}}}");

        assertThat(value(event.visibleTo(INGESTION))).isEqualTo(JsonFactory.newObject(
                "{\"health\":{\"properties\":{\"alarms\":[{\"code\":\"E1\"}]}}}"));
    }

    @Test
    void aRevokeOfOneOfTheRequestersSubjectsWinsOverTheGrantOfAnother() {
        AuthorizationContext both = auth("keycloak:finance", "keycloak:supervisor");
        ThingEvent event = merged("/", "{\"features\":{\"status\":{\"properties\":{\"status\":\"COMPLETED\"}},"
                + "\"cost\":{\"properties\":{\"total\":1}}}}");

        assertThat(value(event.visibleTo(both))).isEqualTo(JsonFactory.newObject(
                "{\"features\":{\"status\":{\"properties\":{\"status\":\"COMPLETED\"}}}}"));
        assertThat(event("modified", "/features/cost/properties/total", JsonValue.of(2)).visibleTo(both)).isEmpty();
    }

    @Test
    void aDeletedThingReachesEveryoneWhoCouldReadSomeOfIt() {
        ThingEvent deleted = ThingEvent.governedBy(POLICY, ID, "deleted", JsonPointer.empty(), Optional.empty(), 9,
                Instant.now(), DittoHeaders.empty(), Optional.empty());

        assertThat(deleted.visibleTo(SUPERVISOR)).containsSame(deleted);
        assertThat(deleted.visibleTo(INGESTION)).containsSame(deleted);
        assertThat(deleted.visibleTo(STRANGER)).isEmpty();
    }

    @Test
    void withoutAPolicyOnlyUnrestrictedReadersGetTheEvent() {
        ThingEvent plain = new ThingEvent(ID, "merged", JsonPointer.empty(), Optional.of(JsonFactory.newObject("{}")),
                1, Instant.now(), DittoHeaders.empty(), java.util.Set.of(AuthorizationSubject.newInstance(
                        "keycloak:finance")), Optional.empty());

        assertThat(plain.visibleTo(FINANCE)).containsSame(plain);
        assertThat(plain.visibleTo(SUPERVISOR)).isEmpty();
    }

    private static ThingEvent merged(String path, String patch) {
        return event("merged", path, JsonFactory.readFrom(patch));
    }

    private static ThingEvent event(String action, String path, JsonValue value) {
        return ThingEvent.governedBy(POLICY, ID, action, JsonPointer.of(path), Optional.of(value), 5, Instant.now(),
                DittoHeaders.empty(), Optional.empty());
    }

    private static JsonValue value(Optional<ThingEvent> event) {
        assertThat(event).as("the event is delivered").isPresent();
        return event.get().value().orElseThrow();
    }

    private static AuthorizationContext auth(String... subjects) {
        return AuthorizationContext.newInstance(DittoAuthorizationContextType.UNSPECIFIED,
                List.of(subjects).stream().map(AuthorizationSubject::newInstance).toList());
    }
}
