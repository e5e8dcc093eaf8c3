package io.plantmesh.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * Renders the chart over the scenarios (all dependencies embedded; all external; TLS and security on; a second
 * tenant), parses every manifest into typed Kubernetes objects with no unknown fields, and checks the wiring.
 */
class ChartRenderTest {

    private static final List<String> SERVICES = List.of("twin-ingestion", "mes-bridge", "mes-api", "erp-bridge",
            "erp-modules", "web-ui", "edge-gateway");

    private static Manifests render(final String valuesFile, final Map<String, Object> settings) {
        return Manifests.parse(ChartFixture.get().template(List.of(valuesFile), settings));
    }

    private static Manifests render(final String valuesFile) {
        return render(valuesFile, Map.of());
    }

    @ParameterizedTest(name = "{0} renders typed objects, probes and annotations")
    @ValueSource(strings = {"all-embedded.yaml", "all-external.yaml", "secure.yaml", "second-tenant.yaml"})
    void everyScenarioRendersTypedWorkloadsWithProbesAndScrapeAnnotations(final String valuesFile) {
        final Manifests m = render(valuesFile);

        assertThat(m.of(Deployment.class)).isNotEmpty();
        for (final Deployment d : m.of(Deployment.class)) {
            if (d.getMetadata().getName().startsWith("standin-")) {
                continue;
            }
            final Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getStartupProbe()).as("startup probe of %s", d.getMetadata().getName()).isNotNull();
            assertThat(c.getReadinessProbe()).as("readiness probe of %s", d.getMetadata().getName()).isNotNull();
            assertThat(c.getLivenessProbe()).as("liveness probe of %s", d.getMetadata().getName()).isNotNull();
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKey("memory");
            assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/port", "9090")
                    .containsEntry("prometheus.io/path", "/metrics");
            final Service service = m.service(d.getMetadata().getName());
            assertThat(service.getSpec().getSelector())
                    .isEqualTo(d.getSpec().getSelector().getMatchLabels());
        }
    }

    @Test
    void imagesAreThePerServiceImagesAtTheChartsVersionOrTheConfiguredRegistryAndTag() {
        final Manifests embedded = render("all-embedded.yaml");
        for (final String service : SERVICES) {
            assertThat(embedded.deployment(service).getSpec().getTemplate().getSpec().getContainers().get(0)
                    .getImage()).isEqualTo("plantmesh/" + service + ":0.1.0-SNAPSHOT");
        }
        final Container provision = embedded.get(Job.class, "plantmesh-provision").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(provision.getImage()).isEqualTo("plantmesh/provision:0.1.0-SNAPSHOT");
        assertThat(provision.getArgs()).containsExactly("service", "provision", "--config",
                "/etc/plantmesh/service.properties");

        final Manifests external = render("all-external.yaml");
        assertThat(external.deployment("mes-bridge").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage()).isEqualTo("registry.example.com:5000/factory/plantmesh/mes-bridge:1.2.3");
        assertThat(external.deployment("mes-bridge").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getArgs()).containsExactly("service", "mes-bridge", "--config", "/etc/plantmesh/service.properties");
    }

    @Test
    void embeddedEndpointsPointAtServicesTheDependenciesCreate() {
        final Manifests m = render("all-embedded.yaml");
        final Properties ingestion = m.properties("twin-ingestion");

        assertThat(ingestion.getProperty("ditto.endpoint")).isEqualTo("ws://plantmesh-ditto-nginx:8080/ws/2");
        assertPort(m, "plantmesh-ditto-nginx", 8080);
        assertThat(ingestion.getProperty("kafka.bootstrap.servers")).isEqualTo("plantmesh-kafka:9092");
        assertPort(m, "plantmesh-kafka", 9092);
        assertThat(m.properties("provision").getProperty("registry.url"))
                .isEqualTo("http://plantmesh-hono-service-device-registry-ext:28080/v1");
        assertPort(m, "plantmesh-hono-service-device-registry-ext", 28080);
        assertThat(m.properties("edge-gateway").getProperty("mqtt.host")).isEqualTo("plantmesh-hono-adapter-mqtt");
        assertPort(m, "plantmesh-hono-adapter-mqtt", 1883);
        assertThat(m.properties("provision").getProperty("keycloak.url")).isEqualTo("http://plantmesh-keycloak");
        assertPort(m, "plantmesh-keycloak", 80);
        assertThat(m.properties("erp-bridge").getProperty("erp.url"))
                .isEqualTo("http://plantmesh-erp-modules:8080/sap/opu/odata/sap/");
        assertPort(m, "plantmesh-erp-modules", 8080);
        assertThat(m.properties("mes-bridge").getProperty("mes.lines"))
                .isEqualTo("plant1:line-1,plant1:line-2,plant1:line-3,plant1:line-4,plant1:line-5");
        assertThat(m.deployment("mes-bridge").getSpec().getReplicas()).isEqualTo(2);
        assertThat(m.deployment("erp-bridge").getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @Test
    void dittoGetsKeycloakAsIssuerWithRoleSubjectsAndPlainHttpProtocol() {
        final Map<String, Object> ditto = render("all-embedded.yaml").standInValues("ditto");

        @SuppressWarnings("unchecked")
        final Map<String, Object> keycloak = (Map<String, Object>) dig(ditto, "gateway", "config", "authentication",
                "oauth", "openidConnectIssuers", "keycloak");
        assertThat(keycloak).containsEntry("issuer", "plantmesh-keycloak/realms/plantmesh");
        assertThat(keycloak.get("authSubjects")).isEqualTo(List.of("{{ jwt:sub }}", "{{ jwt:realm_access/roles }}"));
        assertThat(dig(ditto, "gateway", "extraEnv")).isEqualTo(List.of(Map.of("name", "OAUTH_PROTOCOL",
                "value", "http")));
        assertThat(dig(ditto, "mongodb", "enabled")).isEqualTo(false);
        assertThat(dig(ditto, "global", "existingSecret")).isEqualTo("plantmesh-ditto-users");
    }

    @Test
    void honoAndPlantMeshShareOneKafkaAndOneMongoDb() {
        final Manifests m = render("all-embedded.yaml");
        final Map<String, Object> hono = m.standInValues("hono");

        assertThat(dig(hono, "adapters", "kafkaMessagingSpec", "commonClientConfig", "bootstrap.servers"))
                .isEqualTo(m.properties("twin-ingestion").getProperty("kafka.bootstrap.servers"));
        assertThat(dig(hono, "kafkaMessagingClusterExample", "enabled")).isEqualTo(false);
        assertThat(dig(hono, "deviceRegistryExample", "type")).isEqualTo("mongodb");
        assertThat(dig(hono, "deviceRegistryExample", "mongoDBBasedDeviceRegistry", "mongodb", "host"))
                .isEqualTo("plantmesh-mongodb");
        assertThat(dig(hono, "deviceRegistryExample", "mongoDBBasedDeviceRegistry", "envSecret"))
                .isEqualTo("plantmesh-hono-registry-env");
        final Map<String, Object> mongodb = m.standInValues("mongodb");
        assertThat(dig(mongodb, "auth", "existingSecret")).isEqualTo("plantmesh-mongodb-auth");
        assertThat(dig(mongodb, "auth", "usernames")).isEqualTo(List.of("ditto", "hono", "plantmesh_mes",
                "plantmesh_erp"));
    }

    @Test
    void mongoUrisCarryTheGeneratedPasswordsOfTheUsersTheMongoDbChartCreates() {
        final Manifests m = render("all-embedded.yaml");
        final String[] passwords = m.secretValue("plantmesh-mongodb-auth", "mongodb-passwords").split(",");
        assertThat(passwords).hasSize(4).allMatch(p -> p.length() == 24);
        assertThat(m.secretValue("plantmesh-mongodb-auth", "password-ditto")).isEqualTo(passwords[0]);

        for (final String key : List.of("things-uri", "policies-uri", "connectivity-uri", "thingsSearch-uri")) {
            assertThat(m.secretValue("plantmesh-ditto-mongodb", key))
                    .isEqualTo("mongodb://ditto:" + passwords[0] + "@plantmesh-mongodb:27017/ditto");
        }
        assertThat(m.secretValue("plantmesh-hono-registry-env", "HONO_MONGODB_PASSWORD")).isEqualTo(passwords[1]);
        assertThat(m.secretValue("plantmesh-mongodb", "mes-uri"))
                .isEqualTo("mongodb://plantmesh_mes:" + passwords[2] + "@plantmesh-mongodb:27017/plantmesh_mes");
        assertThat(m.secretValue("plantmesh-mongodb", "erp-uri"))
                .isEqualTo("mongodb://plantmesh_erp:" + passwords[3] + "@plantmesh-mongodb:27017/plantmesh_erp");
        assertThat(env(m.deployment("mes-bridge"), "PLANTMESH_MONGO_URI").getValueFrom().getSecretKeyRef())
                .satisfies(ref -> {
                    assertThat(ref.getName()).isEqualTo("plantmesh-mongodb");
                    assertThat(ref.getKey()).isEqualTo("mes-uri");
                });
        assertThat(env(m.deployment("erp-modules"), "PLANTMESH_MONGO_URI").getValueFrom().getSecretKeyRef()
                .getKey()).isEqualTo("erp-uri");
    }

    @ParameterizedTest(name = "{0}: secrets are referenced, never inlined")
    @ValueSource(strings = {"all-embedded.yaml", "all-external.yaml", "secure.yaml", "second-tenant.yaml"})
    void secretsAreReferencedAndNeverInlined(final String valuesFile) {
        final Manifests m = render(valuesFile);
        final List<String> secretValues = new ArrayList<>();
        for (final Secret secret : m.of(Secret.class)) {
            assertThat(secret.getStringData()).as("stringData of %s", secret.getMetadata().getName()).isNullOrEmpty();
            secret.getData().keySet().forEach(k -> secretValues.add(m.secretValue(secret.getMetadata().getName(), k)));
        }
        for (final Container c : m.containers()) {
            for (final EnvVar e : c.getEnv()) {
                if (e.getName().matches(".*(PASSWORD|SECRET|URI|TOKEN).*")) {
                    assertThat(e.getValue()).as("%s of %s is not inlined", e.getName(), c.getName()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef()).as("%s of %s comes from a Secret", e.getName(),
                            c.getName()).isNotNull();
                }
            }
        }
        final StringBuilder notSecrets = new StringBuilder();
        for (final HasMetadata o : m.all()) {
            if (!(o instanceof Secret)) {
                notSecrets.append(o).append('\n');
            }
        }
        for (final ConfigMap config : m.of(ConfigMap.class)) {
            notSecrets.append(config.getData()).append('\n');
        }
        for (final String value : secretValues) {
            if (value.length() >= 12) {
                assertThat(notSecrets.toString()).as("a secret value appears outside Secrets").doesNotContain(value);
            }
        }
    }

    @Test
    void generatedSecretsAreKeptOnUninstallAndEachOneCanComeFromAnExistingSecret() {
        final Manifests embedded = render("all-embedded.yaml");
        for (final String name : List.of("plantmesh-credentials", "plantmesh-ditto-users", "plantmesh-mongodb-auth",
                "plantmesh-keycloak-auth", "plantmesh-keycloak-db")) {
            assertThat(embedded.get(Secret.class, name).getMetadata().getAnnotations())
                    .containsEntry("helm.sh/resource-policy", "keep");
        }

        final Manifests external = render("all-external.yaml");
        assertThat(external.of(Secret.class).stream().map(s -> s.getMetadata().getName()))
                .doesNotContain("plantmesh-ditto-users", "plantmesh-mongodb", "plantmesh-mongodb-auth",
                        "plantmesh-keycloak-auth");
        assertThat(secretRef(external.deployment("mes-bridge"), "PLANTMESH_DITTO_PASSWORD"))
                .isEqualTo("plant-ditto-users/ditto");
        assertThat(secretRef(external.deployment("mes-bridge"), "PLANTMESH_MONGO_URI"))
                .isEqualTo("plant-mongodb-uris/mes-uri");
        assertThat(secretRef(external.deployment("erp-bridge"), "PLANTMESH_ERP_PASSWORD"))
                .isEqualTo("plant-erp/erp-password");
        assertThat(secretRef(external.deployment("edge-gateway"), "PLANTMESH_DEVICE_PASSWORD"))
                .isEqualTo("plant-devices/device-password");
    }

    @Test
    void externalEndpointsReplaceEveryDependency() {
        final Manifests m = render("all-external.yaml");

        assertThat(m.of(ConfigMap.class).stream().map(c -> c.getMetadata().getName()))
                .noneMatch(n -> n.startsWith("standin-"));
        assertThat(m.properties("twin-ingestion").getProperty("kafka.bootstrap.servers"))
                .isEqualTo("broker-0.kafka.example.com:9092,broker-1.kafka.example.com:9092");
        assertThat(m.properties("mes-bridge").getProperty("ditto.endpoint")).isEqualTo("wss://ditto.example.com/ws/2");
        assertThat(m.properties("provision").getProperty("registry.url"))
                .isEqualTo("https://hono.example.com:28443/v1");
        assertThat(m.properties("provision").getProperty("keycloak.url")).isEqualTo("https://sso.example.com");
        assertThat(m.properties("erp-bridge").getProperty("erp.url"))
                .isEqualTo("https://s4.example.com/sap/opu/odata/sap/");
        assertThat(m.properties("edge-gateway")).containsEntry("mqtt.host", "hono-mqtt.example.com")
                .containsEntry("mqtt.port", "8883")
                .containsEntry("gateway.opcua.endpoint", "opc.tcp://line1-plc.example.com:4840");
        assertThat(m.find(Deployment.class, "plantmesh-erp-modules")).isEmpty();
        final Job job = m.get(Job.class, "plantmesh-provision");
        assertThat(job.getSpec().getTemplate().getSpec().getInitContainers().get(0).getArgs())
                .containsSequence("--keycloak-url", "https://sso.example.com");
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).anyMatch(v -> v.getSecret() != null
                && "plant-keycloak-admin".equals(v.getSecret().getSecretName()));
    }

    @Test
    void tlsAndSecurityOnUseTokensHttpsKeycloakAndMountTheCertificate() {
        final Manifests m = render("secure.yaml");

        assertThat(m.properties("mes-bridge")).containsEntry("ditto.auth", "oauth")
                .containsEntry("oauth.token.endpoint",
                        "https://sso.example.com/realms/plantmesh/protocol/openid-connect/token")
                .containsEntry("oauth.client.id", "plantmesh-mes-bridge")
                .containsEntry("tls.cert.file", "/etc/plantmesh/tls/tls.crt")
                .doesNotContainKey("ditto.user");
        assertThat(secretRef(m.deployment("mes-bridge"), "PLANTMESH_OAUTH_CLIENT_SECRET"))
                .isEqualTo("plantmesh-oauth-clients/plantmesh-mes-bridge");
        assertThat(m.deployment("mes-bridge").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .noneMatch(e -> e.getName().equals("PLANTMESH_DITTO_PASSWORD"));
        assertThat(m.deployment("mes-api").getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getSecret() != null && "plantmesh-tls".equals(v.getSecret().getSecretName()));
        assertThat(m.deployment("mes-api").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        final Map<String, Object> ditto = m.standInValues("ditto");
        assertThat(dig(ditto, "gateway", "config", "authentication", "oauth", "openidConnectIssuers", "keycloak",
                "issuer")).isEqualTo("sso.example.com/realms/plantmesh");
        assertThat(dig(ditto, "global", "jwtOnly")).isEqualTo(true);
        assertThat(m.secretValue("plantmesh-oauth-clients", "plantmesh-erp-bridge")).hasSize(24);
        assertThat(m.find(Service.class, "plantmesh-keycloak")).isEmpty();
    }

    @Test
    void aSecondTenantGetsItsLinesAndIsProvisioned() {
        final Manifests m = render("second-tenant.yaml");

        assertThat(m.properties("provision")).containsEntry("plant.tenants", "plant1,plant2")
                .containsEntry("plant.demo.tenants", "plant1,plant2");
        assertThat(m.properties("twin-ingestion")).containsEntry("plant.tenants", "plant1,plant2");
        assertThat(m.properties("mes-bridge").getProperty("mes.lines").split(",")).hasSize(10)
                .contains("plant2:line-1", "plant2:line-5");
    }

    @Test
    void theProvisioningJobIsAHookUnlessSwitchedOff() {
        // helm template leaves hook resources out: the Job is there only when it is not a hook
        assertThat(render("all-embedded.yaml", Map.of("provisioning.hook", true)).find(Job.class,
                "plantmesh-provision")).isEmpty();
        final Job plain = render("all-embedded.yaml").get(Job.class, "plantmesh-provision");
        assertThat(plain.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(plain.getSpec().getTemplate().getSpec().getInitContainers().get(0).getArgs())
                .startsWith("security", "apply");
    }

    @Test
    void mismatchesWithTheDittoAndHonoChartsFailTheRenderSayingWhatToSet() {
        assertThatThrownBy(() -> render("all-embedded.yaml", Map.of(
                "ditto.gateway.config.authentication.oauth.openidConnectIssuers.keycloak.issuer", "sso/realms/x")))
                .hasMessageContaining("set it to \"plantmesh-keycloak/realms/plantmesh\"");
        assertThatThrownBy(() -> render("all-embedded.yaml", Map.of(
                "hono.adapters.kafkaMessagingSpec.commonClientConfig.bootstrap\\.servers", "other:9092")))
                .hasMessageContaining("PlantMesh uses \"plantmesh-kafka:9092\"");
        assertThatThrownBy(() -> render("all-embedded.yaml", Map.of("ditto.gateway.extraEnv[0].value", "https")))
                .hasMessageContaining("OAUTH_PROTOCOL");
        assertThatThrownBy(() -> render("all-external.yaml", Map.of("externalMongodb.existingSecret", "")))
                .hasMessageContaining("externalMongodb.existingSecret nor externalMongodb.uri");
    }

    private static void assertPort(final Manifests m, final String service, final int port) {
        assertThat(m.service(service).getSpec().getPorts()).anyMatch(p -> p.getPort() == port);
    }

    private static EnvVar env(final Deployment d, final String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + d.getMetadata().getName()));
    }

    private static String secretRef(final Deployment d, final String name) {
        final var ref = env(d, name).getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    private static Object dig(final Map<String, Object> map, final String... path) {
        Object node = map;
        for (final String key : path) {
            assertThat(node).as("%s in %s", key, String.join(".", path)).isInstanceOf(Map.class);
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }
}
