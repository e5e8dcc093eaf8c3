package io.plantmesh.launcher.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ManagementServerTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void liveAtOnceReadyOnlyOnceStartedAndCountersInPrometheusFormat() throws Exception {
        try (ManagementServer server = ManagementServer.start("127.0.0.1", 0, "mes-bridge")) {
            assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);

            server.metrics(() -> Map.of("orders.dispatched", 7L));
            server.ready(true);

            assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
            final HttpResponse<String> metrics = get(server, "/metrics");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                    assertThat(t).startsWith("text/plain"));
            assertThat(metrics.body()).contains("plantmesh_mes_bridge_up 1\n")
                    .contains("plantmesh_mes_bridge_orders_dispatched 7\n");
        }
    }

    private HttpResponse<String> get(final ManagementServer server, final String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
