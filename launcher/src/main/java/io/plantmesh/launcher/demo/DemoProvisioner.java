package io.plantmesh.launcher.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.things.model.Thing;

/**
 * Provisions a {@link DemoPlant} through the twin server's public HTTP API (Ditto API v2), as any other Ditto
 * client would: {@code PUT /api/2/policies/{id}} then {@code PUT /api/2/things/{id}}, each with
 * {@code If-None-Match: *}. 201 means created, 412 means it is already there and is left unchanged, so running it
 * again on a provisioned plant changes nothing. Policies go first (things refer to them), then the twins with a
 * few requests in flight.
 */
public final class DemoProvisioner {

    private static final int IN_FLIGHT = 8;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** Told after each twin. */
    @FunctionalInterface
    public interface Progress {
        void twinsDone(int done, int total);
    }

    private final URI apiBase;
    private final Supplier<String> authorization;
    private final HttpClient http;

    /**
     * @param apiBase e.g. {@code http://127.0.0.1:8080/api/2}
     */
    public DemoProvisioner(URI apiBase, String user, String password) {
        this(apiBase, user, password, null);
    }

    /**
     * Provisions through {@code apiBase}; an {@code https} base is verified against {@code trust} (null: the JVM's
     * default trust store).
     */
    public DemoProvisioner(URI apiBase, String user, String password, io.plantmesh.tls.ClientTrust trust) {
        this(apiBase, basic(user, password), trust);
    }

    /**
     * Provisions through {@code apiBase} with the {@code Authorization} header {@code authorization} gives for each
     * request (e.g. {@code Bearer <token>} of a self-renewing token client, for a twin server that takes tokens only);
     * an {@code https} base is verified against {@code trust} (null: the JVM's default trust store).
     */
    public DemoProvisioner(URI apiBase, Supplier<String> authorization, io.plantmesh.tls.ClientTrust trust) {
        this.apiBase = Objects.requireNonNull(apiBase, "apiBase");
        this.authorization = Objects.requireNonNull(authorization, "authorization");
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (trust != null) {
            builder.sslContext(trust.sslContext());
        }
        this.http = builder.build();
    }

    /**
     * Creates whatever of the plant is missing.
     *
     * @throws ProvisioningException naming the entity, the status and Ditto's error if the server refuses one
     */
    public ProvisioningReport provision(DemoPlant plant, Progress progress) {
        int policiesCreated = 0;
        for (Policy policy : plant.policies()) {
            String id = policy.getEntityId().orElseThrow().toString();
            if (await(put("policies/" + id, policy.toJson(), "policy " + id))) {
                policiesCreated++;
            }
        }
        List<Thing> things = plant.things();
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger created = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        for (Thing thing : things) {
            slots.acquireUninterruptibly();
            if (failed.get()) {
                slots.release();
                break; // the failure is reported below; do not send the rest
            }
            String id = thing.getEntityId().orElseThrow().toString();
            all.add(put("things/" + id, thing.toJson(), "twin " + id).whenComplete((wasCreated, failure) -> {
                if (failure != null) {
                    failed.set(true);
                    slots.release();
                    return;
                }
                slots.release();
                if (wasCreated) {
                    created.incrementAndGet();
                }
                progress.twinsDone(done.incrementAndGet(), things.size());
            }));
        }
        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        return new ProvisioningReport(policiesCreated, plant.policies().size() - policiesCreated, created.get(),
                things.size() - created.get());
    }

    private static Supplier<String> basic(String user, String password) {
        String header = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return () -> header;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Completes with true if created, false if it was already there; fails with a {@link ProvisioningException}. */
    private CompletableFuture<Boolean> put(String path, JsonObject body, String what) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiBase + "/" + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization.get())
                .header("Content-Type", "application/json")
                .header("If-None-Match", "*")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new ProvisioningException("Could not provision " + what + ": the twin server at "
                                + apiBase + " did not answer (" + (failure instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : failure) + ").", failure);
                    }
                    return switch (response.statusCode()) {
                        case 201 -> true;
                        case 412 -> false;
                        case 401, 403 -> throw new ProvisioningException("Could not provision " + what + ": PUT "
                                + request.uri() + " answered " + response.statusCode() + " " + response.body()
                                + ". Provisioning needs an identity that may write the plant's policies and twins:"
                                + " with tokens the client plantmesh-provisioning (role svc-provisioning, see"
                                + " docs/security.md), else Ditto's basic-auth user and its password.");
                        case 404 -> throw new ProvisioningException("Could not provision " + what + ": PUT "
                                + request.uri() + " answered 404 " + response.body() + ". It exists already under a"
                                + " policy that does not let the provisioning identity see it: give that policy an"
                                + " entry for provisioning (role svc-provisioning, or the basic-auth user), or delete"
                                + " the entity so that provisioning creates it.");
                        default -> throw new ProvisioningException("Could not provision " + what + ": PUT "
                                + request.uri() + " answered " + response.statusCode() + " " + response.body()
                                + ". Start with --no-demo to skip the demo plant, or use a fresh --data-dir.");
                    };
                });
    }

    /** The server refused or did not answer a provisioning request. */
    public static final class ProvisioningException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        ProvisioningException(String message) {
            super(message);
        }

        ProvisioningException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
