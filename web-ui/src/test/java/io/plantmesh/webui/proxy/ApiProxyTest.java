package io.plantmesh.webui.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

class ApiProxyTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void dotSegmentsAreRecognisedAlsoWhenEncoded() {
        assertThat(ApiProxy.hasDotSegment("/things/plant1:machine-1-01?fields=a/../b")).isFalse();
        assertThat(ApiProxy.hasDotSegment("/things/../policies")).isTrue();
        assertThat(ApiProxy.hasDotSegment("/things/%2e%2E/policies")).isTrue();
        assertThat(ApiProxy.hasDotSegment("/./things")).isTrue();
        assertThat(ApiProxy.hasDotSegment("/things/a..b")).isFalse();
        assertThat(ApiProxy.hasDotSegment("")).isFalse();
    }

    @Test
    void locationsIntoTheApiAreRewrittenToTheProxyPath() {
        ApiProxy proxy = new ApiProxy(ProxiedApi.MES, URI.create("http://127.0.0.1:28200/api/mes/v1"),
                vertx.createHttpClient());
        assertThat(proxy.browserLocation("http://127.0.0.1:28200/api/mes/v1/work-orders/plant1:wo-1"))
                .isEqualTo("/api/mes/v1/work-orders/plant1:wo-1");
        assertThat(proxy.browserLocation("/api/mes/v1/work-orders/plant1:wo-1"))
                .isEqualTo("/api/mes/v1/work-orders/plant1:wo-1");
        assertThat(proxy.browserLocation("http://elsewhere/x")).isEqualTo("http://elsewhere/x");

        ApiProxy erp = new ApiProxy(ProxiedApi.ERP, URI.create("http://127.0.0.1:28300/sap/opu/odata/sap/"),
                vertx.createHttpClient());
        assertThat(erp.browserLocation("http://127.0.0.1:28300/sap/opu/odata/sap/API_X/A_Y('1')"))
                .isEqualTo("/sap/opu/odata/sap/API_X/A_Y('1')");
    }
}
