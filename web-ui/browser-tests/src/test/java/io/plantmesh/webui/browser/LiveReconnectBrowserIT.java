package io.plantmesh.webui.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import io.plantmesh.webui.WebUiConfig;
import io.plantmesh.webui.WebUiServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The live stream's reconnection, against a stand-in twin API whose event stream the test breaks: the page says the
 * live updates are down (and when it retries), reconnects by itself once the API is back, reloads what it missed and
 * is live again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveReconnectBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String MACHINE = "plant1:machine-1-01";

    private final Vertx vertx = Vertx.vertx();
    private final List<HttpServerResponse> streams = new CopyOnWriteArrayList<>();
    private final AtomicBoolean refuseStreams = new AtomicBoolean();
    private final AtomicInteger searches = new AtomicInteger();
    private volatile String machineState = "IDLE";
    private HttpServer twinApi;
    private WebUiServer ui;
    private HeadlessChromium chromium;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws Exception {
        chromium = HeadlessChromium.start();
        browser = chromium.driver();
        twinApi = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/api/2/things") && "text/event-stream".equals(request.getHeader("Accept"))) {
                if (refuseStreams.get()) {
                    request.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("status", 503).put("error", "things:unavailable")
                                    .put("message", "The twin store is not reachable.").encode());
                    return;
                }
                HttpServerResponse response = request.response().setChunked(true)
                        .putHeader("Content-Type", "text/event-stream");
                response.write(":\n\n");
                streams.add(response);
            } else if (request.path().equals("/api/2/search/things")) {
                searches.incrementAndGet();
                request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("items", new JsonArray().add(line()).add(machine(1))).encode());
            } else {
                request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ui = WebUiServer.create(WebUiConfig.defaults(URI.create("http://127.0.0.1:" + twinApi.actualPort()
                + "/api/2")).withListen("127.0.0.1", 0));
        ui.start();
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (ui != null) {
            ui.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void theStreamReconnectsByItselfAndSaysSoWhileItIsDown() throws Exception {
        browser.get(ui.uri() + "#/overview");
        eventually().untilAsserted(() -> {
            assertThat(phase()).isEqualTo("live");
            assertThat(browser.findElements(By.cssSelector("a.tile[data-machine='" + MACHINE + "']"))).hasSize(1);
        });
        int searchesBefore = searches.get();

        // the twin API goes away: the stream breaks and new ones are refused
        refuseStreams.set(true);
        machineState = "DOWN";
        vertx.runOnContext(ignored -> streams.forEach(s -> s.reset()));
        eventually().untilAsserted(() -> {
            assertThat(phase()).isEqualTo("down");
            assertThat(browser.findElement(By.cssSelector("[data-testid='live-down']")).getText())
                    .contains("Live updates are down").contains("Reconnecting in")
                    // the retries are refused: the page says by whom and why
                    .contains("The twin API failed (503)").contains("The twin store is not reachable.");
        });
        chromium.screenshot("live-updates-down");

        // it comes back: the page reconnects without a reload and reloads what it missed meanwhile
        refuseStreams.set(false);
        eventually().untilAsserted(() -> {
            assertThat(phase()).isEqualTo("live");
            assertThat(browser.findElements(By.cssSelector("[data-testid='live-down']"))).isEmpty();
            assertThat(searches.get()).isGreaterThan(searchesBefore);
            assertThat(browser.findElement(By.cssSelector("a.tile[data-machine='" + MACHINE + "']"))
                    .getAttribute("data-state")).isEqualTo("DOWN");
        });

        // and events flow again
        vertx.runOnContext(ignored -> streams.get(streams.size() - 1).write("data:" + new JsonObject()
                .put("thingId", MACHINE).put("_revision", 9)
                .put("features", new JsonObject().put("state", new JsonObject().put("properties", new JsonObject()
                        .put("state", "RUNNING")))).encode() + "\n\n"));
        eventually().untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("a.tile[data-machine='" + MACHINE + "']"))
                        .getAttribute("data-state")).isEqualTo("RUNNING"));
    }

    private String phase() {
        return browser.findElement(By.cssSelector("[data-testid='live-status']")).getAttribute("data-phase");
    }

    private static JsonObject line() {
        return new JsonObject().put("thingId", "plant1:line-1").put("definition", "io.plantmesh:line:1.0.0")
                .put("_revision", 1)
                .put("attributes", new JsonObject().put("name", "Line 1").put("plant", "1000"))
                .put("features", new JsonObject().put("machines", new JsonObject().put("properties",
                        new JsonObject().put("thingIds", new JsonArray().add(MACHINE)))));
    }

    private JsonObject machine(int revision) {
        return new JsonObject().put("thingId", MACHINE).put("definition", "io.plantmesh:machine:1.0.0")
                .put("_revision", revision)
                .put("attributes", new JsonObject().put("line", "plant1:line-1").put("name", "Machining centre 1-01"))
                .put("features", new JsonObject().put("state", new JsonObject().put("properties", new JsonObject()
                        .put("state", machineState).put("since", "2026-11-26T10:00:00Z"))));
    }

    /** Waits for the page, bounded; DOM lookups that miss (not rendered yet, re-rendered) are retried. */
    private static ConditionFactory eventually() {
        return await().atMost(WAIT).pollInterval(POLL).ignoreExceptions();
    }
}
