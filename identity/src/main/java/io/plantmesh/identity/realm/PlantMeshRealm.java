package io.plantmesh.identity.realm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The PlantMesh realm as code: {@code plantmesh-realm.json} (realm, roles, clients, token lifetimes) and, for the
 * embedded footprint only, {@code demo-users.json} (one user per human role, password = user name), both in this
 * package. The names below are those of the shared security decisions (issue #6) and must agree with the files
 * (a test checks it).
 */
public final class PlantMeshRealm {

    public static final String NAME = "plantmesh";

    public static final String PLANT_VIEWER = "plant-viewer";
    public static final String PRODUCTION_SUPERVISOR = "production-supervisor";
    public static final String PLANNER = "planner";
    public static final String ERP_FINANCE = "erp-finance";
    public static final String IT_ADMIN = "it-admin";
    public static final String DEVICE_GATEWAY = "device-gateway";
    public static final String SVC_TWIN_INGESTION = "svc-twin-ingestion";
    public static final String SVC_MES_BRIDGE = "svc-mes-bridge";
    public static final String SVC_ERP_BRIDGE = "svc-erp-bridge";
    public static final String SVC_MAINTENANCE = "svc-maintenance";
    public static final String SVC_PROVISIONING = "svc-provisioning";

    /** Public client of the web UI and the command line (authorization code + PKCE, password grant). */
    public static final String UI_CLIENT = "plantmesh-ui";
    public static final String MES_BRIDGE_CLIENT = "plantmesh-mes-bridge";
    public static final String ERP_BRIDGE_CLIENT = "plantmesh-erp-bridge";
    public static final String TWIN_INGESTION_CLIENT = "plantmesh-twin-ingestion";
    public static final String EDGE_GATEWAY_CLIENT = "plantmesh-edge-gateway";
    public static final String MAINTENANCE_CLIENT = "plantmesh-maintenance";
    /** Provisioning's client: writes the plant's policies and twins (role {@value #SVC_PROVISIONING}). */
    public static final String PROVISIONING_CLIENT = "plantmesh-provisioning";

    /** Web UI origins when none are configured: the twin server's default address. */
    public static final List<String> DEFAULT_UI_ORIGINS = List.of("http://127.0.0.1:8080", "http://localhost:8080");

    static final String REALM_RESOURCE = "plantmesh-realm.json";
    static final String DEMO_USERS_RESOURCE = "demo-users.json";
    private static final String REDIRECT_URIS_PLACEHOLDER = "${ui.redirect-uris}";
    private static final String WEB_ORIGINS_PLACEHOLDER = "${ui.web-origins}";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PlantMeshRealm() {
    }

    /**
     * The declared realm.
     *
     * @param uiOrigins origins of the web UI, e.g. {@code http://127.0.0.1:8080}: each becomes a redirect URI
     *     ({@code <origin>/*}) and a web origin of {@code plantmesh-ui}
     * @param demoUsers include the demo users (embedded footprint only)
     */
    public static RealmDeclaration declaration(List<String> uiOrigins, boolean demoUsers) {
        Objects.requireNonNull(uiOrigins, "uiOrigins");
        List<String> origins = uiOrigins.stream().map(PlantMeshRealm::checkedOrigin).toList();
        ObjectNode realm = (ObjectNode) read(REALM_RESOURCE);
        realm.remove("_comment");
        for (JsonNode client : realm.withArray("clients")) {
            expand((ObjectNode) client, "redirectUris", REDIRECT_URIS_PLACEHOLDER,
                    origins.stream().map(o -> o + "/*").toList());
            expand((ObjectNode) client, "webOrigins", WEB_ORIGINS_PLACEHOLDER, origins);
        }
        RealmDeclaration declaration;
        try {
            declaration = JSON.treeToValue(realm, RealmDeclaration.class);
        } catch (IOException e) {
            throw new IllegalStateException("The bundled " + REALM_RESOURCE + " does not match RealmDeclaration: "
                    + e.getMessage(), e);
        }
        return demoUsers ? declaration.withUsers(demoUsers()) : declaration;
    }

    /** The embedded footprint's demo users: viewer, supervisor, planner, finance, admin (password = user name). */
    public static List<UserDeclaration> demoUsers() {
        JsonNode users = read(DEMO_USERS_RESOURCE).get("users");
        List<UserDeclaration> result = new ArrayList<>();
        try {
            for (JsonNode user : users) {
                result.add(JSON.treeToValue(user, UserDeclaration.class));
            }
        } catch (IOException e) {
            throw new IllegalStateException("The bundled " + DEMO_USERS_RESOURCE + " does not match"
                    + " UserDeclaration: " + e.getMessage(), e);
        }
        return List.copyOf(result);
    }

    /** An origin is scheme://host[:port], without path or trailing slash. */
    static String checkedOrigin(String origin) {
        String trimmed = origin.trim();
        boolean valid = trimmed.matches("https?://[^/\\s]+");
        if (!valid) {
            throw new IllegalArgumentException("'" + origin + "' is not a web origin: give scheme, host and port"
                    + " without a path, e.g. http://127.0.0.1:8080");
        }
        return trimmed;
    }

    private static void expand(ObjectNode client, String field, String placeholder, List<String> values) {
        JsonNode current = client.get(field);
        if (current == null) {
            return;
        }
        ArrayNode expanded = client.arrayNode();
        for (JsonNode entry : current) {
            if (entry.asText().equals(placeholder)) {
                values.forEach(expanded::add);
            } else {
                expanded.add(entry);
            }
        }
        client.set(field, expanded);
    }

    private static JsonNode read(String resource) {
        try (InputStream in = PlantMeshRealm.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the identity module's jar; rebuild it");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the bundled " + resource + ": " + e.getMessage(), e);
        }
    }
}
