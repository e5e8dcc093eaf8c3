package io.plantmesh.policies;

import java.util.List;

import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.policies.model.PolicyBuilder;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.Subject;
import org.eclipse.ditto.policies.model.SubjectType;

import io.plantmesh.twin.model.gateway.GatewayTwin;
import io.plantmesh.twin.model.line.LineTwin;
import io.plantmesh.twin.model.machine.MachineTwin;
import io.plantmesh.twin.model.material.MaterialTwin;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * The Ditto policies of a plant, one per {@link PolicyKind}, granting exactly the role matrix of
 * {@code docs/security.md} (the data is {@code role-matrix.txt} beside this class; the tests compare the two).
 *
 * <p>Every entry names a Keycloak realm role ({@code keycloak:<role>}, see {@link PlantRoles}), never a user. Work-order
 * costs are hidden from every role that reads work orders but may not see costs by a READ revoke on
 * {@code thing:/features/cost}, so their READ on {@code thing:/} does not leak them. Note Ditto's rule that a revoke
 * wins over a grant for the whole request: a person holding a role that revokes costs and {@code erp-finance} does not
 * see costs either.
 *
 * <p>Development subjects (the embedded footprint's basic-auth user {@code nginx:ditto}) get what {@code it-admin}
 * gets, in an entry of their own, only when asked for: {@link #production()} has none.
 */
public final class PolicyTemplates {

    /** The embedded twin server's development user ditto/ditto. */
    public static final String DEVELOPMENT_SUBJECT = "nginx:ditto";

    /** The machines' feature written by twin ingestion only (its Kafka positions and the device's connection). */
    static final String CONNECTIVITY = "connectivity";

    private static final String READ = "READ";
    private static final String WRITE = "WRITE";
    private static final String THING = "thing";
    private static final String MESSAGE = "message";
    private static final String POLICY = "policy";
    /** The maintenance service's alerts, sent from a machine twin's outbox. */
    private static final String HEALTH_ALERT = "/outbox/messages/healthAlert";

    private final List<String> developmentSubjects;

    private PolicyTemplates(final List<String> developmentSubjects) {
        this.developmentSubjects = List.copyOf(developmentSubjects);
    }

    /** Policies for production: role subjects only. */
    public static PolicyTemplates production() {
        return new PolicyTemplates(List.of());
    }

    /**
     * Policies that also let the given development subjects do everything, e.g. {@link #DEVELOPMENT_SUBJECT} in the
     * embedded footprint.
     */
    public static PolicyTemplates withDevelopmentSubjects(final List<String> subjects) {
        for (final String subject : subjects) {
            if (subject == null || subject.indexOf(':') <= 0) {
                throw new IllegalArgumentException("A development subject must be issuer:subject (e.g. "
                        + DEVELOPMENT_SUBJECT + "), was '" + subject + "'.");
            }
        }
        return new PolicyTemplates(subjects);
    }

    public List<String> developmentSubjects() {
        return developmentSubjects;
    }

    /** The plant's policies, one per {@link PolicyKind}, in the order they must exist before their things. */
    public List<Policy> all(final String plant) {
        return List.of(policy(PolicyKind.SHOPFLOOR, plant), policy(PolicyKind.ORDERS, plant),
                policy(PolicyKind.MATERIALS, plant), policy(PolicyKind.GATEWAYS, plant));
    }

    /** One policy of a plant, e.g. {@code plant1:orders}. */
    public Policy policy(final PolicyKind kind, final String plant) {
        return switch (kind) {
            case SHOPFLOOR -> shopfloor(kind.id(plant));
            case ORDERS -> orders(kind.id(plant));
            case MATERIALS -> materials(kind.id(plant));
            case GATEWAYS -> gateways(kind.id(plant));
        };
    }

    private Policy shopfloor(final PolicyId id) {
        return common(id)
                .forLabel("PLANT-VIEWER").setSubject(role(PlantRoles.PLANT_VIEWER))
                .setGrantedPermissions(THING, "/", READ)
                .setGrantedPermissions(MESSAGE, HEALTH_ALERT, READ)
                .forLabel("PRODUCTION-SUPERVISOR").setSubject(role(PlantRoles.PRODUCTION_SUPERVISOR))
                .setGrantedPermissions(THING, "/", READ)
                .setGrantedPermissions(MESSAGE, "/inbox/messages/holdJob", WRITE)
                .setGrantedPermissions(MESSAGE, "/inbox/messages/stopJob", WRITE)
                .setGrantedPermissions(MESSAGE, HEALTH_ALERT, READ)
                .forLabel("PLANNER").setSubject(role(PlantRoles.PLANNER))
                .setGrantedPermissions(THING, "/", READ)
                .setGrantedPermissions(MESSAGE, HEALTH_ALERT, READ)
                .forLabel("ERP-FINANCE").setSubject(role(PlantRoles.ERP_FINANCE))
                .setGrantedPermissions(THING, "/", READ)
                // devices reach Ditto only through the ingestion (Ditto's Hono connection in a cluster): it may
                // write reported properties, never desired ones, attributes, definitions or policies
                .forLabel("SVC-TWIN-INGESTION").setSubject(role(PlantRoles.SVC_TWIN_INGESTION))
                .setGrantedPermissions(THING, properties(MachineTwin.STATE), WRITE)
                .setGrantedPermissions(THING, properties(MachineTwin.TELEMETRY), WRITE)
                .setGrantedPermissions(THING, properties(MachineTwin.COUNTERS), WRITE)
                .setGrantedPermissions(THING, properties(MachineTwin.JOB), WRITE)
                .setGrantedPermissions(THING, properties(MachineTwin.HEALTH) + "/alarms", READ, WRITE)
                .setGrantedPermissions(THING, properties(MachineTwin.HEALTH) + "/lastAlarm", READ, WRITE)
                .setGrantedPermissions(THING, properties(CONNECTIVITY), READ, WRITE)
                .setGrantedPermissions(MESSAGE, "/inbox/messages", READ)
                .forLabel("SVC-MES-BRIDGE").setSubject(role(PlantRoles.SVC_MES_BRIDGE))
                .setGrantedPermissions(THING, "/", READ)
                .setGrantedPermissions(THING, "/features/" + MachineTwin.JOB + "/desiredProperties", WRITE)
                .setGrantedPermissions(THING, properties(MachineTwin.OEE), WRITE)
                .setGrantedPermissions(THING, properties(LineTwin.SCHEDULE), WRITE)
                .setGrantedPermissions(THING, properties(LineTwin.KPI), WRITE)
                // maintenance windows planned through the MES API, and the machine told to start one
                .setGrantedPermissions(THING, properties(MachineTwin.MAINTENANCE), WRITE)
                .setGrantedPermissions(MESSAGE, "/inbox/messages/startJob", WRITE)
                .setGrantedPermissions(MESSAGE, "/inbox/messages/stopJob", WRITE)
                .setGrantedPermissions(MESSAGE, "/inbox/messages/startMaintenance", WRITE)
                // the health feature is the maintenance service's, except the devices' threshold alarms
                .forLabel("SVC-MAINTENANCE").setSubject(role(PlantRoles.SVC_MAINTENANCE))
                .setGrantedPermissions(THING, "/", READ)
                .setGrantedPermissions(THING, properties(MachineTwin.HEALTH), WRITE)
                .setRevokedPermissions(THING, properties(MachineTwin.HEALTH) + "/alarms", WRITE)
                .setRevokedPermissions(THING, properties(MachineTwin.HEALTH) + "/lastAlarm", WRITE)
                .setGrantedPermissions(MESSAGE, HEALTH_ALERT, WRITE)
                .build();
    }

    private Policy orders(final PolicyId id) {
        final String cost = "/features/" + WorkOrderTwin.COST;
        return common(id)
                .forLabel("PLANT-VIEWER").setSubject(role(PlantRoles.PLANT_VIEWER))
                .setGrantedPermissions(THING, "/", READ)
                .setRevokedPermissions(THING, cost, READ)
                .setGrantedPermissions(MESSAGE, "/outbox/messages", READ)
                .forLabel("PRODUCTION-SUPERVISOR").setSubject(role(PlantRoles.PRODUCTION_SUPERVISOR))
                .setGrantedPermissions(THING, "/", READ)
                .setRevokedPermissions(THING, cost, READ)
                .setGrantedPermissions(THING, properties(WorkOrderTwin.STATUS), WRITE)
                .setGrantedPermissions(MESSAGE, "/outbox/messages", READ)
                .forLabel("PLANNER").setSubject(role(PlantRoles.PLANNER))
                .setGrantedPermissions(THING, "/", READ)
                .setRevokedPermissions(THING, cost, READ)
                .setGrantedPermissions(THING, "/attributes/priority", WRITE)
                .setGrantedPermissions(THING, "/attributes/dueDate", WRITE)
                .setGrantedPermissions(MESSAGE, "/outbox/messages", READ)
                .forLabel("ERP-FINANCE").setSubject(role(PlantRoles.ERP_FINANCE))
                .setGrantedPermissions(THING, "/", READ)
                .setGrantedPermissions(MESSAGE, "/outbox/messages", READ)
                // creating a work order (MES API) needs WRITE on the whole thing in Ditto, costs included; the MES
                // never reads them
                .forLabel("SVC-MES-BRIDGE").setSubject(role(PlantRoles.SVC_MES_BRIDGE))
                .setGrantedPermissions(THING, "/", READ, WRITE)
                .setRevokedPermissions(THING, cost, READ)
                .setGrantedPermissions(MESSAGE, "/outbox/messages/qualityHold", WRITE)
                // the ERP bridge copies costs from finance and compares them before writing again
                .forLabel("SVC-ERP-BRIDGE").setSubject(role(PlantRoles.SVC_ERP_BRIDGE))
                .setGrantedPermissions(THING, "/", READ)
                .setGrantedPermissions(THING, properties(WorkOrderTwin.ERP), WRITE)
                .setGrantedPermissions(THING, properties(WorkOrderTwin.COST), WRITE)
                // provisioning creates work orders (costs included) but has no business reading what finance booked
                .forLabel("SVC-PROVISIONING")
                .setRevokedPermissions(THING, cost, READ)
                .build();
    }

    private Policy materials(final PolicyId id) {
        return common(id)
                .forLabel("PLANT-VIEWER").setSubject(role(PlantRoles.PLANT_VIEWER))
                .setGrantedPermissions(THING, "/", READ)
                .forLabel("PRODUCTION-SUPERVISOR").setSubject(role(PlantRoles.PRODUCTION_SUPERVISOR))
                .setGrantedPermissions(THING, "/", READ)
                .forLabel("PLANNER").setSubject(role(PlantRoles.PLANNER))
                .setGrantedPermissions(THING, "/", READ)
                .forLabel("ERP-FINANCE").setSubject(role(PlantRoles.ERP_FINANCE))
                .setGrantedPermissions(THING, "/", READ)
                .setGrantedPermissions(THING, "/attributes/reorderPoint", WRITE)
                .setGrantedPermissions(THING, "/attributes/reorderQuantity", WRITE)
                .forLabel("SVC-MES-BRIDGE").setSubject(role(PlantRoles.SVC_MES_BRIDGE))
                .setGrantedPermissions(THING, "/", READ)
                .forLabel("SVC-ERP-BRIDGE").setSubject(role(PlantRoles.SVC_ERP_BRIDGE))
                .setGrantedPermissions(THING, "/", READ)
                .setGrantedPermissions(THING, properties(MaterialTwin.STOCK), WRITE)
                .setGrantedPermissions(THING, properties(MaterialTwin.PROCUREMENT), WRITE)
                .build();
    }

    /**
     * it-admin and the development subjects: everything, including the policy itself; provisioning: the twins and the
     * policy (it writes both, and Ditto keeps a policy writable by whoever writes it), no messages.
     */
    private PolicyBuilder common(final PolicyId id) {
        PolicyBuilder.LabelScoped builder = PoliciesModelFactory.newPolicyBuilder(id)
                .forLabel("IT-ADMIN").setSubject(role(PlantRoles.IT_ADMIN))
                .setGrantedPermissions(THING, "/", READ, WRITE)
                .setGrantedPermissions(POLICY, "/", READ, WRITE)
                .setGrantedPermissions(MESSAGE, "/", READ, WRITE)
                .forLabel("SVC-PROVISIONING").setSubject(role(PlantRoles.SVC_PROVISIONING))
                .setGrantedPermissions(THING, "/", READ, WRITE)
                .setGrantedPermissions(POLICY, "/", READ, WRITE);
        if (!developmentSubjects.isEmpty()) {
            builder = builder.forLabel("DEVELOPMENT");
            for (final String subject : developmentSubjects) {
                builder = builder.setSubject(Subject.newInstance(subject,
                        SubjectType.newInstance("development subject of the embedded footprint, like it-admin")));
            }
            builder = builder
                    .setGrantedPermissions(THING, "/", READ, WRITE)
                    .setGrantedPermissions(POLICY, "/", READ, WRITE)
                    .setGrantedPermissions(MESSAGE, "/", READ, WRITE);
        }
        return builder.exitLabel();
    }

    /**
     * The edge gateways' twins: people of the plant read them (is the gateway connected, is its buffer filling), the
     * twin ingestion writes what the gateways report about themselves; no bridge needs them.
     */
    private Policy gateways(final PolicyId id) {
        return common(id)
                .forLabel("PLANT-VIEWER").setSubject(role(PlantRoles.PLANT_VIEWER))
                .setGrantedPermissions(THING, "/", READ)
                .forLabel("PRODUCTION-SUPERVISOR").setSubject(role(PlantRoles.PRODUCTION_SUPERVISOR))
                .setGrantedPermissions(THING, "/", READ)
                .forLabel("PLANNER").setSubject(role(PlantRoles.PLANNER))
                .setGrantedPermissions(THING, "/", READ)
                .forLabel("ERP-FINANCE").setSubject(role(PlantRoles.ERP_FINANCE))
                .setGrantedPermissions(THING, "/", READ)
                .forLabel("SVC-TWIN-INGESTION").setSubject(role(PlantRoles.SVC_TWIN_INGESTION))
                .setGrantedPermissions(THING, properties(CONNECTIVITY), READ, WRITE)
                .setGrantedPermissions(THING, properties(GatewayTwin.BUFFER), WRITE)
                .setGrantedPermissions(THING, properties(GatewayTwin.OPCUA), WRITE)
                .build();
    }

    private static String properties(final String feature) {
        return "/features/" + feature + "/properties";
    }

    private static Subject role(final String realmRole) {
        return Subject.newInstance(PlantRoles.subject(realmRole),
                SubjectType.newInstance("Keycloak realm role " + realmRole));
    }
}
