package io.plantmesh.policies;

import java.util.List;

/**
 * The Keycloak realm roles of PlantMesh (realm {@code plantmesh}) and the Ditto subjects they become. The twin server
 * derives subjects from a token the way Ditto's gateway does for an OpenID Connect issuer configured with prefix
 * {@code keycloak} and the auth subjects {@code {{ jwt:sub }}} and {@code {{ jwt:realm_access/roles }}}: every realm
 * role of the token becomes {@code keycloak:<role>}. Policies name roles only, never single users.
 */
public final class PlantRoles {

    /** The subject issuer prefix of tokens from PlantMesh's Keycloak. */
    public static final String ISSUER = "keycloak";

    /** Sees the plant: every machine, line, work order (without costs) and material; changes nothing. */
    public static final String PLANT_VIEWER = "plant-viewer";
    /** Sees the shop floor live; holds and releases work orders; holds or stops machines. No costs, no stock. */
    public static final String PRODUCTION_SUPERVISOR = "production-supervisor";
    /** Plans work orders: their priority and due date. */
    public static final String PLANNER = "planner";
    /** Reads everything including work-order costs; sets the materials' reorder point and quantity. */
    public static final String ERP_FINANCE = "erp-finance";
    /** Everything, including policies. */
    public static final String IT_ADMIN = "it-admin";
    /** Edge gateways: authenticate to Hono, never to Ditto, so no access to any twin. */
    public static final String DEVICE_GATEWAY = "device-gateway";
    /** Twin ingestion: writes the machines' reported state (Ditto's Hono connection in a cluster). */
    public static final String SVC_TWIN_INGESTION = "svc-twin-ingestion";
    /** The MES bridge and its API. */
    public static final String SVC_MES_BRIDGE = "svc-mes-bridge";
    /** The ERP bridge. */
    public static final String SVC_ERP_BRIDGE = "svc-erp-bridge";
    /** The predictive-maintenance service (planned): anomaly scores and predicted failures. */
    public static final String SVC_MAINTENANCE = "svc-maintenance";
    /**
     * Provisioning (the Helm chart's Job, {@code plantmesh service provision}): creates and updates the plant's
     * policies and twins; sends and receives no messages.
     */
    public static final String SVC_PROVISIONING = "svc-provisioning";

    /** Roles of people. */
    public static final List<String> HUMAN = List.of(PLANT_VIEWER, PRODUCTION_SUPERVISOR, PLANNER, ERP_FINANCE,
            IT_ADMIN);
    /** Roles of services and devices (held by confidential service-account clients). */
    public static final List<String> SERVICES = List.of(DEVICE_GATEWAY, SVC_TWIN_INGESTION, SVC_MES_BRIDGE,
            SVC_ERP_BRIDGE, SVC_MAINTENANCE, SVC_PROVISIONING);
    /** Every role, people first. */
    public static final List<String> ALL = List.of(PLANT_VIEWER, PRODUCTION_SUPERVISOR, PLANNER, ERP_FINANCE,
            IT_ADMIN, DEVICE_GATEWAY, SVC_TWIN_INGESTION, SVC_MES_BRIDGE, SVC_ERP_BRIDGE, SVC_MAINTENANCE,
            SVC_PROVISIONING);

    private PlantRoles() {
    }

    /** The Ditto subject of a realm role, e.g. {@code keycloak:it-admin}. */
    public static String subject(final String role) {
        return ISSUER + ":" + role;
    }
}
