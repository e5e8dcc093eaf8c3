package io.plantmesh.launcher.shopfloor;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.launcher.shopfloor.ShopFloorPlan.FloorMachine;
import io.plantmesh.twin.model.workorder.WorkOrderTwin;

/**
 * Gets the demo floor producing: sends each line's released work orders to that line's machines as
 * {@code startJob} live messages through the twin API ({@code POST /things/<machine>/inbox/messages/startJob}), the
 * way an MES would. The messages travel the whole path (twin ingestion, Kafka, ingress, gateway or MQTT device) and
 * the answers are logged. Runs in the background; start-up does not wait for it.
 */
public final class JobDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);
    /** The first operation of every demo routing. */
    static final String FIRST_OPERATION = "10";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI apiBase;
    private final String authorization;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean closed;

    JobDispatcher(URI apiBase, String user, String password) {
        this.apiBase = apiBase;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** One job per machine, in order, as far as the line has released orders; returns when all were answered. */
    CompletableFuture<Void> dispatch(ShopFloorPlan plan, List<WorkOrderTwin> orders) {
        Map<String, List<WorkOrderTwin>> ordersByLine = orders.stream()
                .collect(Collectors.groupingBy(o -> o.line().toString()));
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (var entry : plan.machinesByLine().entrySet()) {
            String lineId = plan.tenant() + ":line-" + entry.getKey();
            Iterator<WorkOrderTwin> next = ordersByLine.getOrDefault(lineId, List.of()).iterator();
            for (FloorMachine machine : entry.getValue()) {
                if (!next.hasNext() || closed) {
                    break;
                }
                sent.add(startJob(machine.thingId(), next.next().id().toString()));
            }
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((v, e) ->
                LOG.info("Job dispatch: {} machines accepted a job, {} refused or did not answer", accepted.get(),
                        refused.get()));
    }

    private CompletableFuture<Void> startJob(String machine, String workOrder) {
        String body = "{\"workOrder\":\"" + workOrder + "\",\"operation\":\"" + FIRST_OPERATION + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + "/things/"
                        + URLEncoder.encode(machine, StandardCharsets.UTF_8) + "/inbox/messages/startJob"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            if (error == null && response.statusCode() / 100 == 2) {
                accepted.incrementAndGet();
                LOG.debug("startJob {} on {}: {} {}", workOrder, machine, response.statusCode(), response.body());
            } else {
                refused.incrementAndGet();
                LOG.info("startJob {} on {} was not accepted: {}", workOrder, machine,
                        error != null ? error.toString() : response.statusCode() + " " + response.body());
            }
            return null;
        });
    }

    public int accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        closed = true;
    }
}
