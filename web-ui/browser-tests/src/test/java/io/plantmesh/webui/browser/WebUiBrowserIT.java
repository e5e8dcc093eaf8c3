package io.plantmesh.webui.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

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
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import io.plantmesh.launcher.LaunchListener;
import io.plantmesh.launcher.LaunchOptions;
import io.plantmesh.launcher.PlantMeshLauncher;
import io.plantmesh.launcher.RunningPlantMesh;
import io.plantmesh.launcher.WebUiLauncher;
import io.plantmesh.launcher.shopfloor.ShopFloorOptions;
import io.plantmesh.webui.WebUiServer;
import io.vertx.core.json.JsonArray;

/**
 * The web UI in headless Chromium against the embedded footprint as {@code ./plantmesh up} assembles it (twin
 * server and demo plant; line 1's shop floor with its MES bridge; the embedded ERP and its bridge), served by the
 * launcher's {@link WebUiLauncher}. One footprint for the class; the tests run in order and each takes a screenshot
 * of its view into the screenshot folder (target/screenshots; docs/ui/ on request, see docs/ui.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserIT {

    /** A bound on waiting for the page (never a speed assertion: render times are measured by the benchmark). */
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration POLL = Duration.ofMillis(100);
    /** A machine no simulator drives (only line 1's machines are simulated), so a twin write decides its state. */
    private static final String QUIET_MACHINE = "plant1:machine-5-03";

    @TempDir
    static Path dataDir;

    private RunningPlantMesh running;
    private WebUiServer ui;
    private HeadlessChromium chromium;
    private ChromeDriver browser;
    private PlantHttp apis;
    private String page;

    @BeforeAll
    void start() throws Exception {
        // fail before the footprint starts if the browser is missing: the message names the install script
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
        ShopFloorOptions floor = ShopFloorOptions.forTests()
                .withMachines(id -> id.startsWith("plant1:machine-1-"))
                .withDispatchJobs(true)
                .withErpPort(0);
        running = PlantMeshLauncher.start(LaunchOptions.forTests(dataDir).withShopFloor(floor),
                LaunchListener.silent());
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
    void theOverviewShowsFiveLinesAndFiftyMachines() throws Exception {
        long start = System.nanoTime();
        browser.get(page + "#/overview");

        eventually().untilAsserted(() -> {
            assertThat(browser.findElements(By.cssSelector("section[data-line]"))).hasSize(5);
            assertThat(browser.findElements(By.cssSelector("a.tile[data-machine]"))).hasSize(50);
        });
        // for the record only (speed is the benchmark's business, not a test's)
        System.out.printf("overview: 50 tiles seen %d ms after the page was requested%n",
                (System.nanoTime() - start) / 1_000_000);
        List<String> lines = browser.findElements(By.cssSelector("section[data-line]")).stream()
                .map(e -> e.getAttribute("data-line")).toList();
        assertThat(lines).containsExactly("plant1:line-1", "plant1:line-2", "plant1:line-3", "plant1:line-4",
                "plant1:line-5");
        // every tile says its state in words, not by colour alone
        for (WebElement tile : browser.findElements(By.cssSelector("a.tile[data-machine]"))) {
            assertThat(tile.findElement(By.cssSelector(".state")).getText())
                    .isIn("RUNNING", "IDLE", "DOWN", "MAINTENANCE", "SETUP");
        }
        waitForLive();
        System.out.printf("overview: live %d ms after the page was requested%n",
                (System.nanoTime() - start) / 1_000_000);
        chromium.screenshot("overview");
    }

    @Test
    @Order(2)
    void aMachineDrivenDownByATwinWriteTurnsDownOnScreenWithoutAReload() throws Exception {
        browser.get(page + "#/overview");
        By tile = By.cssSelector("a.tile[data-machine='" + QUIET_MACHINE + "']");
        eventually().until(() -> !browser.findElements(tile).isEmpty());
        waitForLive();
        assertThat(browser.findElement(tile).getAttribute("data-state")).isNotEqualTo("DOWN");
        ((JavascriptExecutor) browser).executeScript("window.__notReloaded = true;");

        apis.putTwin("/things/" + QUIET_MACHINE + "/features/state/properties",
                "{\"state\":\"DOWN\",\"since\":\"" + Instant.now() + "\",\"reason\":\"spindle overload\"}");

        eventually().untilAsserted(() -> {
            WebElement shown = browser.findElement(tile);
            assertThat(shown.getAttribute("data-state")).isEqualTo("DOWN");
            assertThat(shown.findElement(By.cssSelector(".state")).getText()).isEqualTo("DOWN");
        });
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__notReloaded === true;"))
                .as("the page was not reloaded").isEqualTo(true);
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center', behavior:"
                + " 'instant'});", browser.findElement(tile));
        chromium.screenshot("overview-machine-down");

        // the alert feed has it, linked to the twin, and it can be acknowledged
        chromium.click(browser.findElement(By.cssSelector("a[data-nav='alerts']")));
        By alert = By.cssSelector("li[data-alert='machine-down'][data-thing-id='" + QUIET_MACHINE + "']");
        eventually().until(() -> !browser.findElements(alert).isEmpty());
        chromium.screenshot("alerts");
        chromium.click(browser.findElement(alert).findElement(By.tagName("button")));
        eventually().untilAsserted(() ->
                assertThat(browser.findElement(alert).getText()).contains("acknowledged"));
    }

    @Test
    @Order(3)
    void anRqlSearchReturnsExactlyTheExpectedTwins() throws Exception {
        browser.get(page + "#/twins");
        WebElement filter = eventually()
                .until(() -> browser.findElements(By.id("rql-filter")), list -> !list.isEmpty()).get(0);
        filter.clear();
        filter.sendKeys("and(eq(definition,\"io.plantmesh:machine:1.0.0\"),eq(attributes/line,\"plant1:line-3\"))");
        new Select(browser.findElement(By.id("size"))).selectByVisibleText("50");
        chromium.click(browser.findElement(By.id("search-button")));

        List<String> expected = IntStream.rangeClosed(1, 10).mapToObj(i -> String.format("plant1:machine-3-%02d", i))
                .toList();
        eventually().untilAsserted(() -> {
            assertThat(resultIds()).containsExactlyElementsOf(expected);
            assertThat(browser.findElement(By.cssSelector("[data-testid='result-count']")).getText())
                    .startsWith("10 twins match");
        });
        chromium.screenshot("twin-browser");

        // the machine driven DOWN above is the only DOWN machine of line 5
        filter = browser.findElement(By.id("rql-filter"));
        filter.clear();
        filter.sendKeys("and(eq(attributes/line,\"plant1:line-5\"),eq(features/state/properties/state,\"DOWN\"))");
        chromium.click(browser.findElement(By.id("search-button")));
        eventually().untilAsserted(() ->
                assertThat(resultIds()).containsExactly(QUIET_MACHINE));
    }

    @Test
    @Order(4)
    void anEditOnAStaleRevisionShowsTheConflictAndOverwritesNothing() throws Exception {
        String machine = "plant1:machine-4-02";
        openTwin(machine);
        browser.findElement(By.id("edit-path")).sendKeys("attributes/location");
        chromium.click(browser.findElement(By.id("edit-start")));
        eventually().until(() -> !browser.findElements(By.id("edit-value")).isEmpty());
        long editedRevision = Long.parseLong(browser.findElement(By.cssSelector("[data-testid='edit-base-revision']"))
                .getText());

        // someone else changes the twin after the editor opened
        apis.putTwin("/things/" + machine + "/attributes/location", "\"Hall A\"");
        WebElement value = browser.findElement(By.id("edit-value"));
        value.clear();
        value.sendKeys("\"Hall B\"");
        chromium.click(browser.findElement(By.id("edit-save")));

        WebElement conflict = eventually().until(() ->
                browser.findElements(By.cssSelector("[data-testid='edit-conflict']")), l -> !l.isEmpty()).get(0);
        assertThat(conflict.getText()).contains("Not saved").contains("You edited revision " + editedRevision)
                .contains("\"Hall A\"");
        assertThat(apis.twinJson("/things/" + machine + "/attributes/location")).isEqualTo("\"Hall A\"");
        chromium.screenshot("twin-edit-conflict");

        // editing again on the current revision saves
        chromium.click(conflict.findElement(By.tagName("button")));
        value = browser.findElement(By.id("edit-value"));
        value.clear();
        value.sendKeys("\"Hall B\"");
        chromium.click(browser.findElement(By.id("edit-save")));
        eventually().untilAsserted(() ->
                assertThat(apis.twinJson("/things/" + machine + "/attributes/location"))
                        .isEqualTo("\"Hall B\""));
    }

    @Test
    @Order(5)
    void aLiveMessageReturnsTheMachinesResponse() throws Exception {
        // a simulated machine of line 1: the message goes through twin ingestion, Hono and the device, and back
        String machine = "plant1:machine-1-09";
        openTwin(machine);
        WebElement subject = browser.findElement(By.id("message-subject"));
        subject.clear();
        subject.sendKeys("holdJob");
        chromium.click(browser.findElement(By.id("message-send")));

        WebElement answer = eventually().until(() ->
                browser.findElements(By.cssSelector("[data-testid='message-answer']")), l -> !l.isEmpty()).get(0);
        // the machine answers 200 (job held) or 409 (it has no job): either way, its own answer
        assertThat(answer.getAttribute("data-status")).isIn("200", "409");
        assertThat(answer.getText()).contains("accepted");
        chromium.screenshot("twin-page");
        chromium.click(browser.findElement(By.id("raw-json-tab")));
        assertThat(browser.findElement(By.cssSelector("[data-testid='twin-raw']")).getText())
                .contains("\"thingId\": \"" + machine + "\"");
    }

    @Test
    @Order(6)
    void theProductionViewShowsTheMesScheduleAndHoldsAnOrderThroughTheMesApi() throws Exception {
        browser.get(page + "#/production");
        eventually().until(() ->
                !browser.findElements(By.cssSelector("[data-testid='schedule-table']")).isEmpty());
        // the schedule shown is the MES's (it moves on as the MES dispatches, so compare until they agree)
        eventually().pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<String> mes = new ArrayList<>();
            JsonArray queue = apis.mes("/lines/plant1:line-1/schedule").getJsonArray("queue");
            for (int i = 0; i < queue.size(); i++) {
                mes.add(queue.getJsonObject(i).getString("workOrder"));
            }
            assertThat(mes).isNotEmpty();
            List<String> shown = browser.findElements(By.cssSelector("[data-testid='schedule-table'] tr[data-order]"))
                    .stream().map(e -> e.getAttribute("data-order")).toList();
            assertThat(shown).containsExactlyElementsOf(mes);
        });
        assertThat(browser.findElements(By.cssSelector("[data-testid='work-orders'] tr[data-order]"))).isNotEmpty();
        chromium.screenshot("production");

        // hold an open order from its row; the MES API holds it and the twin says so
        WebElement row = browser.findElements(By.cssSelector("[data-testid='work-orders'] tr[data-order]")).stream()
                .filter(r -> !r.findElements(By.cssSelector("button[data-action='hold']")).isEmpty())
                .findFirst().orElseThrow();
        String order = row.getAttribute("data-order");
        chromium.click(browser.findElement(By.cssSelector("[data-testid='work-orders'] tr[data-order='" + order
                + "'] button[data-action='hold']")));
        eventually().untilAsserted(() -> {
            assertThat(apis.twinJson("/things/" + order + "/features/status/properties/status"))
                    .isEqualTo("\"HELD\"");
            assertThat(browser.findElements(By.cssSelector("[data-testid='held-orders'] tr[data-order='" + order
                    + "']"))).isNotEmpty();
        });
        WebElement held = browser.findElement(By.cssSelector("[data-testid='held-orders'] tr[data-order='" + order
                + "']"));
        chromium.click(held.findElement(By.cssSelector("button[data-action='release']")));
        eventually().untilAsserted(() ->
                assertThat(apis.twinJson("/things/" + order + "/features/status/properties/status"))
                        .isNotEqualTo("\"HELD\""));

        // reprioritise an open order: the order twin's priority is written (If-Match on the revision shown)
        String reprioritised = browser.findElements(By.cssSelector("[data-testid='work-orders'] select[data-priority]"))
                .stream().map(e -> e.getAttribute("data-priority")).findFirst().orElseThrow();
        String before = apis.twinJson("/things/" + reprioritised + "/attributes/priority");
        String wanted = "1".equals(before) ? "9" : "1";
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector(
                "[data-testid='work-orders'] select[data-priority='" + reprioritised + "']"))).selectByValue(wanted);
        eventually().untilAsserted(() ->
                assertThat(apis.twinJson("/things/" + reprioritised + "/attributes/priority")).isEqualTo(wanted));
    }

    @Test
    @Order(7)
    void theInventoryViewShowsTheErpsStock() throws Exception {
        browser.get(page + "#/inventory");
        eventually().untilAsserted(() ->
                assertThat(browser.findElements(By.cssSelector("[data-testid='stock'] tr[data-material]")))
                        .hasSize(20));
        String material = "RAW-1001";
        eventually().pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonArray rows = apis.erp("API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod?$filter=Material%20eq%20'"
                    + material + "'").getJsonObject("d").getJsonArray("results");
            double erp = 0;
            for (int i = 0; i < rows.size(); i++) {
                erp += Double.parseDouble(rows.getJsonObject(i).getString("MatlWrhsStkQtyInMatlBaseUnit"));
            }
            String shown = browser.findElement(By.cssSelector("[data-testid='stock'] tr[data-material='" + material
                    + "'] [data-testid='erp-stock']")).getAttribute("data-value");
            assertThat(Double.parseDouble(shown)).isEqualTo(erp);
        });
        assertThat(browser.findElements(By.cssSelector("[data-testid='documents'] tbody tr"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("[data-testid='requisitions']"))).isNotEmpty();
        chromium.screenshot("inventory");
    }

    @Test
    @Order(8)
    void thePolicyViewSaysWhatARoleMayDo() throws Exception {
        browser.get(page + "#/policy/plant1:shopfloor?thing=plant1:machine-1-01");
        eventually().until(() ->
                !browser.findElements(By.cssSelector("[data-policy-entry='PLANT-VIEWER']")).isEmpty());
        new Select(browser.findElement(By.id("policy-role"))).selectByVisibleText("PLANT-VIEWER");
        eventually().untilAsserted(() -> {
            WebElement thingRow = browser.findElements(By.cssSelector("[data-testid='role-view'] tbody tr")).get(0);
            assertThat(thingRow.getText()).startsWith("thing:/").contains("yes").contains("no");
        });
        chromium.screenshot("policy");
    }

    @Test
    @Order(9)
    void aTwinThatIsNotThereIsExplainedWithARetry() throws Exception {
        browser.get(page + "#/twin/plant1:no-such-machine");
        WebElement error = eventually().until(() ->
                browser.findElements(By.cssSelector("[role='alert'][data-error-status='404']")), l -> !l.isEmpty())
                .get(0);
        assertThat(error.getText()).contains("Not found in the twin API (404)").contains("policy");
        assertThat(error.findElement(By.tagName("button")).getText()).isEqualTo("Retry");
    }

    @Test
    @Order(10)
    void theTrendShowsTheLastHourFromTheTwinsHistoryThenStaysLive() throws Exception {
        // a machine no simulator drives: these values are its whole recent telemetry
        String machine = "plant1:machine-5-07";
        String property = "features/telemetry/properties/spindleSpeed";
        for (int speed : new int[] {1111, 2222, 3333}) {
            apis.putTwin("/things/" + machine + "/" + property, Integer.toString(speed));
        }
        openTwin(machine);
        new Select(eventually().until(() -> browser.findElements(By.id("trend-property")), l -> !l.isEmpty()).get(0))
                .selectByValue(property);
        WebElement history = eventually().until(() -> browser.findElements(
                By.cssSelector("[data-testid='trend-history'][data-phase='ready']")), l -> !l.isEmpty()).get(0);
        assertThat(history.getText()).startsWith("From the twin's history since").endsWith("then live.");
        assertThat(Integer.parseInt(history.getAttribute("data-count"))).isGreaterThanOrEqualTo(3);
        // the values of the last hour in time order: the three changes, then the value the twin has now
        assertThat(trendValues(property)).endsWith(1111.0, 2222.0, 3333.0, 3333.0);
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center', behavior:"
                + " 'instant'});", browser.findElement(By.cssSelector("[data-testid='trend']")));
        chromium.screenshot("twin-trend");

        // then live: a new value joins the same series without a reload
        apis.putTwin("/things/" + machine + "/" + property, "4444");
        eventually().untilAsserted(() -> assertThat(trendValues(property)).endsWith(2222.0, 3333.0, 3333.0, 4444.0));
        eventually().untilAsserted(() -> assertThat(browser.findElement(By.cssSelector("[data-testid='trend-plot']"))
                .getAttribute("aria-label")).contains("latest 4444 rpm"));
    }

    @Test
    @Order(11)
    void theTrendSaysSoWhenTheTwinApiServesNoHistory() throws Exception {
        // as a Ditto before 3.2 answers: the history parameters are ignored and live events stream instead
        openTwinAnsweringHistoryWith("plant1:machine-5-08", """
                const event = {thingId: 'plant1:machine-5-08', _revision: 999999,
                  _modified: new Date(Date.now() + 60000).toISOString(),
                  features: {telemetry: {properties: {spindleSpeed: 1}}}};
                const body = new ReadableStream({start(c) {
                  c.enqueue(new TextEncoder().encode(':\\n\\ndata:' + JSON.stringify(event) + '\\n\\n'));
                }});
                return Promise.resolve(new Response(body, {status: 200,
                    headers: {'Content-Type': 'text/event-stream'}}));
                """);
        WebElement history = eventually().until(() -> browser.findElements(
                By.cssSelector("[data-testid='trend-history'][data-phase='unavailable']")), l -> !l.isEmpty()).get(0);
        assertThat(history.getText()).startsWith("No history:").contains("does not serve Ditto's history API")
                .contains("values since this page opened");
        browser.navigate().refresh();
    }

    @Test
    @Order(12)
    void theTrendShowsWhatIsKeptWhenTheTwinApiKeepsLessThanAnHour() throws Exception {
        // as the twin server answers when its journal no longer holds the hour: the page then asks for what is kept
        openTwinAnsweringHistoryWith("plant1:machine-5-09", """
                if (!url.includes('from-historical-timestamp')) {
                  return null;
                }
                return Promise.resolve(new Response(JSON.stringify({status: 404,
                    error: 'things:thing.history.notfound',
                    message: 'The history of the Thing with ID plant1:machine-5-09 is no longer kept.',
                    description: 'The twin server keeps the newest 5 events of each thing (eventRetention).'}),
                    {status: 404, headers: {'Content-Type': 'application/json'}}));
                """);
        WebElement history = eventually().until(() -> browser.findElements(
                By.cssSelector("[data-testid='trend-history'][data-phase='partial']")), l -> !l.isEmpty()).get(0);
        assertThat(history.getText()).startsWith("The twin API keeps this twin's history only since")
                .contains("older values of the last hour are gone");
        assertThat(browser.findElement(By.cssSelector("[data-testid='trend'] details")).getAttribute("textContent"))
                .contains("is no longer kept").contains("eventRetention");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__historyRequests.join(' ');"))
                .asString().contains("from-historical-revision=0");
        browser.navigate().refresh();
    }

    /**
     * Opens a twin's page with the page's requests for its history answered by {@code answer}: JavaScript with
     * {@code url} in scope that returns a Promise of a Response, or null to let the request through.
     */
    @Test
    @Order(13)
    void devicesOfflineAndPredictedFailuresAreAlerts() throws Exception {
        // machines and a gateway no simulator drives: twin writes stand for what Hono, the gateway and the
        // maintenance service would write
        String offline = "plant1:machine-5-01";
        String worn = "plant1:machine-5-02";
        String unreachable = "plant1:machine-4-01";
        browser.get(page + "#/alerts");
        waitForLive();
        apis.putTwin("/things/" + offline + "/features/connectivity",
                "{\"properties\":{\"connected\":false,\"since\":\"" + Instant.now() + "\"}}");
        apis.putTwin("/things/" + worn + "/features/health/properties/predictedFailure",
                "{\"at\":\"" + Instant.now().plusSeconds(5 * 3600) + "\",\"failureMode\":\"BEARING_WEAR\"}");
        apis.putTwin("/things/" + worn + "/features/health/properties/suspectedMode", "\"BEARING_WEAR\"");
        apis.putTwin("/things/" + worn + "/features/health/properties/predictiveAlarms",
                "[{\"code\":\"PREDICTED_FAILURE\",\"severity\":\"WARNING\",\"since\":\"" + Instant.now()
                        + "\",\"failureMode\":\"BEARING_WEAR\",\"reasons\":[\"vibration rising\"]}]");
        apis.putTwin("/things/plant1:gateway-4/features/opcua/properties/machines",
                "{\"" + unreachable + "\":{\"session\":\"RECONNECTING\",\"lastError\":\"connection refused\"}}");

        By offlineAlert = By.cssSelector("li[data-alert='device-offline'][data-thing-id='" + offline + "']");
        By wornAlert = By.cssSelector("li[data-alert='predicted-failure'][data-thing-id='" + worn + "']");
        By unreachableAlert = By.cssSelector("li[data-alert='device-offline'][data-thing-id='" + unreachable + "']");
        eventually().untilAsserted(() -> {
            assertThat(browser.findElement(offlineAlert).getText()).contains("is offline");
            assertThat(browser.findElement(wornAlert).getText()).contains("failure predicted", "bearing wear");
            assertThat(browser.findElement(unreachableAlert).getText()).contains("unreachable over OPC-UA",
                    "connection refused");
        });
        chromium.screenshot("alerts-devices-and-predictions");

        // back online: the alert is resolved without a reload
        apis.putTwin("/things/" + offline + "/features/connectivity/properties/connected", "true");
        eventually().until(() -> browser.findElements(offlineAlert).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[data-testid='resolved-alerts']")).getText())
                .contains("is offline — resolved");
    }

    private void openTwinAnsweringHistoryWith(String thingId, String answer) {
        browser.get(page + "#/overview");
        eventually().until(() -> !browser.findElements(By.cssSelector("a.tile[data-machine]")).isEmpty());
        ((JavascriptExecutor) browser).executeScript("const real = window.fetch;\n"
                + "window.__historyRequests = [];\n"
                + "window.fetch = (input, init) => {\n"
                + "  const url = String(input instanceof Request ? input.url : input);\n"
                + "  if (url.includes('from-historical-')) {\n"
                + "    window.__historyRequests.push(url);\n"
                + "    const answered = (() => {\n" + answer + "\n})();\n"
                + "    if (answered) {\n"
                + "      return answered;\n"
                + "    }\n"
                + "  }\n"
                + "  return real(input, init);\n"
                + "};\n"
                + "window.location.hash = '#/twin/' + encodeURIComponent(arguments[0]);", thingId);
        eventually().untilAsserted(() -> assertThat(browser.findElement(By.cssSelector("[data-testid='twin-live']"))
                .getText()).isEqualTo("live"));
    }

    /** The values of one series of the open twin's trend, in time order. */
    private List<Double> trendValues(String property) {
        Object values = ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('pm-twin-page').samples.get(arguments[0]).map(s => s[1]);", property);
        return ((List<?>) values).stream().map(v -> ((Number) v).doubleValue()).toList();
    }

    private void openTwin(String thingId) {
        browser.get(page + "#/twin/" + thingId);
        eventually().untilAsserted(() -> {
            assertThat(browser.findElements(By.cssSelector("[data-testid='revision']"))).isNotEmpty();
            assertThat(browser.findElement(By.cssSelector("[data-testid='twin-live']")).getText()).isEqualTo("live");
        });
    }

    private void waitForLive() {
        eventually().untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("[data-testid='live-status']"))
                        .getAttribute("data-phase")).isEqualTo("live"));
    }

    private List<String> resultIds() {
        return browser.findElements(By.cssSelector("[data-testid='search-results'] tr[data-thing-id]")).stream()
                .map(e -> e.getAttribute("data-thing-id")).toList();
    }


    /** Waits for the page, bounded; DOM lookups that miss (not rendered yet, re-rendered) are retried. */
    private static ConditionFactory eventually() {
        return await().atMost(WAIT).pollInterval(POLL).ignoreExceptions();
    }
}
