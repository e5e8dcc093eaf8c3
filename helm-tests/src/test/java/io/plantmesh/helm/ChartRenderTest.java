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
            "erp-modules", "maintenance", "web-ui", "edge-gateway");

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
                "plantmesh_erp", "plantmesh_maintenance"));
    }

    @Test
    void mongoUrisCarryTheGeneratedPasswordsOfTheUsersTheMongoDbChartCreates() {
        final Manifests m = render("all-embedded.yaml");
        final String[] passwords = m.secretValue("plantmesh-mongodb-auth", "mongodb-passwords").split(",");
        assertThat(passwords).hasSize(5).allMatch(p -> p.length() == 24);
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
        assertThat(m.secretValue("plantmesh-mongodb", "maintenance-uri")).isEqualTo("mongodb://plantmesh_maintenance:"
                + passwords[4] + "@plantmesh-mongodb:27017/plantmesh_maintenance");
        assertThat(secretRef(m.deployment("maintenance"), "PLANTMESH_MONGO_URI"))
                .isEqualTo("plantmesh-mongodb/maintenance-uri");
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
        assertThat(secretRef(external.deployment("maintenance"), "PLANTMESH_MONGO_URI"))
                .isEqualTo("plant-mongodb-uris/maintenance-uri");
    }

    @Test
    void anExistingMongoSecretWithoutTheMaintenanceKeyCanShareTheMesConnectionString() {
        // a Secret made for a version before the maintenance service has mes-uri and erp-uri only
        final Manifests m = render("all-external.yaml", Map.of("externalMongodb.maintenanceUriKey", "mes-uri"));

        assertThat(secretRef(m.deployment("maintenance"), "PLANTMESH_MONGO_URI")).isEqualTo("plant-mongodb-uris/mes-uri");
        assertThat(m.properties("maintenance")).containsEntry("maintenance.database", "plantmesh_maintenance");
        assertThat(secretRef(m.deployment("mes-bridge"), "PLANTMESH_MONGO_URI")).isEqualTo("plant-mongodb-uris/mes-uri");
        // the chart's own MongoDB Secret always has the key: the setting applies to an existing Secret only
        final Manifests embedded = render("all-embedded.yaml", Map.of("externalMongodb.maintenanceUriKey", "mes-uri"));
        assertThat(secretRef(embedded.deployment("maintenance"), "PLANTMESH_MONGO_URI"))
                .isEqualTo("plantmesh-mongodb/maintenance-uri");
        assertThatThrownBy(() -> render("all-external.yaml", Map.of("externalMongodb.maintenanceUriKey", "")))
                .hasMessageContaining("maintenanceUriKey");
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
                .containsEntry("oauth.issuer", "https://sso.example.com/realms/plantmesh")
                .containsEntry("oauth.client.id", "plantmesh-mes-bridge")
                .containsEntry("oauth.client.secret.file", "/etc/plantmesh/oauth/client-secret")
                .containsEntry("tls.ca.file", "/etc/plantmesh/ca/ca.crt")
                .doesNotContainKey("tls.cert.file")
                .doesNotContainKey("ditto.user");
        assertThat(m.properties("mes-api")).containsEntry("tls.cert.file", "/etc/plantmesh/tls/tls.crt")
                .containsEntry("tls.key.file", "/etc/plantmesh/tls/tls.key");
        assertThat(m.properties("erp-modules")).containsEntry("tls.cert.file", "/etc/plantmesh/tls/tls.crt");
        // the web UI serves HTTPS with the release's certificate and verifies the APIs it proxies with the CA
        assertThat(m.properties("web-ui")).containsEntry("tls.cert.file", "/etc/plantmesh/tls/tls.crt")
                .containsEntry("tls.key.file", "/etc/plantmesh/tls/tls.key")
                .containsEntry("tls.ca.file", "/etc/plantmesh/ca/ca.crt")
                .containsEntry("mes.url", "https://plantmesh-mes-api:8080/api/mes/v1");
        assertThat(volume(m.deployment("web-ui"), "tls").getSecret().getSecretName()).isEqualTo("plantmesh-tls");
        assertThat(mountPath(m.deployment("web-ui"), "tls")).isEqualTo("/etc/plantmesh/tls");
        assertThat(volume(m.deployment("web-ui"), "ca").getSecret().getItems())
                .singleElement().satisfies(i -> assertThat(i.getKey()).isEqualTo("ca.crt"));
        assertThat(mountPath(m.deployment("web-ui"), "ca")).isEqualTo("/etc/plantmesh/ca");
        assertThat(m.deployment("mes-bridge").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .noneMatch(e -> e.getName().equals("PLANTMESH_DITTO_PASSWORD"))
                .noneMatch(e -> e.getName().startsWith("PLANTMESH_OAUTH"));
        assertThat(m.deployment("mes-api").getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getSecret() != null && "plantmesh-tls".equals(v.getSecret().getSecretName()));
        assertThat(volume(m.deployment("mes-bridge"), "ca").getSecret().getItems())
                .singleElement().satisfies(i -> assertThat(i.getKey()).isEqualTo("ca.crt"));
        assertThat(mountPath(m.deployment("mes-bridge"), "ca")).isEqualTo("/etc/plantmesh/ca");
        assertThat(m.deployment("mes-api").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        final Map<String, Object> ditto = m.standInValues("ditto");
        assertThat(dig(ditto, "gateway", "config", "authentication", "oauth", "openidConnectIssuers", "keycloak",
                "issuer")).isEqualTo("sso.example.com/realms/plantmesh");
        assertThat(dig(ditto, "global", "jwtOnly")).isEqualTo(true);
        assertThat(m.secretValue("plantmesh-oauth-clients", "plantmesh-erp-bridge")).hasSize(32);
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

    @Test
    void withTokensEachServiceMountsOnlyItsOwnClientSecretAsAFile() {
        final Manifests m = render("secure.yaml");
        final Map<String, String> clients = Map.of("twin-ingestion", "plantmesh-twin-ingestion",
                "mes-bridge", "plantmesh-mes-bridge", "mes-api", "plantmesh-mes-bridge",
                "erp-bridge", "plantmesh-erp-bridge", "maintenance", "plantmesh-maintenance");
        clients.forEach((service, client) -> {
            final Deployment d = m.deployment(service);
            final var secret = volume(d, "oauth-client").getSecret();
            assertThat(secret.getSecretName()).as(service).isEqualTo("plantmesh-oauth-clients");
            assertThat(secret.getItems()).as(service).singleElement().satisfies(i -> {
                assertThat(i.getKey()).isEqualTo(client);
                assertThat(i.getPath()).isEqualTo("client-secret");
            });
            assertThat(mountPath(d, "oauth-client")).as(service).isEqualTo("/etc/plantmesh/oauth");
            assertThat(m.properties(service)).as(service).containsEntry("oauth.client.id", client)
                    .containsEntry("oauth.client.secret.file", "/etc/plantmesh/oauth/client-secret")
                    .containsEntry("oauth.issuer", "https://sso.example.com/realms/plantmesh");
        });
        // services that call nothing with tokens get no client secret; the web UI no password at all
        for (final String service : List.of("erp-modules", "web-ui")) {
            assertThat(m.deployment(service).getSpec().getTemplate().getSpec().getVolumes()).as(service)
                    .noneMatch(v -> v.getName().equals("oauth-client"));
        }
        assertThat(m.deployment("web-ui").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .noneMatch(e -> e.getName().matches(".*(PASSWORD|SECRET).*"));
        // the ERP bridge takes its tokens to the ERP modules too
        assertThat(m.properties("erp-bridge")).containsEntry("erp.auth", "oauth");
        // provisioning writes policies and twins as its own client (Ditto may take tokens only): only its key of the
        // clients' Secret is mounted into the main container, and it gets no Ditto password
        final var job = m.get(Job.class, "plantmesh-provision").getSpec().getTemplate().getSpec();
        final Container provision = job.getContainers().get(0);
        assertThat(provision.getEnv()).noneMatch(e -> e.getName().equals("PLANTMESH_DITTO_PASSWORD"));
        final var provisionSecret = job.getVolumes().stream().filter(v -> v.getName().equals("oauth-client"))
                .findFirst().orElseThrow(() -> new AssertionError("no oauth-client volume in the Job")).getSecret();
        assertThat(provisionSecret.getSecretName()).isEqualTo("plantmesh-oauth-clients");
        assertThat(provisionSecret.getItems()).singleElement().satisfies(i -> {
            assertThat(i.getKey()).isEqualTo("plantmesh-provisioning");
            assertThat(i.getPath()).isEqualTo("client-secret");
        });
        assertThat(provision.getVolumeMounts()).anyMatch(v -> v.getName().equals("oauth-client")
                && v.getMountPath().equals("/etc/plantmesh/oauth"));
        assertThat(provision.getVolumeMounts()).noneMatch(v -> v.getName().equals("oauth-clients"));
        assertThat(m.properties("provision")).containsEntry("ditto.auth", "oauth")
                .containsEntry("oauth.client.id", "plantmesh-provisioning")
                .containsEntry("oauth.client.secret.file", "/etc/plantmesh/oauth/client-secret")
                .containsEntry("oauth.issuer", "https://sso.example.com/realms/plantmesh");
        assertThat(m.secretValue("plantmesh-oauth-clients", "plantmesh-provisioning")).hasSize(32);
        // the realm step gives Keycloak the same secrets the services mount
        assertThat(job.getInitContainers().get(0).getArgs()).containsSequence("--client-secrets-dir",
                "/etc/plantmesh/oauth-clients");
        // an https Keycloak is verified with the release's CA: the realm step gets it as --tls-ca
        assertThat(job.getInitContainers().get(0).getArgs()).containsSequence("--tls-ca", "/etc/plantmesh/ca/ca.crt");
        assertThat(job.getInitContainers().get(0).getVolumeMounts()).anyMatch(v -> v.getName().equals("ca")
                && v.getMountPath().equals("/etc/plantmesh/ca"));
        assertThat(job.getVolumes()).anyMatch(v -> v.getName().equals("oauth-clients")
                && "plantmesh-oauth-clients".equals(v.getSecret().getSecretName()));
    }

    @Test
    void anExistingClientsSecretIsReferencedAndNoneIsGenerated() {
        final Manifests m = render("secure.yaml", Map.of("security.oauthClientsSecret", "plant-oauth-clients"));

        assertThat(m.of(Secret.class).stream().map(s -> s.getMetadata().getName()))
                .doesNotContain("plantmesh-oauth-clients");
        for (final String service : List.of("twin-ingestion", "mes-bridge", "mes-api", "erp-bridge", "maintenance")) {
            assertThat(volume(m.deployment(service), "oauth-client").getSecret().getSecretName()).as(service)
                    .isEqualTo("plant-oauth-clients");
        }
        assertThat(m.get(Job.class, "plantmesh-provision").getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v -> v.getName().equals("oauth-clients")
                        && "plant-oauth-clients".equals(v.getSecret().getSecretName()))
                .anyMatch(v -> v.getName().equals("oauth-client")
                        && "plant-oauth-clients".equals(v.getSecret().getSecretName()));
    }

    @Test
    void withBasicAuthTheClientsSecretIsStillGeneratedForTheRealmAndKeptOnUninstall() {
        final Manifests m = render("all-embedded.yaml");

        final Secret clients = m.get(Secret.class, "plantmesh-oauth-clients");
        assertThat(clients.getData()).containsOnlyKeys("plantmesh-mes-bridge", "plantmesh-erp-bridge",
                "plantmesh-twin-ingestion", "plantmesh-edge-gateway", "plantmesh-maintenance",
                "plantmesh-provisioning");
        assertThat(clients.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(m.deployment("maintenance").getSpec().getTemplate().getSpec().getVolumes())
                .noneMatch(v -> v.getName().equals("oauth-client"));
        assertThat(secretRef(m.deployment("maintenance"), "PLANTMESH_DITTO_PASSWORD"))
                .isEqualTo("plantmesh-ditto-users/ditto");
        assertThat(m.properties("maintenance")).containsEntry("ditto.auth", "basic")
                .containsEntry("maintenance.mes.api", "http://plantmesh-mes-api:8080/api/mes/v1")
                .containsEntry("maintenance.database", "plantmesh_maintenance")
                .doesNotContainKey("oauth.client.secret.file");
        assertThat(m.properties("erp-bridge")).containsEntry("erp.auth", "basic");
        // with basic auth provisioning writes as Ditto's user, and mounts no client secret
        final var job = m.get(Job.class, "plantmesh-provision").getSpec().getTemplate().getSpec();
        assertThat(secretRef(job.getContainers().get(0), "PLANTMESH_DITTO_PASSWORD"))
                .isEqualTo("plantmesh-ditto-users/ditto");
        assertThat(job.getVolumes()).noneMatch(v -> v.getName().equals("oauth-client"));
        assertThat(m.properties("provision")).containsEntry("ditto.auth", "basic")
                .doesNotContainKey("oauth.client.secret.file");
        assertThat(m.deployment("maintenance").getSpec().getReplicas()).isEqualTo(1);
        assertThat(m.deployment("maintenance").getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(m.find(Deployment.class, "plantmesh-web-ui")).as("the web UI is on by default").isPresent();
    }

    @Test
    void maintenanceSettingsAndAMissingMesApiAreRendered() {
        final Manifests m = render("all-embedded.yaml", Map.of("maintenance.horizon", "PT12H",
                "maintenance.window", "PT3H", "mesApi.enabled", false));

        assertThat(m.properties("maintenance")).containsEntry("maintenance.horizon", "PT12H")
                .containsEntry("maintenance.window", "PT3H").containsEntry("maintenance.mes.api", "none");
        assertThat(render("all-embedded.yaml", Map.of("maintenance.enabled", false))
                .find(Deployment.class, "plantmesh-maintenance")).isEmpty();
    }

    private static io.fabric8.kubernetes.api.model.Volume volume(final Deployment d, final String name) {
        return d.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name + " in "
                        + d.getMetadata().getName()));
    }

    private static String mountPath(final Deployment d, final String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount " + name + " in " + d.getMetadata().getName()))
                .getMountPath();
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
        return secretRef(d.getSpec().getTemplate().getSpec().getContainers().get(0), name);
    }

    private static String secretRef(final Container c, final String name) {
        final var ref = c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + c.getName()))
                .getValueFrom().getSecretKeyRef();
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
