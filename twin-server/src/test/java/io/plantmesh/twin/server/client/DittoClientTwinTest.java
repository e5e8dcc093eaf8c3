package io.plantmesh.twin.server.client;

import static io.plantmesh.twin.server.client.DittoClients24.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** Twin and policy management through the official Ditto Java client 2.4 over {@code /ws/2}. */
class DittoClientTwinTest {

    private static RunningTwinServer server;
    private static DittoClient client;
    private static DittoClient bob;

    @BeforeAll
    static void start() {
        server = RunningTwinServer.start();
        client = DittoClients24.connect(server, "ditto", "ditto");
        bob = DittoClients24.connect(server, "bob", "bob");
    }

    @AfterAll
    static void stop() {
        if (client != null) client.destroy();
        if (bob != null) bob.destroy();
        if (server != null) server.close();
    }

    @Test
    void createsRetrievesModifiesMergesAndDeletesAThing() {
        ThingId id = ThingId.of("plant.line1:press-1");
        Thing created = await(client.twin().create(JsonObject.of(
                "{\"thingId\":\"plant.line1:press-1\",\"attributes\":{\"vendor\":\"acme\"}}")));
        assertThat(created.getEntityId()).contains(id);
        assertThat(created.getPolicyEntityId()).contains(PolicyId.of(id));
        assertThat(created.getAttributes().flatMap(a -> a.getValue("vendor"))).contains(JsonValue.of("acme"));

        await(client.twin().forId(id).putAttribute("serial", "S-17"));
        await(client.twin().forId(id).putFeature(ThingsModelFactory.newFeature("spindle")));
        await(client.twin().forId(id).forFeature("spindle").putProperty("rpm", 1200));
        await(client.twin().merge(id, JsonObject.of("{\"attributes\":{\"vendor\":null,\"line\":1}}")));

        Thing thing = await(client.twin().forId(id).retrieve());
        assertThat(thing.getAttributes().orElseThrow().getValue("serial")).contains(JsonValue.of("S-17"));
        assertThat(thing.getAttributes().orElseThrow().getValue("line")).contains(JsonValue.of(1));
        assertThat(thing.getAttributes().orElseThrow().contains("vendor")).isFalse();
        assertThat(thing.getFeatures().orElseThrow().getFeature("spindle").orElseThrow()
                .getProperty("rpm")).contains(JsonValue.of(1200));
        Thing revision = await(client.twin().forId(id).retrieve(JsonFactory.newFieldSelector("thingId,_revision")));
        assertThat(revision.getRevision().orElseThrow().toLong()).isEqualTo(5L);

        List<Thing> many = await(client.twin().retrieve(id, ThingId.of("plant.line1:absent")));
        assertThat(many).extracting(t -> t.getEntityId().orElseThrow()).containsExactly(id);

        Thing selected = await(client.twin().forId(id).retrieve(JsonFactory.newFieldSelector("attributes/serial")));
        assertThat(selected.toJson()).isEqualTo(JsonObject.of("{\"attributes\":{\"serial\":\"S-17\"}}"));

        await(client.twin().forId(id).deleteAttribute("serial"));
        await(client.twin().forId(id).forFeature("spindle").deleteProperty("rpm"));
        Thing afterDeletes = await(client.twin().forId(id).retrieve());
        assertThat(afterDeletes.getAttributes().orElseThrow().contains("serial")).isFalse();

        Optional<Thing> replaced = await(client.twin().put(ThingsModelFactory.newThingBuilder()
                .setId(id).setPolicyId(PolicyId.of(id)).setAttribute(JsonPointer.of("v"), JsonValue.of(2)).build()));
        assertThat(replaced).isEmpty(); // modified, not created: 204 without body

        await(client.twin().delete(id));
        assertThatThrownBy(() -> await(client.twin().forId(id).retrieve()))
                .isInstanceOfSatisfying(DittoRuntimeException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("things:thing.notfound");
                    assertThat(e.getHttpStatus().getCode()).isEqualTo(404);
                });
    }

    @Test
    void refusalsArriveAsDittoErrors() {
        ThingId id = ThingId.of("plant.line1:press-2");
        await(client.twin().create(id));
        assertThatThrownBy(() -> await(client.twin().create(id)))
                .isInstanceOfSatisfying(DittoRuntimeException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("things:thing.conflict"));
        // bob is not in the default policy: he cannot see the thing at all
        assertThatThrownBy(() -> await(bob.twin().forId(id).putAttribute("x", 1)))
                .isInstanceOfSatisfying(DittoRuntimeException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("things:thing.notfound");
                    assertThat(e.getHttpStatus().getCode()).isEqualTo(404);
                });
        assertThatThrownBy(() -> await(client.twin().forId(id).forFeature("absent").putProperty("p", 1)))
                .isInstanceOfSatisfying(DittoRuntimeException.class,
                        e -> assertThat(e.getHttpStatus().getCode()).isEqualTo(404));
    }

    @Test
    void managesPolicies() {
        PolicyId id = PolicyId.of("plant.policies:operators");
        Policy policy = PoliciesModelFactory.newPolicy(JsonObject.of("{\"policyId\":\"plant.policies:operators\","
                + "\"entries\":{\"ADMIN\":{\"subjects\":{\"nginx:ditto\":{\"type\":\"basic\"}},"
                + "\"resources\":{\"policy:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]},"
                + "\"thing:/\":{\"grant\":[\"READ\",\"WRITE\"],\"revoke\":[]}}}}}"));
        Policy created = await(client.policies().create(policy));
        assertThat(created.getEntityId()).contains(id);
        assertThat(created.getEntryFor("ADMIN")).isPresent();

        Policy withOperators = policy.toBuilder()
                .forLabel("OPERATOR")
                .setSubject("nginx:bob", org.eclipse.ditto.policies.model.SubjectType.newInstance("basic"))
                .setGrantedPermissions("thing", "/attributes", "READ")
                .build();
        await(client.policies().update(withOperators));
        Policy retrieved = await(client.policies().retrieve(id));
        assertThat(retrieved.getEntryFor("OPERATOR")).isPresent();
        assertThat(retrieved.getEntryFor("OPERATOR").orElseThrow().getSubjects().getSubject(
                org.eclipse.ditto.policies.model.SubjectId.newInstance("nginx:bob"))).isPresent();

        ThingId thingId = ThingId.of("plant.line1:press-3");
        await(client.twin().create(ThingsModelFactory.newThingBuilder().setId(thingId).setPolicyId(id)
                .setAttribute(JsonPointer.of("site"), JsonValue.of("north")).build()));
        Thing bobsView = await(bob.twin().forId(thingId).retrieve());
        assertThat(bobsView.getAttributes().orElseThrow().getValue("site")).contains(JsonValue.of("north"));
        assertThat(bobsView.getPolicyEntityId()).isEmpty(); // bob may read attributes only

        await(client.twin().delete(thingId));
        await(client.policies().delete(id));
        assertThatThrownBy(() -> await(client.policies().retrieve(id)))
                .isInstanceOfSatisfying(DittoRuntimeException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("policies:policy.notfound"));
    }
}
