package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.launcher.demo.DemoPlant;
import io.plantmesh.launcher.demo.ProvisioningReport;

/**
 * {@code plantmesh up} in-process on a temporary data directory: the demo plant is reachable over the Ditto API, a
 * restart on the same directory finds it and changes nothing, and start-up errors say what to do.
 */
class PlantMeshUpIT {

    private static final List<String> POLICIES = List.of("plant1:shopfloor", "plant1:orders", "plant1:materials",
            "plant1:gateways");

    @TempDir
    Path dataDir;

    @Test
    void provisionsTheDemoPlantOnceAndFindsItAgainAfterARestart() throws Exception {
        Map<String, String> servicesSeen = new LinkedHashMap<>();
        List<Integer> progress = new ArrayList<>();
        LaunchListener listener = new LaunchListener() {
            @Override
            public void serviceUp(String service, String address, String note) {
                servicesSeen.put(service, address);
            }

            @Override
            public void provisioningProgress(int done, int total) {
                assertThat(total).isEqualTo(120);
                synchronized (progress) {
                    progress.add(done);
                }
            }
        };
        Map<String, String> tagsBefore;
        try (RunningPlantMesh first = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir), listener)) {
            int port = first.httpPort();
            assertThat(port).isPositive();
            assertThat(servicesSeen).containsKeys("store", "twin API", "WebSocket", "dev user");
            assertThat(servicesSeen.get("store")).startsWith("mongodb://127.0.0.1:");
            assertThat(servicesSeen.get("twin API")).isEqualTo("http://127.0.0.1:" + port + "/api/2");
            assertThat(servicesSeen.get("WebSocket")).isEqualTo("ws://127.0.0.1:" + port + "/ws/2");
            assertThat(progress).hasSize(120).contains(1, 120);
            assertThat(first.provisioning()).isEqualTo(new ProvisioningReport(4, 0, 120, 0));
            assertThat(dataDir.resolve("store").resolve("store.lock")).exists();

            TwinHttp http = new TwinHttp(port);
            for (int line = 1; line <= DemoPlant.LINES; line++) {
                for (int m = 1; m <= DemoPlant.MACHINES_PER_LINE; m++) {
                    String id = String.format("plant1:machine-%d-%02d", line, m);
                    HttpResponse<String> machine = http.get("/things/" + id);
                    assertThat(machine.statusCode()).as(id).isEqualTo(200);
                    assertThat(machine.body()).contains("\"policyId\":\"plant1:shopfloor\"",
                            "\"definition\":\"io.plantmesh:machine:1.0.0\"", "\"line\":\"plant1:line-" + line + "\"");
                }
            }
            assertThat(count(http, "like(thingId,\"plant1:machine-*\")")).isEqualTo(50);
            assertThat(count(http, "like(thingId,\"plant1:line-*\")")).isEqualTo(5);
            assertThat(count(http, "eq(features/status/properties/status,\"RELEASED\")")).isEqualTo(40);
            assertThat(count(http, "like(thingId,\"plant1:mat-*\")")).isEqualTo(20);
            tagsBefore = entityTags(http);
            assertThat(tagsBefore).hasSize(124).doesNotContainValue(null);

            // a second plantmesh on the same data directory is refused, naming the way out
            assertThatThrownBy(() -> PlantMeshLauncher.start(LaunchOptions.forTests(dataDir), LaunchListener.silent()))
                    .isInstanceOf(LaunchException.class)
                    .hasMessageContaining("is in use: another plantmesh")
                    .hasMessageContaining("--data-dir or PLANTMESH_DATA_DIR");
            // and so is one on the same port
            LaunchOptions samePort = new LaunchOptions("127.0.0.1", port, dataDir.resolve("other"), 0, null, null,
                    false, 1);
            assertThatThrownBy(() -> PlantMeshLauncher.start(samePort, LaunchListener.silent()))
                    .isInstanceOf(LaunchException.class)
                    .hasMessageContaining("Port " + port + " on 127.0.0.1 is already in use")
                    .hasMessageContaining("--http-port or PLANTMESH_HTTP_PORT");
        }

        try (RunningPlantMesh second = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir),
                LaunchListener.silent())) {
            assertThat(second.provisioning()).isEqualTo(new ProvisioningReport(0, 4, 0, 120));
            assertThat(second.provisioning().changedNothing()).isTrue();
            TwinHttp http = new TwinHttp(second.httpPort());
            assertThat(entityTags(http)).isEqualTo(tagsBefore);

            // the dev user may write the demo plant
            HttpResponse<String> write = http.put("/things/plant1:machine-2-04/features/state/properties/state",
                    "\"SETUP\"");
            assertThat(write.statusCode()).isEqualTo(204);
            assertThat(http.get("/things/plant1:machine-2-04/features/state/properties/state").body())
                    .isEqualTo("\"SETUP\"");
        }
    }

    @Test
    void noDemoStartsAnEmptyMesh() throws Exception {
        try (RunningPlantMesh running = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir).withDemo(false),
                LaunchListener.silent())) {
            assertThat(running.provisioning()).isEqualTo(ProvisioningReport.SKIPPED);
            TwinHttp http = new TwinHttp(running.httpPort());
            assertThat(http.get("/things/plant1:machine-1-01").statusCode()).isEqualTo(404);
            assertThat(http.get("/policies/plant1:shopfloor").statusCode()).isEqualTo(404);
        }
    }

    /** ETag of every demo twin and policy, by id. */
    private static Map<String, String> entityTags(TwinHttp http) throws Exception {
        Map<String, String> tags = new LinkedHashMap<>();
        for (var thing : DemoPlant.generate("plant1", LaunchOptions.DEFAULT_DEMO_SEED, java.time.Instant.now())
                .things()) {
            String id = thing.getEntityId().orElseThrow().toString();
            HttpResponse<String> response = http.get("/things/" + id);
            assertThat(response.statusCode()).as(id).isEqualTo(200);
            tags.put(id, response.headers().firstValue("ETag").orElse(null));
        }
        for (String policy : POLICIES) {
            HttpResponse<String> response = http.get("/policies/" + policy);
            assertThat(response.statusCode()).as(policy).isEqualTo(200);
            tags.put(policy, response.headers().firstValue("ETag").orElse(null));
        }
        return tags;
    }

    private static long count(TwinHttp http, String filter) throws Exception {
        HttpResponse<String> response = http.get("/search/things/count?filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Long.parseLong(response.body().trim());
    }
}
