package io.plantmesh.erp.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.plantmesh.erp.bridge.plan.CostPosting;
import io.plantmesh.security.client.TokenClient;
import io.plantmesh.security.client.TokenClientConfig;

class ErpBridgeConfigTest {

    @Test
    void environmentOverridesTheDefaults() {
        final ErpBridgeConfig config = ErpBridgeConfig.fromEnvironment(Map.of(
                "PLANTMESH_TWIN_WS", "ws://127.0.0.1:9000/ws/2",
                "PLANTMESH_ERP_URL", "http://127.0.0.1:9001/sap/opu/odata/sap/",
                "PLANTMESH_ERP_USER", "BRIDGE",
                "PLANTMESH_ERP_NAMESPACES", "plant1, plant2",
                "PLANTMESH_ERP_STOCK_POLL_MS", "250",
                "PLANTMESH_ERP_MAX_REJECTIONS", "3"));

        assertThat(config.twinEndpoint()).isEqualTo(URI.create("ws://127.0.0.1:9000/ws/2"));
        assertThat(config.erpBase()).isEqualTo(URI.create("http://127.0.0.1:9001/sap/opu/odata/sap/"));
        assertThat(config.erpUser()).isEqualTo("BRIDGE");
        assertThat(config.erpPassword()).isEqualTo("plantmesh");
        assertThat(config.namespaces()).isEqualTo(List.of("plant1", "plant2"));
        assertThat(config.stockPollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.maxRejectionAttempts()).isEqualTo(3);
    }

    @Test
    void invalidValuesAreRefusedNamingTheSetting() {
        final ErpBridgeConfig config = ErpBridgeConfig.defaults(URI.create("ws://127.0.0.1:1/ws/2"),
                URI.create("http://127.0.0.1:2/"));

        assertThatThrownBy(() -> config.withRejections(Duration.ofSeconds(1), 0))
                .hasMessageContaining("maxRejectionAttempts");
        assertThatThrownBy(() -> config.withIntervals(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("resyncInterval");
    }

    @Test
    void costsAreAtCompletionUnlessConfiguredPerConfirmation() {
        final Map<String, String> base = Map.of("PLANTMESH_ERP_URL", "http://127.0.0.1:9001/sap/opu/odata/sap/");
        assertThat(ErpBridgeConfig.fromEnvironment(base).costPosting()).isEqualTo(CostPosting.AT_COMPLETION);

        final ErpBridgeConfig perConfirmation = ErpBridgeConfig.fromEnvironment(Map.of(
                "PLANTMESH_ERP_COST_POSTING", "per-confirmation", "PLANTMESH_ERP_WORKERS", "8"));

        assertThat(perConfirmation.costPosting()).isEqualTo(CostPosting.PER_CONFIRMATION);
        assertThat(perConfirmation.workers()).isEqualTo(8);
        assertThatThrownBy(() -> ErpBridgeConfig.fromEnvironment(Map.of("PLANTMESH_ERP_COST_POSTING", "weekly")))
                .hasMessageContaining("weekly").hasMessageContaining("per-confirmation");
    }

    @Test
    void tokensReplaceTheUsersAndKeepTheOtherSettings() {
        final TokenClient tokens = TokenClient.create(TokenClientConfig.clientCredentials(
                URI.create("http://127.0.0.1:1/realms/plantmesh/protocol/openid-connect/token"), "plantmesh-erp-bridge",
                "secret"));
        final ErpBridgeConfig config = ErpBridgeConfig.defaults(URI.create("ws://127.0.0.1:9000/ws/2"),
                URI.create("http://127.0.0.1:9001/sap/opu/odata/sap/"))
                .withCostPosting(CostPosting.PER_CONFIRMATION)
                .withWorkers(3)
                .withTwinTokens(tokens)
                .withErpTokens(tokens)
                .withNamespaces(List.of("plant1"));

        assertThat(config.twinTokens()).isSameAs(tokens);
        assertThat(config.erpTokens()).isSameAs(tokens);
        assertThat(config.twinUser()).isNull();
        assertThat(config.erpUser()).isNull();
        assertThat(config.twinIdentity()).isEqualTo("client 'plantmesh-erp-bridge'");
        assertThat(config.erpIdentity()).isEqualTo("client 'plantmesh-erp-bridge'");
        assertThat(config.costPosting()).isEqualTo(CostPosting.PER_CONFIRMATION);
        assertThat(config.workers()).isEqualTo(3);
        assertThat(ErpBridgeConfig.defaults(config.twinEndpoint(), config.erpBase()).erpIdentity())
                .isEqualTo("user 'PLANTMESH'");
        assertThatThrownBy(() -> config.withTwinTokens(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("credentials for the twin server");
    }
}
