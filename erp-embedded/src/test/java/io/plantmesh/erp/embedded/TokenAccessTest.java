package io.plantmesh.erp.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.plantmesh.erp.embedded.odata.ErpTokenAccess;
import io.plantmesh.security.oidc.AccessTokenVerifier;
import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.security.testing.TestIssuer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * The embedded ERP with access tokens required (docs/security.md, "Tokens"): 401 without or with a refused token,
 * 403 for roles the rule table does not allow, postings for the ERP bridge, finance and administrators, reads for
 * the plant's people, order costs for finance only. Keys served by a test issuer on 127.0.0.1.
 */
class TokenAccessTest {

    private final MutableClock clock = new MutableClock(TestPlant.START);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TestIssuer issuer;
    private InMemoryMongo mongo;
    private EmbeddedErp erp;

    @BeforeEach
    void start() {
        issuer = TestIssuer.start();
        mongo = new InMemoryMongo();
    }

    @AfterEach
    void stop() {
        if (erp != null) {
            erp.close();
        }
        mongo.close();
        issuer.close();
    }

    private void startErp(boolean basicFallback) {
        ErpTokenAccess access = ErpTokenAccess.of(AccessTokenVerifier.create(List.of(OidcIssuer.keycloak("keycloak",
                issuer.issuer())))).withBasicFallback(basicFallback);
        erp = EmbeddedErp.create(TestPlant.config(mongo.uri(), clock).build()).requireTokens(access).start();
    }

    @Test
    void withTokensConfiguredARequestWithoutOneOrWithTheBasicUserIs401() {
        startErp(false);
        HttpResponse<String> anonymous = get(TestPlant.STOCK, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Bearer"));
        assertThat(errorCode(anonymous)).isEqualTo("PLANTMESH/UNAUTHORIZED");
        assertThat(errorMessage(anonymous)).contains(issuer.issuer().toString());

        assertThat(get(TestPlant.STOCK, basic()).statusCode()).isEqualTo(401);
        assertThat(get("../../../../plantmesh/erp/health", null).statusCode()).as("health stays public")
                .isEqualTo(200);
    }

    @Test
    void theBasicUserCanBeKeptBesideTokensWhileClientsMoveOver() {
        startErp(true);
        assertThat(get(TestPlant.STOCK, basic()).statusCode()).isEqualTo(200);
        assertThat(get(TestPlant.STOCK, null).statusCode()).isEqualTo(401);
    }

    @Test
    void refusedTokensAre401() {
        startErp(false);
        String expired = bearer(issuer.token("u", "it-admin").expiresAt(Instant.now().minusSeconds(300)).sign());
        HttpResponse<String> response = get(TestPlant.STOCK, expired);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(errorMessage(response)).contains("expired");
        assertThat(get(TestPlant.STOCK, bearer(issuer.token("u", "it-admin").issuer("http://127.0.0.1:5/x").sign()))
                .statusCode()).isEqualTo(401);
        assertThat(get(TestPlant.STOCK, bearer(issuer.token("u", "it-admin").signedWith(TestIssuer.newRsaKey("rsa-1"))
                .sign())).statusCode()).isEqualTo(401);
    }

    @Test
    void peopleOfThePlantReadStockButOnlyFinanceReadsOrderCosts() {
        startErp(false);
        String viewer = bearer(issuer.token("v", "plant-viewer").sign());
        String supervisor = bearer(issuer.token("s", "production-supervisor").sign());
        String finance = bearer(issuer.token("f", "erp-finance").sign());

        assertThat(get(TestPlant.STOCK, viewer).statusCode()).isEqualTo(200);
        assertThat(get(TestPlant.STOCK, supervisor).statusCode()).isEqualTo(200);
        HttpResponse<String> costs = get(TestPlant.COST_TOTALS, supervisor);
        assertThat(costs.statusCode()).isEqualTo(403);
        assertThat(errorCode(costs)).isEqualTo("PLANTMESH/FORBIDDEN");
        assertThat(errorMessage(costs)).contains("erp-finance").contains("[production-supervisor]");
        assertThat(get(TestPlant.COST_TOTALS, finance).statusCode()).isEqualTo(200);
        assertThat(get(TestPlant.STOCK, bearer(issuer.token("g", "device-gateway").sign())).statusCode())
                .isEqualTo(403);
    }

    @Test
    void theErpBridgeFinanceAndAdminsPostButASupervisorMayNot() {
        startErp(false);
        String supervisor = bearer(issuer.token("s", "production-supervisor").sign());
        HttpResponse<String> refused = post(TestPlant.DOCUMENTS, supervisor, TestPlant.goodsIssue("RM-100", "1"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(errorMessage(refused)).contains("svc-erp-bridge");

        int expectedStock = 100;
        for (String role : List.of("svc-erp-bridge", "erp-finance", "it-admin")) {
            HttpResponse<String> posted = post(TestPlant.DOCUMENTS, bearer(issuer.token("u-" + role, role).sign()),
                    TestPlant.goodsIssue("RM-100", "1"));
            assertThat(posted.statusCode()).as(role + ": " + posted.body()).isEqualTo(201);
            expectedStock--;
        }
        HttpResponse<String> stock = get(TestPlant.STOCK + "?$filter=" + java.net.URLEncoder.encode(
                "Material eq 'RM-100' and Plant eq 'plant1'", StandardCharsets.UTF_8).replace("+", "%20"),
                bearer(issuer.token("v", "plant-viewer").sign()));
        assertThat(new JsonObject(stock.body()).getJsonObject("d").getJsonArray("results").getJsonObject(0)
                .getString("MatlWrhsStkQtyInMatlBaseUnit")).startsWith(String.valueOf(expectedStock));
    }

    @Test
    void anUnreachableIssuerIs503() {
        startErp(false);
        issuer.available(false);
        assertThat(get(TestPlant.STOCK, bearer(issuer.token("u", "it-admin").sign())).statusCode()).isEqualTo(503);
    }

    @Test
    void theRuleTable() {
        assertThat(ErpTokenAccess.allowedRoles(HttpMethod.GET, "/sap/opu/odata/sap/API_MATERIAL_STOCK_SRV/x"))
                .isEqualTo(ErpTokenAccess.READERS);
        assertThat(ErpTokenAccess.allowedRoles(HttpMethod.GET, "/sap/opu/odata/sap/zplantmesh_order_cost_srv;v=0001/"
                + "OrderCostTotal")).isEqualTo(ErpTokenAccess.FINANCE_READERS);
        assertThat(ErpTokenAccess.allowedRoles(HttpMethod.POST, "/sap/opu/odata/sap/API_MATERIAL_DOCUMENT_SRV/x"))
                .isEqualTo(ErpTokenAccess.POSTERS);
        assertThat(ErpTokenAccess.allowedRoles(HttpMethod.POST, "/plantmesh/erp/admin/materials"))
                .isEqualTo(ErpTokenAccess.ADMINS);
        assertThat(ErpTokenAccess.POSTERS).doesNotContain("production-supervisor", "planner", "plant-viewer");
    }

    /** POST with a CSRF token fetched with the same credentials first, as SAP clients do. */
    private HttpResponse<String> post(String path, String authorization, JsonObject body) {
        String service = path.substring(0, path.indexOf('/'));
        HttpResponse<String> fetched = send(HttpRequest.newBuilder(uri(service + "/")).GET()
                .header("Authorization", authorization).header("x-csrf-token", "Fetch"));
        String csrf = fetched.headers().firstValue("x-csrf-token").orElse("none");
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", authorization).header("x-csrf-token", csrf));
    }

    private HttpResponse<String> get(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET().header("Accept", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private URI uri(String path) {
        return erp.baseUri().resolve(path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("ERP request failed: " + e, e);
        }
    }

    private static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((ErpConfig.DEFAULT_USER + ":"
                + ErpConfig.DEFAULT_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String errorCode(HttpResponse<String> response) {
        return new JsonObject(response.body()).getJsonObject("error").getString("code");
    }

    private static String errorMessage(HttpResponse<String> response) {
        return new JsonObject(response.body()).getJsonObject("error").getJsonObject("message").getString("value");
    }
}
