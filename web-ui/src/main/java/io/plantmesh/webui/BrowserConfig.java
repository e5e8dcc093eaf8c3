package io.plantmesh.webui;

import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.webui.proxy.ProxiedApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The page's {@code config.json}: the API bases as the browser calls them (the server's own paths, which it proxies),
 * how it authenticates (the development logins as HTTP basic, or with an identity provider its issuer and client id,
 * and then no logins at all), the plant's namespaces and where the Thing Models are.
 */
final class BrowserConfig {

    private BrowserConfig() {
    }

    static JsonObject of(final WebUiConfig config) {
        final JsonObject apis = new JsonObject()
                .put("twin", api(ProxiedApi.TWIN, true))
                .put("mes", api(ProxiedApi.MES, config.mesApi() != null))
                .put("erp", api(ProxiedApi.ERP, config.erpApi() != null));
        final JsonObject logins = new JsonObject();
        // with an identity provider the page sends its users' tokens and is never handed a development password
        if (config.identityProvider() == null) {
            if (config.twinLogin() != null) {
                logins.put("twin", login(config.twinLogin()));
            }
            if (config.mesLogin() != null) {
                logins.put("mes", login(config.mesLogin()));
            }
            if (config.erpLogin() != null) {
                logins.put("erp", login(config.erpLogin()));
            }
        }
        final JsonObject identity = config.identityProvider() == null
                ? new JsonObject().put("enabled", false)
                .put("note", "No identity provider: the page uses the development logins. With Keycloak"
                        + " (./plantmesh up without --no-keycloak) it signs users in here (OpenID Connect,"
                        + " authorization code with PKCE).")
                : new JsonObject().put("enabled", true)
                .put("issuer", config.identityProvider().issuer().toString())
                .put("clientId", config.identityProvider().clientId());
        final JsonObject models = new JsonObject();
        for (final TwinKind kind : TwinKind.values()) {
            models.put(kind.modelName(), new JsonObject()
                    .put("definition", PlantDefinitions.definitionOf(kind).toString())
                    .put("url", "models/" + kind.modelName()));
        }
        return new JsonObject()
                .put("apis", apis)
                .put("auth", new JsonObject().put("mode", config.identityProvider() == null ? "basic" : "oidc")
                        .put("logins", logins))
                .put("identityProvider", identity)
                .put("namespaces", new JsonArray(config.namespaces()))
                .put("models", models);
    }

    private static JsonObject api(final ProxiedApi api, final boolean available) {
        return new JsonObject().put("base", api.browserBase()).put("available", available);
    }

    private static JsonObject login(final WebUiConfig.BasicLogin login) {
        return new JsonObject().put("user", login.user()).put("password", login.password());
    }
}
