package io.plantmesh.launcher.scenario;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The UI's event stream: Server-Sent Events of every twin change of the plant ({@code GET /api/2/things} with
 * {@code Accept: text/event-stream}, as the web UI subscribes), stamped on arrival. Keeps what the twins say (machine
 * states, order status and progress, the ERP documents recorded on orders, material stock) and measures the paths
 * whose consumer is the twin, the MES's order decisions (written to the order twins) and the ERP's documents
 * (recorded on the order twins by the ERP bridge). Thread-safe.
 */
final class TwinEventStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TwinEventStream.class);

    private static final String EXTRA_FIELDS = String.join(",", "attributes/quantity",
            "features/state/properties/state", "features/status/properties/status",
            "features/progress/properties/good", "features/erp/properties/goodsMovements",
            "features/stock/properties/onHand");

    /** What the twins say about one work order. */
    static final class OrderView {
        double quantity;
        String status = "";
        long good;
        double received;
        boolean completedSeen;
        final Set<String> documents = new HashSet<>();
        long documentItems;
    }

    private final DeviceProbe probe;
    private final Latencies latencies;
    private final String plant;
    private final Map<String, String> machineStates = new HashMap<>();
    private final Map<String, OrderView> orders = new HashMap<>();
    private final Map<String, Double> stock = new HashMap<>();
    private final AtomicLong events = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile long measureUntilNanos = Long.MAX_VALUE;
    private volatile boolean closed;
    private Thread reader;
    private volatile Stream<String> lines;

    TwinEventStream(final DeviceProbe probe, final Latencies latencies, final String plant) {
        this.probe = probe;
        this.latencies = latencies;
        this.plant = plant;
    }

    /**
     * Opens the stream and returns once the twin server answered (events flow from then on).
     *
     * @throws IllegalStateException if the twin server does not answer with an event stream
     */
    void open(final URI apiBase, final String user, final String password) {
        final URI uri = URI.create(apiBase + "/things?namespaces=" + plant + "&extraFields="
                + URLEncoder.encode(EXTRA_FIELDS, StandardCharsets.UTF_8));
        final HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        final HttpResponse<Stream<String>> answer;
        try {
            answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(30, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new IllegalStateException("The scenario could not open the twin event stream at " + uri + ": "
                    + e.getMessage() + ". Check the twin server's log.", e);
        }
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("The twin event stream at " + uri + " answered " + answer.statusCode()
                    + " instead of 200; check the user " + user + " and the twin server's log.");
        }
        lines = answer.body();
        reader = new Thread(() -> read(answer.body()), "scenario-twin-events");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(final Stream<String> lines) {
        try (lines) {
            lines.forEach(line -> {
                if (closed) {
                    throw new IllegalStateException("closed");
                }
                if (line.startsWith("data:")) {
                    final String data = line.substring(5).trim();
                    if (!data.isEmpty()) {
                        onEvent(System.nanoTime(), data);
                    }
                }
            });
        } catch (final IllegalStateException | UncheckedIOException e) {
            if (!closed) {
                LOG.warn("The scenario's twin event stream ended: {}", e.getMessage());
            }
        }
    }

    /**
     * Events whose origin lies from {@code from} to {@code until} ({@link System#nanoTime()}) are measured, whenever
     * they arrive (so that late arrivals after the measured window still count).
     */
    void measure(final long from, final long until) {
        measureFromNanos = from;
        measureUntilNanos = until;
    }

    private boolean measured(final long origin, final long arrival) {
        return origin >= measureFromNanos && origin <= measureUntilNanos && arrival >= origin;
    }

    private void onEvent(final long arrival, final String data) {
        final JsonObject thing;
        try {
            thing = new JsonObject(data);
        } catch (final RuntimeException e) {
            return;
        }
        events.incrementAndGet();
        final String id = thing.getString("thingId", "");
        final JsonObject features = thing.getJsonObject("features", new JsonObject());
        if (id.startsWith(plant + ":machine-")) {
            final String state = path(features, "state", "state");
            if (state != null) {
                machineState(id, state, arrival);
            }
        } else if (id.startsWith(plant + ":wo-")) {
            order(id, thing, features, arrival);
        } else if (id.startsWith(plant + ":mat-")) {
            final Object onHand = pathValue(features, "stock", "onHand");
            if (onHand instanceof Number n) {
                synchronized (this) {
                    stock.put(id, n.doubleValue());
                }
            }
        }
    }

    private void machineState(final String id, final String state, final long arrival) {
        synchronized (this) {
            if (state.equals(machineStates.put(id, state))) {
                return;
            }
        }
        final long origin = probe.seenByTwin(id, state);
        if (origin >= 0 && measured(origin, arrival)) {
            latencies.add(Latencies.STATE_TWIN, (arrival - origin) / 1e6);
        }
    }

    private void order(final String id, final JsonObject thing, final JsonObject features, final long arrival) {
        final OrderView view;
        final boolean completedNow;
        final double receivedBefore;
        final double receivedAfter;
        synchronized (this) {
            view = orders.computeIfAbsent(id, o -> new OrderView());
            final JsonObject attributes = thing.getJsonObject("attributes");
            if (attributes != null && attributes.getValue("quantity") instanceof Number q) {
                view.quantity = q.doubleValue();
            }
            final String status = path(features, "status", "status");
            if (status != null) {
                view.status = status;
            }
            final Object good = pathValue(features, "progress", "good");
            if (good instanceof Number g) {
                view.good = g.longValue();
            }
            completedNow = "COMPLETED".equals(view.status) && !view.completedSeen;
            if (completedNow) {
                view.completedSeen = true;
            }
            receivedBefore = view.received;
            final Object movements = pathValue(features, "erp", "goodsMovements");
            if (movements instanceof JsonArray list) {
                for (int i = 0; i < list.size(); i++) {
                    final JsonObject m = list.getJsonObject(i);
                    final String document = m.getString("document", "") + "/" + m.getString("material", "");
                    if (view.documents.add(document)) {
                        view.documentItems++;
                        if ("101".equals(m.getString("movementType"))) {
                            view.received += m.getDouble("quantity", 0.0);
                        }
                    }
                }
            }
            receivedAfter = view.received;
        }
        final DeviceProbe.OrderPieces pieces = probe.order(id);
        if (completedNow && view.quantity > 0) {
            final long origin = pieces.goodAt((long) Math.ceil(view.quantity));
            if (origin >= 0 && measured(origin, arrival)) {
                latencies.add(Latencies.COMPLETION_MES, (arrival - origin) / 1e6);
            }
        }
        if (receivedAfter > receivedBefore) {
            final long origin = pieces.goodAt((long) Math.ceil(receivedAfter));
            if (origin >= 0 && measured(origin, arrival)) {
                latencies.add(Latencies.MOVEMENT_ERP, (arrival - origin) / 1e6);
            }
        }
    }

    private static String path(final JsonObject features, final String feature, final String property) {
        final Object value = pathValue(features, feature, property);
        return value instanceof String s ? s : null;
    }

    private static Object pathValue(final JsonObject features, final String feature, final String property) {
        final JsonObject f = features.getJsonObject(feature);
        if (f == null) {
            return null;
        }
        final JsonObject properties = f.getJsonObject("properties");
        return properties == null ? null : properties.getValue(property);
    }

    long events() {
        return events.get();
    }

    synchronized String machineState(final String id) {
        return machineStates.get(id);
    }

    /** A copy of what the twins say about every order seen. */
    synchronized Map<String, OrderView> orders() {
        final Map<String, OrderView> copy = new HashMap<>();
        orders.forEach((id, v) -> {
            final OrderView c = new OrderView();
            c.quantity = v.quantity;
            c.status = v.status;
            c.good = v.good;
            c.received = v.received;
            c.completedSeen = v.completedSeen;
            c.documents.addAll(v.documents);
            c.documentItems = v.documentItems;
            copy.put(id, c);
        });
        return copy;
    }

    synchronized Map<String, Double> stock() {
        return Map.copyOf(stock);
    }

    @Override
    public void close() {
        closed = true;
        final Stream<String> open = lines;
        if (open != null) {
            try {
                open.close();
            } catch (final RuntimeException ignored) {
                // the stream ends with the twin server anyway
            }
        }
        if (reader != null) {
            reader.interrupt();
        }
    }
}
