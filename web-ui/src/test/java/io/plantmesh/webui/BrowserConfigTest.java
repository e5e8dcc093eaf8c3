package io.plantmesh.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class BrowserConfigTest {

    @Test
    void theEmbeddedFootprintsPageUsesTheProxyPathsAndTheDevelopmentLogins() {
        WebUiConfig config = WebUiConfig.defaults(URI.create("http://127.0.0.1:8080/api/2"))
                .withMesApi(URI.create("http://127.0.0.1:28200/api/mes/v1"))
                .withErpApi(URI.create("http://127.0.0.1:28300/sap/opu/odata/sap/"),
                        new WebUiConfig.BasicLogin("PLANTMESH", "plantmesh"));

        JsonObject json = BrowserConfig.of(config);

        assertThat(json.getJsonObject("apis").getJsonObject("twin").getString("base")).isEqualTo("/api/2");
        assertThat(json.getJsonObject("apis").getJsonObject("mes").getBoolean("available")).isTrue();
        assertThat(json.getJsonObject("apis").getJsonObject("erp").getString("base")).isEqualTo("/sap/opu/odata/sap");
        assertThat(json.getJsonObject("auth").getString("mode")).isEqualTo("basic");
        assertThat(json.getJsonObject("auth").getJsonObject("logins").getJsonObject("twin").getString("user"))
                .isEqualTo("ditto");
        assertThat(json.getJsonObject("auth").getJsonObject("logins").getJsonObject("erp").getString("user"))
                .isEqualTo("PLANTMESH");
        assertThat(json.getJsonObject("identityProvider").getBoolean("enabled")).isFalse();
        assertThat(json.getJsonArray("namespaces").getList()).containsExactly("plant1");
        assertThat(json.getJsonObject("models").getJsonObject("machine").getString("definition"))
                .isEqualTo("io.plantmesh:machine:1.0.0");
    }

    @Test
    void aMesApiThatTakesTokensGetsTheDevelopmentLoginAndOnlyThen() {
        WebUiConfig open = WebUiConfig.defaults(URI.create("http://127.0.0.1:8080/api/2"))
                .withMesApi(URI.create("http://127.0.0.1:28200/api/mes/v1"));

        assertThat(BrowserConfig.of(open).getJsonObject("auth").getJsonObject("logins").containsKey("mes")).isFalse();
        JsonObject mes = BrowserConfig.of(open.withMesLogin(new WebUiConfig.BasicLogin("ditto", "ditto")))
                .getJsonObject("auth").getJsonObject("logins").getJsonObject("mes");
        assertThat(mes.getString("user")).isEqualTo("ditto");
        assertThat(mes.getString("password")).isEqualTo("ditto");
    }

    @Test
    void withoutMesAndErpThePageIsToldTheyAreNotAvailable() {
        JsonObject json = BrowserConfig.of(WebUiConfig.defaults(URI.create("http://127.0.0.1:8080/api/2")));

        assertThat(json.getJsonObject("apis").getJsonObject("mes").getBoolean("available")).isFalse();
        assertThat(json.getJsonObject("apis").getJsonObject("erp").getBoolean("available")).isFalse();
        assertThat(json.getJsonObject("auth").getJsonObject("logins").containsKey("erp")).isFalse();
    }

    @Test
    void anIdentityProviderSwitchesThePageToOpenIdConnect() {
        JsonObject json = BrowserConfig.of(WebUiConfig.defaults(URI.create("http://127.0.0.1:8080/api/2"))
                .withIdentityProvider(new WebUiConfig.IdentityProvider(
                        URI.create("http://127.0.0.1:8180/realms/plantmesh"), "plantmesh-web-ui")));

        assertThat(json.getJsonObject("auth").getString("mode")).isEqualTo("oidc");
        assertThat(json.getJsonObject("identityProvider").getBoolean("enabled")).isTrue();
        assertThat(json.getJsonObject("identityProvider").getString("issuer"))
                .isEqualTo("http://127.0.0.1:8180/realms/plantmesh");
        assertThat(json.getJsonObject("identityProvider").getString("clientId")).isEqualTo("plantmesh-web-ui");
        // signed-in users send their tokens: the development password is not handed to the page
        assertThat(json.getJsonObject("auth").getJsonObject("logins").isEmpty()).isTrue();
        assertThat(json.encode()).doesNotContain("\"password\"");
    }

    @Test
    void apiBasesMustBeAbsoluteHttpUrls() {
        assertThatThrownBy(() -> WebUiConfig.defaults(URI.create("/api/2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twin API base must be an absolute http(s) URL");
    }
}
