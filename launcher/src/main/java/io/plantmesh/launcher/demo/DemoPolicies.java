package io.plantmesh.launcher.demo;

import java.util.List;

import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyBuilder;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.Subject;
import org.eclipse.ditto.policies.model.SubjectType;

/**
 * The demo plant's policies, one per plant area. Every one has
 * <ul>
 *     <li>{@code DEV}: {@code nginx:ditto} (the development user ditto/ditto) READ+WRITE on {@code thing:/},
 *     {@code policy:/}, {@code message:/};</li>
 *     <li>{@code IT-ADMIN}: {@code role:it-admin}, the same;</li>
 *     <li>{@code PLANT-VIEWER}: {@code role:plant-viewer} READ on {@code thing:/}.</li>
 * </ul>
 * and per area:
 * <pre>
 * policy             PRODUCTION-SUPERVISOR                      PLANNER                          ERP-FINANCE
 * plant1:shopfloor   READ thing:/; WRITE /features/state,       READ thing:/; WRITE               -
 *  (machines, lines)  /features/job/desiredProperties;           /features/schedule
 *                     READ+WRITE message:/
 * plant1:orders      READ thing:/; WRITE /features/status,      READ thing:/; WRITE /features/    READ thing:/;
 *  (work orders)      /features/progress; WRITE revoked on       status, /attributes/priority,     WRITE /features/erp
 *                     /features/erp                              /attributes/dueDate; WRITE
 *                                                                revoked on /features/erp
 * plant1:materials   READ thing:/                               READ thing:/                     READ thing:/; WRITE
 *  (materials)                                                                                    /features/stock,
 *                                                                                                 /features/procurement
 * </pre>
 * Role subjects ({@code role:<keycloak realm role>}) are placeholders the security work binds to Keycloak roles;
 * until then nobody authenticates as them. A supervisor sees the shop floor live but cannot change financial
 * records (the ERP postings on work orders, stock and procurement on materials).
 */
public final class DemoPolicies {

    public static final String SHOPFLOOR = "shopfloor";
    public static final String ORDERS = "orders";
    public static final String MATERIALS = "materials";

    /** The subject of the development user ditto/ditto. */
    public static final String DEV_SUBJECT = "nginx:ditto";

    private DemoPolicies() {
    }

    public static PolicyId shopfloorId(String plant) {
        return PolicyId.of(plant, SHOPFLOOR);
    }

    public static PolicyId ordersId(String plant) {
        return PolicyId.of(plant, ORDERS);
    }

    public static PolicyId materialsId(String plant) {
        return PolicyId.of(plant, MATERIALS);
    }

    /** The three policies, in the order they must exist before their things. */
    static List<Policy> all(String plant) {
        return List.of(shopfloor(plant), orders(plant), materials(plant));
    }

    static Policy shopfloor(String plant) {
        return common(shopfloorId(plant))
                .forLabel("PRODUCTION-SUPERVISOR").setSubject(role("production-supervisor"))
                .setGrantedPermissions("thing", "/", "READ")
                .setGrantedPermissions("thing", "/features/state", "WRITE")
                .setGrantedPermissions("thing", "/features/job/desiredProperties", "WRITE")
                .setGrantedPermissions("message", "/", "READ", "WRITE")
                .forLabel("PLANNER").setSubject(role("planner"))
                .setGrantedPermissions("thing", "/", "READ")
                .setGrantedPermissions("thing", "/features/schedule", "WRITE")
                .build();
    }

    static Policy orders(String plant) {
        return common(ordersId(plant))
                .forLabel("PRODUCTION-SUPERVISOR").setSubject(role("production-supervisor"))
                .setGrantedPermissions("thing", "/", "READ")
                .setGrantedPermissions("thing", "/features/status", "WRITE")
                .setGrantedPermissions("thing", "/features/progress", "WRITE")
                .setRevokedPermissions("thing", "/features/erp", "WRITE")
                .forLabel("PLANNER").setSubject(role("planner"))
                .setGrantedPermissions("thing", "/", "READ")
                .setGrantedPermissions("thing", "/features/status", "WRITE")
                .setGrantedPermissions("thing", "/attributes/priority", "WRITE")
                .setGrantedPermissions("thing", "/attributes/dueDate", "WRITE")
                .setRevokedPermissions("thing", "/features/erp", "WRITE")
                .forLabel("ERP-FINANCE").setSubject(role("erp-finance"))
                .setGrantedPermissions("thing", "/", "READ")
                .setGrantedPermissions("thing", "/features/erp", "WRITE")
                .build();
    }

    static Policy materials(String plant) {
        return common(materialsId(plant))
                .forLabel("PRODUCTION-SUPERVISOR").setSubject(role("production-supervisor"))
                .setGrantedPermissions("thing", "/", "READ")
                .forLabel("PLANNER").setSubject(role("planner"))
                .setGrantedPermissions("thing", "/", "READ")
                .forLabel("ERP-FINANCE").setSubject(role("erp-finance"))
                .setGrantedPermissions("thing", "/", "READ")
                .setGrantedPermissions("thing", "/features/stock", "WRITE")
                .setGrantedPermissions("thing", "/features/procurement", "WRITE")
                .build();
    }

    private static PolicyBuilder common(PolicyId id) {
        return PoliciesModelFactory.newPolicyBuilder(id)
                .forLabel("DEV")
                .setSubject(Subject.newInstance(DEV_SUBJECT,
                        SubjectType.newInstance("development user ditto/ditto")))
                .setGrantedPermissions("thing", "/", "READ", "WRITE")
                .setGrantedPermissions("policy", "/", "READ", "WRITE")
                .setGrantedPermissions("message", "/", "READ", "WRITE")
                .forLabel("IT-ADMIN").setSubject(role("it-admin"))
                .setGrantedPermissions("thing", "/", "READ", "WRITE")
                .setGrantedPermissions("policy", "/", "READ", "WRITE")
                .setGrantedPermissions("message", "/", "READ", "WRITE")
                .forLabel("PLANT-VIEWER").setSubject(role("plant-viewer"))
                .setGrantedPermissions("thing", "/", "READ")
                .exitLabel();
    }

    private static Subject role(String realmRole) {
        return Subject.newInstance("role:" + realmRole,
                SubjectType.newInstance("Keycloak realm role " + realmRole));
    }
}
