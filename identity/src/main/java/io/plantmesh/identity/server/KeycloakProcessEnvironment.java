package io.plantmesh.identity.server;

import java.util.Map;

/**
 * The environment of a Keycloak process: the Java that runs PlantMesh, and none of the caller's own {@code KC_*} or
 * {@code JAVA_OPTS*} settings (they would change what PlantMesh configures). kc.sh's own heap default outside
 * containers is -Xms64m -Xmx512m.
 */
final class KeycloakProcessEnvironment {

    private KeycloakProcessEnvironment() {
    }

    /**
     * @param environment the process builder's environment, changed in place
     * @param heap JVM heap options, or null for kc.sh's default
     */
    static void prepare(Map<String, String> environment, String heap) {
        environment.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("KEYCLOAK_")
                || name.equals("JAVA_OPTS") || name.equals("JAVA_OPTS_APPEND") || name.equals("JAVA")
                || name.equals("DEBUG") || name.equals("PRINT_ENV"));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.remove("JAVA_OPTS_KC_HEAP");
        environment.remove("KC_RUN_IN_CONTAINER");
        if (heap != null) {
            environment.put("JAVA_OPTS_KC_HEAP", heap);
        }
    }
}
