package io.plantmesh.identity.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.identity.testing.KeycloakTestServer;

/** Provisioning against the real Keycloak: idempotent, and repairs drift. */
class RealmProvisioningIT {

    private final KeycloakTestServer keycloak = KeycloakTestServer.shared();

    @AfterEach
    void leaveTheRealmAsDeclared() {
        keycloak.apply();
    }

    @Test
    void aSecondApplyChangesNothing() {
        ApplyReport again = keycloak.apply();
        ApplyReport third = keycloak.apply();

        assertThat(again.changes()).isEmpty();
        assertThat(again.unchanged()).isTrue();
        assertThat(again.summary()).isEqualTo("no changes: realm plantmesh is as declared (11 roles, 7 clients,"
                + " 5 users)");
        assertThat(third.unchanged()).isTrue();
    }

    @Test
    void aDriftedRealmIsRepairedAndOnlyTheDriftIsReported() {
        try (Keycloak admin = keycloak.adminClient()) {
            RealmResource realm = admin.realm(PlantMeshRealm.NAME);
            // a role removed from a service client
            String mesBridge = realm.clients().findByClientId(PlantMeshRealm.MES_BRIDGE_CLIENT).get(0).getId();
            UserRepresentation serviceAccount = realm.clients().get(mesBridge).getServiceAccountUser();
            RoleRepresentation svcMes = realm.roles().get(PlantMeshRealm.SVC_MES_BRIDGE).toRepresentation();
            realm.users().get(serviceAccount.getId()).roles().realmLevel().remove(List.of(svcMes));
            // a user's role changed: the viewer became an IT administrator
            String viewer = realm.users().searchByUsername("viewer", true).get(0).getId();
            realm.users().get(viewer).roles().realmLevel().remove(
                    List.of(realm.roles().get(PlantMeshRealm.PLANT_VIEWER).toRepresentation()));
            realm.users().get(viewer).roles().realmLevel().add(
                    List.of(realm.roles().get(PlantMeshRealm.IT_ADMIN).toRepresentation()));
            // a redirect URI added by hand, the access token lifetime changed, a role deleted
            String ui = realm.clients().findByClientId(PlantMeshRealm.UI_CLIENT).get(0).getId();
            ClientRepresentation uiClient = realm.clients().get(ui).toRepresentation();
            uiClient.getRedirectUris().add("https://attacker.example/*");
            realm.clients().get(ui).update(uiClient);
            RealmRepresentation settings = realm.toRepresentation();
            settings.setAccessTokenLifespan(3600);
            realm.update(settings);
            realm.roles().deleteRole(PlantMeshRealm.SVC_MAINTENANCE);
            // the finance user's password changed
            org.keycloak.representations.idm.CredentialRepresentation password =
                    new org.keycloak.representations.idm.CredentialRepresentation();
            password.setType("password");
            password.setValue("something-else");
            password.setTemporary(false);
            String finance = realm.users().searchByUsername("finance", true).get(0).getId();
            realm.users().get(finance).resetPassword(password);
        }
        assertThat(keycloak.passwordGrant("finance", "finance").statusCode()).isEqualTo(401);

        ApplyReport repair = keycloak.apply();

        assertThat(repair.changes()).containsExactlyInAnyOrder(
                "updated realm plantmesh: accessTokenLifespan 3600 -> 300",
                "created role svc-maintenance",
                "updated client plantmesh-ui: redirectUris [http://127.0.0.1/*, http://127.0.0.1:8080/*,"
                        + " http://localhost:8080/*, https://attacker.example/*] -> [http://127.0.0.1/*,"
                        + " http://127.0.0.1:8080/*, http://localhost:8080/*]",
                "service account of client plantmesh-mes-bridge: added role svc-mes-bridge",
                "service account of client plantmesh-maintenance: added role svc-maintenance",
                "user viewer: removed role it-admin, added role plant-viewer",
                "set the declared password of user finance");
        assertThat(keycloak.apply().unchanged()).isTrue();
        assertThat(KeycloakTestServer.claims(keycloak.passwordToken("viewer")).at("/realm_access/roles"))
                .extracting(n -> n.toString()).asString().contains("plant-viewer").doesNotContain("it-admin");
        assertThat(keycloak.passwordGrant("finance", "finance").statusCode()).isEqualTo(200);
    }
}
