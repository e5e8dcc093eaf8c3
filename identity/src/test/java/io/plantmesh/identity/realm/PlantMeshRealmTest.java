package io.plantmesh.identity.realm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class PlantMeshRealmTest {

    private final RealmDeclaration realm = PlantMeshRealm.declaration(List.of("http://127.0.0.1:8080"), false);

    @Test
    void theRealmHasTheRolesOfTheSharedSecurityDecisions() {
        assertThat(realm.realm()).isEqualTo(PlantMeshRealm.NAME);
        assertThat(realm.roleNames()).containsExactlyInAnyOrder(PlantMeshRealm.PLANT_VIEWER,
                PlantMeshRealm.PRODUCTION_SUPERVISOR, PlantMeshRealm.PLANNER, PlantMeshRealm.ERP_FINANCE,
                PlantMeshRealm.IT_ADMIN, PlantMeshRealm.DEVICE_GATEWAY, PlantMeshRealm.SVC_TWIN_INGESTION,
                PlantMeshRealm.SVC_MES_BRIDGE, PlantMeshRealm.SVC_ERP_BRIDGE, PlantMeshRealm.SVC_MAINTENANCE,
                PlantMeshRealm.SVC_PROVISIONING);
        assertThat(realm.roles()).allSatisfy(r -> assertThat(r.description()).isNotBlank());
        assertThat(realm.tokens().accessTokenLifespanSeconds()).isEqualTo(300);
        assertThat(realm.users()).isEmpty();
    }

    @Test
    void eachServiceClientHoldsExactlyItsOneRole() {
        Map<String, List<String>> roles = realm.serviceAccountClients().stream()
                .collect(Collectors.toMap(ClientDeclaration::clientId, ClientDeclaration::serviceAccountRoles));
        assertThat(roles).containsOnly(
                Map.entry(PlantMeshRealm.MES_BRIDGE_CLIENT, List.of(PlantMeshRealm.SVC_MES_BRIDGE)),
                Map.entry(PlantMeshRealm.ERP_BRIDGE_CLIENT, List.of(PlantMeshRealm.SVC_ERP_BRIDGE)),
                Map.entry(PlantMeshRealm.TWIN_INGESTION_CLIENT, List.of(PlantMeshRealm.SVC_TWIN_INGESTION)),
                Map.entry(PlantMeshRealm.EDGE_GATEWAY_CLIENT, List.of(PlantMeshRealm.DEVICE_GATEWAY)),
                Map.entry(PlantMeshRealm.MAINTENANCE_CLIENT, List.of(PlantMeshRealm.SVC_MAINTENANCE)),
                Map.entry(PlantMeshRealm.PROVISIONING_CLIENT, List.of(PlantMeshRealm.SVC_PROVISIONING)));
        assertThat(realm.serviceAccountClients()).allSatisfy(c -> {
            assertThat(c.standardFlow()).isFalse();
            assertThat(c.directAccessGrants()).isFalse();
            assertThat(c.redirectUris()).isEmpty();
        });
    }

    @Test
    void theUiClientIsPublicWithPkceAndPasswordGrantAndTheConfiguredOrigins() {
        ClientDeclaration ui = realm.client(PlantMeshRealm.UI_CLIENT).orElseThrow();
        assertThat(ui.kind()).isEqualTo(ClientKind.PUBLIC);
        assertThat(ui.standardFlow()).isTrue();
        assertThat(ui.pkce()).isEqualTo("S256");
        assertThat(ui.directAccessGrants()).isTrue();
        assertThat(ui.redirectUris()).containsExactly("http://127.0.0.1:8080/*", "http://127.0.0.1/*");
        assertThat(ui.webOrigins()).containsExactly("http://127.0.0.1:8080");

        RealmDeclaration two = PlantMeshRealm.declaration(List.of("http://127.0.0.1:9090", "https://ui.example"),
                false);
        assertThat(two.client(PlantMeshRealm.UI_CLIENT).orElseThrow().webOrigins())
                .containsExactly("http://127.0.0.1:9090", "https://ui.example");
    }

    @Test
    void demoUsersAreOnePerHumanRoleWithTheirNameAsPassword() {
        RealmDeclaration withUsers = PlantMeshRealm.declaration(PlantMeshRealm.DEFAULT_UI_ORIGINS, true);
        Map<String, List<String>> roles = withUsers.users().stream()
                .collect(Collectors.toMap(UserDeclaration::username, UserDeclaration::realmRoles));
        assertThat(roles).containsOnly(
                Map.entry("viewer", List.of(PlantMeshRealm.PLANT_VIEWER)),
                Map.entry("supervisor", List.of(PlantMeshRealm.PRODUCTION_SUPERVISOR)),
                Map.entry("planner", List.of(PlantMeshRealm.PLANNER)),
                Map.entry("finance", List.of(PlantMeshRealm.ERP_FINANCE)),
                Map.entry("admin", List.of(PlantMeshRealm.IT_ADMIN)));
        assertThat(withUsers.users()).allSatisfy(u -> {
            assertThat(u.password()).isEqualTo(u.username());
            assertThat(u.email()).endsWith(".invalid");
            assertThat(u.toString()).doesNotContain("password");
        });
    }

    @Test
    void anOriginWithAPathIsRefusedWithAnExample() {
        assertThatThrownBy(() -> PlantMeshRealm.declaration(List.of("http://127.0.0.1:8080/ui"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a web origin").hasMessageContaining("http://127.0.0.1:8080");
    }

    @Test
    void aClientHoldingAnUndeclaredRoleIsRefused() {
        ClientDeclaration client = new ClientDeclaration("x", "x", ClientKind.SERVICE_ACCOUNT, false, null, false,
                null, null, List.of("no-such-role"));
        assertThatThrownBy(() -> new RealmDeclaration("r", null, null, true, realm.tokens(), realm.roles(),
                List.of(client), null))
                .hasMessageContaining("client x holds role no-such-role, which realm r does not declare");
        assertThatThrownBy(() -> new ClientDeclaration("y", "y", ClientKind.SERVICE_ACCOUNT, true, null, false,
                null, null, List.of("planner")))
                .hasMessageContaining("may only use client credentials");
    }
}
