package io.plantmesh.twin.server.search;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.plantmesh.twin.server.support.RunningTwinServer;

/** A minimal SSE client for tests: collects the {@code data:} lines of one event stream. */
final class SseClient implements AutoCloseable {

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<String> data = new LinkedBlockingQueue<>();

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens a stream and returns once the response headers arrived (the server has subscribed by then). */
    static SseClient open(HttpClient http, RunningTwinServer server, String user, String pathAndQuery)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.httpBase() + pathAndQuery))
                .header("Authorization", RunningTwinServer.basic(user, user))
                .header("Accept", "text/event-stream")
                .GET().build();
        HttpResponse<Stream<String>> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .get(5, TimeUnit.SECONDS);
        return new SseClient(response);
    }

    private void read() {
        try (Stream<String> lines = response.body()) {
            lines.filter(line -> line.startsWith("data:")).forEach(line -> data.add(line.substring(5)));
        } catch (RuntimeException e) {
            // closed
        }
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    /** The next event's data, or null if none arrives in time. */
    String next(Duration timeout) throws InterruptedException {
        return data.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        response.body().close();
    }
}
