package io.plantmesh.webui.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.UsersResource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import io.plantmesh.identity.provisioning.KeycloakAdmin;
import io.plantmesh.identity.realm.PlantMeshRealm;
import io.plantmesh.launcher.KeycloakOptions;
import io.plantmesh.launcher.LaunchListener;
import io.plantmesh.launcher.LaunchOptions;
import io.plantmesh.launcher.PlantMeshLauncher;
import io.plantmesh.launcher.RunningPlantMesh;
import io.plantmesh.launcher.WebUiLauncher;
import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.webui.WebUiServer;
import io.vertx.core.json.JsonObject;

/**
 * Signing in to the web UI through the real Keycloak's own login page, in headless Chromium, against the embedded
 * footprint as {@code ./plantmesh up} runs it with Keycloak (started once for this class): the twin server trusts the
 * realm's issuer and enforces the role policies, line 1's MES API and the ERP take tokens, and the launcher tells the
 * page the issuer and client and registers the page's origin with the client. A viewer sees the plant but no costs,
 * is offered no edits or order actions, and a forced write is explained as a 403 of the viewer's role; a supervisor
 * holds and releases an order through the MES API; the token is renewed by the refresh token, a refused token (401)
 * and a session ended in Keycloak ask to sign in again, which comes back to the same view.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiLoginBrowserIT {

    /** A bound on waiting for the page (Keycloak's pages included); never a speed assertion. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    /** A machine no simulator drives: only the forced write would touch its name. */
    private static final String QUIET_MACHINE = "plant1:machine-4-04";
    /** A value no real order costs: the viewer must not see it anywhere. */
    private static final String COST_MARKER = "98765.25";

    @TempDir
    static Path dataDir;

    private RunningPlantMesh running;
    private WebUiServer ui;
    private HeadlessChromium chromium;
    private ChromeDriver browser;
    private PlantHttp apis;
    private String page;
    private String keycloak;
    private String costedOrder;

    @BeforeAll
    void start() throws Exception {
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
        ShopFloorOptions floor = ShopFloorOptions.forTests()
                .withMachines(id -> id.startsWith("plant1:machine-1-"))
                .withDispatchJobs(true)
                .withErpPort(0);
        running = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir).withShopFloor(floor)
                .withKeycloak(KeycloakOptions.forTests()), LaunchListener.silent());
        keycloak = running.identity().orElseThrow().keycloak().baseUrl().toString();
        ui = WebUiLauncher.start(running, "127.0.0.1", 0);
        page = ui.uri().toString();
        apis = new PlantHttp(ui.config().twinApi(), ui.config().mesApi(), ui.config().erpApi());
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (ui != null) {
            ui.close();
        }
        if (running != null) {
            running.close();
        }
    }

    @AfterEach
    void printConsole(TestInfo test) {
        String log = chromium.consoleLog();
        if (!log.isBlank()) {
            System.out.println("browser console during " + test.getDisplayName() + ":\n" + log);
        }
    }

    @Test
    @Order(1)
    void thePageIsToldTheIssuerAndClientAndHoldsNoDevelopmentPassword() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(page + "config.json")).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject config = new JsonObject(response.body());
        assertThat(config.getJsonObject("auth").getString("mode")).isEqualTo("oidc");
        assertThat(config.getJsonObject("identityProvider").getString("issuer"))
                .isEqualTo(keycloak + "/realms/" + PlantMeshRealm.NAME);
        assertThat(config.getJsonObject("identityProvider").getString("clientId")).isEqualTo(PlantMeshRealm.UI_CLIENT);
        assertThat(config.getJsonObject("auth").getJsonObject("logins").isEmpty()).isTrue();
    }

    @Test
    @Order(2)
    void theViewerSignsInOnKeycloaksLoginPageAndSeesThePlant() throws Exception {
        browser.get(page + "#/overview");
        WebElement signIn = eventually().until(() -> browser.findElements(By.id("sign-in")), l -> !l.isEmpty()).get(0);
        assertThat(browser.findElements(By.cssSelector("a.tile[data-machine]"))).as("nothing before sign-in").isEmpty();
        chromium.click(signIn);

        // Keycloak's own login page, reached by the authorization code flow with PKCE S256
        eventually().until(() -> browser.getCurrentUrl().startsWith(keycloak)
                && !browser.findElements(By.id("username")).isEmpty());
        String authorize = browser.getCurrentUrl();
        assertThat(authorize).contains("/realms/plantmesh/protocol/openid-connect/auth")
                .contains("client_id=plantmesh-ui").contains("code_challenge_method=S256")
                .contains("code_challenge=").contains("redirect_uri=" + URLEncoder.encode(page,
                        StandardCharsets.UTF_8));
        chromium.screenshot("login");
        enterCredentials("viewer");

        WebElement name = eventually().until(() -> browser.findElements(By.cssSelector("[data-testid='user-name']")),
                l -> !l.isEmpty()).get(0);
        assertThat(name.getText()).isEqualTo("Vera Viewer");
        assertThat(browser.findElement(By.cssSelector("[data-testid='user-roles']")).getText())
                .isEqualTo("plant-viewer");
        // the code is gone from the address, the view asked for is shown
        assertThat(browser.getCurrentUrl()).doesNotContain("code=").endsWith("#/overview");
        eventually().untilAsserted(() -> {
            assertThat(browser.findElements(By.cssSelector("section[data-line]"))).hasSize(5);
            assertThat(browser.findElements(By.cssSelector("a.tile[data-machine]"))).hasSize(50);
        });
        // the live stream runs on the viewer's token
        eventually().until(() -> "live".equals(browser.findElement(By.cssSelector("[data-testid='live-status']"))
                .getAttribute("data-phase")));
        // the tokens are kept in this tab only (memory and sessionStorage), never in localStorage
        assertThat(((JavascriptExecutor) browser).executeScript("return window.localStorage.length;"))
                .isEqualTo(0L);
    }

    @Test
    @Order(3)
    void theViewerIsOfferedNoOrderActionsAndSeesNoCosts() throws Exception {
        browser.get(page + "#/production");
        eventually().until(() -> !browser.findElements(
                By.cssSelector("[data-testid='work-orders'] tr[data-order]")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).as("hold/release buttons").isEmpty();
        assertThat(browser.findElements(By.cssSelector("select[data-priority]"))).as("priority pickers").isEmpty();

        // a work order with costs (as finance books them): the viewer's policy revokes them
        costedOrder = anyWorkOrder();
        apis.putTwin("/things/" + costedOrder + "/features/cost", "{\"properties\":{\"materialCost\":" + COST_MARKER
                + ",\"machineCost\":0,\"total\":" + COST_MARKER + ",\"currency\":\"EUR\"}}");
        browser.get(page + "#/twin/" + costedOrder);
        chromium.click(eventually().until(() -> browser.findElements(By.id("raw-json-tab")), l -> !l.isEmpty())
                .get(0));
        String raw = eventually().until(() -> browser.findElements(By.cssSelector("[data-testid='twin-raw']")),
                l -> !l.isEmpty()).get(0).getText();
        assertThat(raw).contains("\"thingId\": \"" + costedOrder + "\"").contains("\"status\"")
                .doesNotContain("\"cost\"").doesNotContain(COST_MARKER);
        assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain(COST_MARKER);

        // the ERP's order costs are not read for the viewer; the page says why
        browser.get(page + "#/inventory");
        WebElement note = eventually().until(() -> browser.findElements(By.cssSelector(
                "[data-testid='costs-not-shown']")), l -> !l.isEmpty()).get(0);
        assertThat(note.getText()).contains("Your role (plant-viewer) may not read order costs");
        eventually().until(() -> !browser.findElements(By.cssSelector("[data-testid='stock'] tr[data-material]"))
                .isEmpty());
        assertThat(browser.findElements(By.cssSelector("[role='alert'][data-error-status]"))).isEmpty();
    }

    @Test
    @Order(4)
    void aWriteTheViewerForcesIsAnsweredWithTheRolesRefusal() throws Exception {
        String before = apis.twinJson("/things/" + QUIET_MACHINE + "/attributes/name");
        browser.get(page + "#/twin/" + QUIET_MACHINE);
        WebElement notAllowed = eventually().until(() -> browser.findElements(
                By.cssSelector("[data-testid='edit-not-allowed']")), l -> !l.isEmpty()).get(0);
        assertThat(notAllowed.getText()).contains("Your role (plant-viewer) may not edit twins");
        assertThat(browser.findElement(By.id("edit-start")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("message-send")).isEnabled()).isFalse();

        // force it: enable the form as a user could with the browser's developer tools, and save
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelector(\"[data-testid='edit-panel'] fieldset\").disabled = false;");
        browser.findElement(By.id("edit-path")).sendKeys("attributes/name");
        chromium.click(browser.findElement(By.id("edit-start")));
        WebElement value = eventually().until(() -> browser.findElements(By.id("edit-value")), l -> !l.isEmpty())
                .get(0);
        value.clear();
        value.sendKeys("\"Forced by a viewer\"");
        chromium.click(browser.findElement(By.id("edit-save")));

        WebElement refusal = eventually().until(() -> browser.findElements(
                By.cssSelector("[data-testid='edit-panel'] [role='alert'][data-error-status='403']")),
                l -> !l.isEmpty()).get(0);
        assertThat(refusal.getText()).contains("Your role (plant-viewer) may not change this in the twin API (403)");
        assertThat(apis.twinJson("/things/" + QUIET_MACHINE + "/attributes/name")).isEqualTo(before);
    }

    @Test
    @Order(5)
    void theSupervisorSignsInAfterTheViewerSignedOutAndHoldsAndReleasesAnOrder() throws Exception {
        browser.get(page + "#/production");
        chromium.click(eventually().until(() -> browser.findElements(By.id("sign-out")), l -> !l.isEmpty()).get(0));
        // Keycloak ends the session and sends the browser back to the page, which asks to sign in again
        chromium.click(eventually().until(() -> browser.findElements(By.id("sign-in")), l -> !l.isEmpty()).get(0));
        eventually().until(() -> browser.getCurrentUrl().startsWith(keycloak)
                && !browser.findElements(By.id("username")).isEmpty());
        enterCredentials("supervisor");

        eventually().untilAsserted(() -> {
            assertThat(browser.findElement(By.cssSelector("[data-testid='user-name']")).getText())
                    .isEqualTo("Sam Supervisor");
            assertThat(browser.findElement(By.cssSelector("[data-testid='user-roles']")).getText())
                    .isEqualTo("production-supervisor");
        });
        // back from Keycloak's logout the page had no view in its address: the overview
        assertThat(browser.getCurrentUrl()).endsWith("#/overview");
        browser.get(page + "#/production");
        eventually().until(() -> !browser.findElements(By.cssSelector("[data-testid='schedule-table']")).isEmpty());
        chromium.screenshot("signed-in");

        WebElement row = eventually().until(() -> browser.findElements(
                By.cssSelector("[data-testid='work-orders'] tr[data-order]")).stream()
                .filter(r -> !r.findElements(By.cssSelector("button[data-action='hold']")).isEmpty())
                .toList(), l -> !l.isEmpty()).get(0);
        // a supervisor holds and releases, but the priority is the planner's: no picker
        assertThat(browser.findElements(By.cssSelector("select[data-priority]"))).as("priority pickers").isEmpty();
        String order = row.getAttribute("data-order");
        chromium.click(browser.findElement(By.cssSelector("[data-testid='work-orders'] tr[data-order='" + order
                + "'] button[data-action='hold']")));
        eventually().untilAsserted(() -> {
            assertThat(apis.twinJson("/things/" + order + "/features/status/properties/status"))
                    .isEqualTo("\"HELD\"");
            assertThat(browser.findElements(By.cssSelector("[data-testid='held-orders'] tr[data-order='" + order
                    + "']"))).isNotEmpty();
        });
        chromium.click(browser.findElement(By.cssSelector("[data-testid='held-orders'] tr[data-order='" + order
                + "'] button[data-action='release']")));
        eventually().untilAsserted(() ->
                assertThat(apis.twinJson("/things/" + order + "/features/status/properties/status"))
                        .isNotEqualTo("\"HELD\""));
        assertThat(browser.findElements(By.cssSelector("[role='alert'][data-error-status]"))).isEmpty();
    }

    @Test
    @Order(6)
    void theTokenIsRenewedARefusedTokenAsksToSignInAgainAndAnEndedSessionSaysSo() throws Exception {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        String first = (String) js.executeScript("return window.plantmesh.auth.session.accessToken;");
        // renewal with the refresh token (the page does it by itself 30 s before expiry; here at once)
        assertThat(js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " window.plantmesh.auth.session.renew().then(done, e => done(String(e)));")).isEqualTo(true);
        String renewed = (String) js.executeScript("return window.plantmesh.auth.session.accessToken;");
        assertThat(renewed).isNotBlank().isNotEqualTo(first);
        assertThat(String.valueOf(js.executeScript("return sessionStorage.getItem('plantmesh.oidc.session');")))
                .contains(renewed);

        // a token the twin API refuses (signature broken): the page says the session ended and offers to sign in
        js.executeScript("const t = window.plantmesh.auth.session.tokens;"
                + " const at = t.accessToken.lastIndexOf('.') + 10;"
                + " t.accessToken = t.accessToken.slice(0, at) + (t.accessToken[at] === 'A' ? 'B' : 'A')"
                + " + t.accessToken.slice(at + 1);");
        browser.get(page + "#/twin/" + QUIET_MACHINE);
        WebElement refused = eventually().until(() -> browser.findElements(
                By.cssSelector("[role='alert'][data-error-status='401']")), l -> !l.isEmpty()).get(0);
        assertThat(refused.getText()).contains("Your session ended, sign in again (401)");
        assertThat(refused.findElement(By.cssSelector("[data-testid='sign-in-again']")).getText())
                .isEqualTo("Sign in again");

        // the session ended in Keycloak (an administrator signed the user out): renewal fails and the header says so
        try (Keycloak admin = KeycloakAdmin.connect(running.identity().orElseThrow().keycloak().baseUrl(),
                running.identity().orElseThrow().keycloak().adminCredentials(), KeycloakAdmin.MASTER_REALM)) {
            UsersResource users = admin.realm(PlantMeshRealm.NAME).users();
            users.get(users.searchByUsername("supervisor", true).get(0).getId()).logout();
        }
        assertThat(js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " window.plantmesh.auth.session.renew().then(done, e => done(String(e)));")).isEqualTo(false);
        WebElement ended = eventually().until(() -> browser.findElements(
                By.cssSelector("[data-testid='session-ended']")), l -> !l.isEmpty()).get(0);
        assertThat(ended.getText()).contains("Your session ended, sign in again.");
        assertThat(js.executeScript("return sessionStorage.getItem('plantmesh.oidc.session');")).isNull();

        // signing in again comes back to the same view
        chromium.click(ended.findElement(By.tagName("button")));
        eventually().until(() -> browser.getCurrentUrl().startsWith(keycloak)
                && !browser.findElements(By.id("username")).isEmpty());
        enterCredentials("supervisor");
        eventually().untilAsserted(() -> {
            assertThat(browser.findElement(By.cssSelector("[data-testid='user-name']")).getText())
                    .isEqualTo("Sam Supervisor");
            assertThat(browser.getCurrentUrl()).endsWith("#/twin/" + QUIET_MACHINE);
            assertThat(browser.findElement(By.cssSelector("[data-testid='twin-raw'], [data-testid='edit-panel']"))
                    .isDisplayed()).isTrue();
        });
        assertThat(browser.findElements(By.cssSelector("[data-testid='session-ended']"))).isEmpty();
    }

    /** Fills in Keycloak's login form (demo users: password = user name) and submits it. */
    private void enterCredentials(String user) {
        WebElement username = browser.findElement(By.id("username"));
        username.clear();
        username.sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(user);
        chromium.click(browser.findElement(By.id("kc-login")));
    }

    /** A work order of the demo plant, read as the development user. */
    private String anyWorkOrder() throws Exception {
        String filter = URLEncoder.encode("eq(definition,\"io.plantmesh:work-order:1.0.0\")", StandardCharsets.UTF_8);
        JsonObject found = apis.twin("/search/things?namespaces=plant1&option=size(1)&fields=thingId&filter="
                + filter);
        assertThat(found.getJsonArray("items").isEmpty()).as("no work orders in the demo plant").isFalse();
        return found.getJsonArray("items").getJsonObject(0).getString("thingId");
    }

    private ConditionFactory eventually() {
        return await().atMost(WAIT).pollInterval(POLL).ignoreExceptions();
    }
}
