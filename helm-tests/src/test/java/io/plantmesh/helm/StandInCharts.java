package io.plantmesh.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Stand-ins for the chart's remote dependencies, generated into a chart copy's {@code charts/} so it renders
 * offline. Each has the real chart's name, a version inside the parent's constraint, the defaults of the values the
 * parent relies on (so a parent that forgets to switch something off is caught), and templates for (a) the Services
 * the real chart creates under the names PlantMesh connects to and (b) a probe ConfigMap with the values it got.
 */
final class StandInCharts {

    /** One stand-in: name, version, default values, the Services it renders (name template, port). */
    record StandIn(String name, String version, String values, List<String[]> services) {
    }

    static final List<StandIn> ALL = List.of(
            new StandIn("ditto", "4.6.0", """
                    global:
                      jwtOnly: false
                    mongodb:
                      enabled: true
                    dbconfig:
                      things:
                        uri: "mongodb://#{PLACEHOLDER_MONGODB_HOSTNAME}#:27017/ditto"
                    gateway:
                      extraEnv: []
                      config:
                        authentication:
                          oauth:
                            allowedClockSkew: 20s
                    nginx:
                      service:
                        port: 8080
                    """, List.<String[]>of(new String[] {"{{ .Values.fullnameOverride }}-nginx", "8080"})),
            new StandIn("hono", "2.6.6", """
                    messagingNetworkTypes:
                      - kafka
                    kafkaMessagingClusterExample:
                      enabled: true
                    amqpMessagingNetworkExample:
                      enabled: false
                    adapters:
                      kafkaMessagingSpec: {}
                      mqtt:
                        enabled: true
                    deviceRegistryExample:
                      enabled: true
                      type: embedded
                      addExampleData: true
                      mongoDBBasedDeviceRegistry:
                        mongodb: {}
                    mongodb:
                      createInstance: false
                    """, List.<String[]>of(
                            new String[] {"{{ .Values.fullnameOverride }}-service-device-registry-ext", "28080"},
                            new String[] {"{{ .Values.fullnameOverride }}-adapter-mqtt", "1883"})),
            new StandIn("kafka", "32.4.4", """
                    listeners:
                      client:
                        protocol: SASL_PLAINTEXT
                    controller:
                      replicaCount: 3
                    """, List.<String[]>of(new String[] {"{{ .Values.fullnameOverride }}", "9092"})),
            new StandIn("mongodb", "16.5.29", """
                    architecture: standalone
                    auth:
                      enabled: true
                      usernames: []
                      databases: []
                      existingSecret: ""
                    """, List.<String[]>of(new String[] {"{{ .Values.fullnameOverride }}", "27017"})),
            new StandIn("keycloak", "25.4.0", """
                    auth:
                      adminUser: user
                      existingSecret: ""
                      passwordSecretKey: ""
                    postgresql:
                      enabled: true
                      auth:
                        existingSecret: ""
                    """, List.<String[]>of(new String[] {"{{ .Values.fullnameOverride }}", "80"})));

    private StandInCharts() {
    }

    static void writeInto(final Path chartsDir) {
        try {
            for (final StandIn standIn : ALL) {
                final Path dir = chartsDir.resolve(standIn.name());
                Files.createDirectories(dir.resolve("templates"));
                Files.writeString(dir.resolve("Chart.yaml"), "apiVersion: v2\nname: " + standIn.name()
                        + "\ndescription: stand-in of the " + standIn.name() + " chart for offline rendering tests\n"
                        + "type: application\nversion: " + standIn.version() + "\nappVersion: \"stand-in\"\n",
                        StandardCharsets.UTF_8);
                Files.writeString(dir.resolve("values.yaml"), standIn.values(), StandardCharsets.UTF_8);
                final StringBuilder templates = new StringBuilder();
                templates.append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: standin-")
                        .append(standIn.name()).append("-values\ndata:\n  values.json: {{ toJson .Values | quote }}\n");
                for (final String[] service : standIn.services()) {
                    templates.append("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ").append(service[0])
                            .append("\nspec:\n  selector:\n    app.kubernetes.io/name: standin-").append(standIn.name())
                            .append("\n  ports:\n    - name: main\n      port: ").append(service[1])
                            .append("\n      protocol: TCP\n");
                }
                Files.writeString(dir.resolve("templates/standin.yaml"), templates.toString(),
                        StandardCharsets.UTF_8);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the stand-in subcharts into " + chartsDir, e);
        }
    }
}
