package io.plantmesh.launcher.security;

import java.util.Map;
import java.util.stream.Collectors;

import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.identity.realm.RealmDeclaration;
import io.plantmesh.identity.realm.RoleDeclaration;
import io.plantmesh.identity.realm.UserDeclaration;

/**
 * What the embedded footprint's demo users may do, in one line each for {@code plantmesh up}: the role matrix of
 * docs/security.md and the MES API's and ERP's role tables, in words.
 */
public final class DemoUsers {

    private static final Map<String, String> MAY_DO = Map.of(
            PlantMeshRealm.PLANT_VIEWER, "reads machines, lines, work orders (not their costs), materials, the MES"
                    + " API and ERP stock; changes nothing",
            PlantMeshRealm.PRODUCTION_SUPERVISOR, "sees the shop floor live (no costs); holds and releases work"
                    + " orders, sends holdJob/stopJob to machines; no costs, no stock",
            PlantMeshRealm.PLANNER, "sees what the viewer sees; creates work orders (MES API), changes their"
                    + " priority and due date",
            PlantMeshRealm.ERP_FINANCE, "reads everything including work-order costs and the ERP's books; sets"
                    + " materials' reorder point and quantity",
            PlantMeshRealm.IT_ADMIN, "everything, including policies and the audit log");

    private DemoUsers() {
    }

    /** "role planner: sees what the viewer sees; ..." for a demo user. */
    public static String mayDo(UserDeclaration user, RealmDeclaration realm) {
        return user.realmRoles().stream()
                .map(role -> "role " + role + ": " + MAY_DO.getOrDefault(role, realm.roles().stream()
                        .filter(r -> r.name().equals(role)).map(RoleDeclaration::description).findFirst()
                        .orElse("no PlantMesh permissions")))
                .collect(Collectors.joining("; "));
    }
}
