package io.plantmesh.webui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The web UI server against a stand-in twin API on 127.0.0.1: the page, its libraries, config.json and the Thing
 * Models are served; the proxy forwards method, path, query, body and the page's Authorization header, streams Server-
 * Sent Events as they come, hides the API's basic-auth challenge from the browser, and answers 502 in Ditto's error
 * shape when the API is down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiServerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Vertx upstreamVertx = Vertx.vertx();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<HttpServerResponse> streams = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private HttpServer upstream;
    private WebUiServer server;
    private WebUiServer serverWithDeadUpstream;
    private String base;

    @BeforeAll
    void start() throws Exception {
        upstream = upstreamVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            seen.add(request.method() + " " + request.uri() + " auth=" + request.getHeader("Authorization")
                    + " body=" + body.toString());
            if (request.path().equals("/api/2/things") && "text/event-stream".equals(request.getHeader("Accept"))) {
                HttpServerResponse response = request.response().setChunked(true)
                        .putHeader("Content-Type", "text/event-stream");
                response.write("data:{\"thingId\":\"plant1:machine-1-01\",\"_revision\":7}\n\n");
                streams.add(response);
            } else if (request.path().equals("/api/2/whoami")) {
                request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Basic realm=\"ditto\"")
                        .putHeader("Content-Type", "application/json")
                        .end("{\"status\":401,\"error\":\"gateway:authentication.failed\"}");
            } else {
                request.response().putHeader("Content-Type", "application/json")
                        .putHeader("Location", "http://127.0.0.1:" + request.localAddress().port() + "/api/2/x")
                        .end(new JsonObject().put("path", request.path()).encode());
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        server = WebUiServer.create(WebUiConfig.defaults(URI.create("http://127.0.0.1:" + upstream.actualPort()
                + "/api/2")).withListen("127.0.0.1", 0));
        server.start();
        base = server.uri().toString();

        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        serverWithDeadUpstream = WebUiServer.create(WebUiConfig.defaults(URI.create("http://127.0.0.1:" + deadPort
                + "/api/2")).withListen("127.0.0.1", 0));
        serverWithDeadUpstream.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (serverWithDeadUpstream != null) {
            serverWithDeadUpstream.close();
        }
        upstreamVertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void servesThePageItsLibrariesConfigAndModels() throws Exception {
        HttpResponse<String> index = get(base, "");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<pm-app>").contains("importmap");

        HttpResponse<String> lit = get(base, "webjars/lit/index.js");
        assertThat(lit.statusCode()).isEqualTo(200);
        assertThat(lit.headers().firstValue("Content-Type").orElse("")).contains("javascript");
        assertThat(get(base, "webjars/lit__reactive-element/reactive-element.js").statusCode()).isEqualTo(200);
        assertThat(get(base, "webjars/lit-html/lit-html.js").statusCode()).isEqualTo(200);
        assertThat(get(base, "webjars/uplot/dist/uPlot.esm.js").statusCode()).isEqualTo(200);
        assertThat(get(base, "webjars/bootstrap/dist/css/bootstrap.min.css").statusCode()).isEqualTo(200);
        assertThat(get(base, "webjars/no-such-library/x.js").statusCode()).isEqualTo(404);
        assertThat(get(base, "js/main.js").statusCode()).isEqualTo(200);

        HttpResponse<String> config = get(base, "config.json");
        assertThat(new JsonObject(config.body()).getJsonObject("apis").getJsonObject("twin").getString("base"))
                .isEqualTo("/api/2");
        HttpResponse<String> model = get(base, "models/machine");
        assertThat(new JsonObject(model.body()).getString("title")).isEqualTo("PlantMesh machine");
    }

    @Test
    void forwardsMethodPathQueryBodyAndAuthorization() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base
                        + "api/2/things/plant1:machine-1-01?fields=thingId,_revision"))
                .header("Authorization", "Basic ZGl0dG86ZGl0dG8=")
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"attributes\":{\"a\":1}}"))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(response.body()).getString("path")).isEqualTo("/api/2/things/plant1:machine-1-01");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/2/x");
        assertThat(seen).contains("PATCH /api/2/things/plant1:machine-1-01?fields=thingId,_revision"
                + " auth=Basic ZGl0dG86ZGl0dG8= body={\"attributes\":{\"a\":1}}");
    }

    @Test
    void theApisBasicAuthChallengeDoesNotReachTheBrowser() throws Exception {
        HttpResponse<String> response = get(base, "api/2/whoami");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(response.headers().firstValue("x-plantmesh-upstream-authenticate")).hasValue("Basic realm=\"ditto\"");
        assertThat(response.body()).contains("gateway:authentication.failed");
    }

    @Test
    void serverSentEventsPassThroughAsTheyCome() throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(base
                        + "api/2/things?namespaces=plant1"))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2aWV3ZXIifQ.c2ln")
                .timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        // the page's access token reaches the twin API unchanged (a signed-in page's live stream)
        assertThat(seen).contains("GET /api/2/things?namespaces=plant1"
                + " auth=Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2aWV3ZXIifQ.c2ln body=");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            // the upstream stream stays open: each line must arrive before it ends
            assertThat(reader.readLine()).isEqualTo("data:{\"thingId\":\"plant1:machine-1-01\",\"_revision\":7}");
            assertThat(reader.readLine()).isEmpty();
            HttpServerResponse stream = streams.get(streams.size() - 1);
            upstreamVertx.runOnContext(ignored -> stream.write("data:{\"thingId\":\"plant1:machine-1-02\"}\n\n"));
            assertThat(reader.readLine()).isEqualTo("data:{\"thingId\":\"plant1:machine-1-02\"}");
        }
        // the page went away: the proxy closes its upstream stream too, so none is left open on the twin API
        HttpServerResponse stream = streams.get(streams.size() - 1);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stream.closed()).isTrue());
    }

    @Test
    void aDotSegmentIsRefused() throws Exception {
        HttpResponse<String> response = get(base, "api/2/things/%2e%2e/policies");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(response.body()).getString("error")).isEqualTo("webui:path.invalid");
    }

    @Test
    void anUnreachableApiIsA502InDittosErrorShapeSayingWhatToDo() throws Exception {
        HttpResponse<String> response = get(serverWithDeadUpstream.uri().toString(), "api/2/things?ids=a:b");

        assertThat(response.statusCode()).isEqualTo(502);
        JsonObject error = new JsonObject(response.body());
        assertThat(error.getString("error")).isEqualTo("webui:upstream.unavailable");
        assertThat(error.getString("message")).startsWith("The twin API at http://127.0.0.1:")
                .contains("cannot be reached");
        assertThat(error.getString("description")).contains("./plantmesh up");
    }

    @Test
    void anApiTheServerWasNotGivenIsA503() throws Exception {
        HttpResponse<String> response = get(base, "api/mes/v1/lines/plant1:line-1/schedule");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(response.body()).getString("error")).isEqualTo("webui:api.notconfigured");
    }

    private HttpResponse<String> get(String root, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(root + path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
