package io.plantmesh.erp.bridge.twin;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.security.client.TokenClient;
import io.plantmesh.tls.ClientTrust;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The ERP bridge's view of the shared twin client ({@link io.plantmesh.twin.client.TwinAccess}, the Ditto Java
 * client over one WebSocket), bound to the bridge's Vert.x context: retrieve and revision-conditional merges complete
 * their futures on that context, and changes are handed to the listener there. Only {@link #search} and the
 * connection block (call them off the event loop, e.g. with {@code executeBlocking}).
 */
public final class TwinAccess implements AutoCloseable {

    private final io.plantmesh.twin.client.TwinAccess twins;
    private final Context context;
    private final Duration timeout;
    /** Per twin, the revision this bridge's last conditional merge created (context only). */
    private final Map<ThingId, Long> ownRevisions = new HashMap<>();

    private TwinAccess(final io.plantmesh.twin.client.TwinAccess twins, final Context context,
            final Duration timeout) {
        this.twins = twins;
        this.context = context;
        this.timeout = timeout;
    }

    /**
     * Connects to a Ditto-compatible {@code /ws/2} with basic authentication; blocks until connected.
     *
     * @param context where futures complete and changes are delivered
     * @throws TwinAccessException naming the endpoint and user if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final String user, final String password,
            final Duration timeout, final Context context) {
        return connect(wsEndpoint, user, password, timeout, null, context);
    }

    /**
     * Connects to a Ditto-compatible {@code /ws/2} with basic authentication, verifying a {@code wss://} endpoint
     * against {@code trust} (chain and host name); blocks until connected.
     *
     * @param trust the CAs the server's certificate must chain to; null for the JVM's default trust store
     * @param context where futures complete and changes are delivered
     * @throws TwinAccessException naming the endpoint and user if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final String user, final String password,
            final Duration timeout, final ClientTrust trust, final Context context) {
        Objects.requireNonNull(context, "context");
        try {
            return new TwinAccess(io.plantmesh.twin.client.TwinAccess.connect(wsEndpoint, user, password, timeout,
                    trust), context, timeout);
        } catch (final io.plantmesh.twin.client.TwinAccessException e) {
            throw new TwinAccessException(e.getMessage(), e);
        }
    }

    /**
     * Connects to a Ditto-compatible {@code /ws/2} with OpenID Connect access tokens from {@code tokens} (the
     * bridge's service account), renewed during the session by the shared twin client; a {@code wss://} endpoint is
     * verified against {@code trust} (chain and host name). Blocks until connected.
     *
     * @param trust the CAs the server's certificate must chain to; null for the JVM's default trust store
     * @param context where futures complete and changes are delivered
     * @throws TwinAccessException naming the endpoint and client if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final TokenClient tokens, final Duration timeout,
            final ClientTrust trust, final Context context) {
        Objects.requireNonNull(context, "context");
        try {
            return new TwinAccess(io.plantmesh.twin.client.TwinAccess.connect(wsEndpoint, tokens, timeout, trust),
                    context, timeout);
        } catch (final io.plantmesh.twin.client.TwinAccessException e) {
            throw new TwinAccessException(e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return twins.endpoint();
    }

    /** All things matching an RQL filter, with their revisions (paged by the client). Blocks. */
    public List<Thing> search(final List<String> namespaces, final String filter) {
        try {
            return twins.search(namespaces, filter);
        } catch (final io.plantmesh.twin.client.TwinAccessException e) {
            throw new TwinAccessException(e.getMessage(), e);
        }
    }

    /** The thing with its revision, or empty if it does not exist (or is not visible). */
    public Future<Optional<Thing>> retrieve(final ThingId id) {
        return onContext(twins.retrieve(id), "Retrieving " + id);
    }

    /**
     * Merges {@code patch} (RFC 7396) into the thing if its revision is still {@code revision}: true if merged,
     * false if the twin moved on (412); fails with {@link TwinAccessException} for anything else.
     */
    public Future<Boolean> mergeIfRevision(final ThingId id, final JsonObject patch, final long revision) {
        return onContext(twins.mergeIfRevision(id, patch, revision), "Merging into " + id).map(v -> {
            // a merge conditional on revision n that succeeded created revision n + 1
            ownRevisions.put(id, revision + 1);
            return true;
        }).recover(e -> status(e.getCause()) == 412 ? Future.succeededFuture(false) : Future.failedFuture(e));
    }

    /**
     * Whether {@code revision} of the twin is the one this bridge's last merge created: its change event brings
     * nothing the bridge did not decide on (an echo), so it needs no reconciliation. Forgets the revision.
     */
    public boolean isOwnWrite(final ThingId id, final long revision) {
        final Long own = ownRevisions.get(id);
        final boolean echo = own != null && own == revision;
        if (own != null && own <= revision) {
            ownRevisions.remove(id);
        }
        return echo;
    }

    /**
     * Subscribes to twin changes matching {@code filter} in {@code namespaces}; each change reaches
     * {@code onChange} on the context, with the whole thing after it (or none for a deletion). Blocks until
     * subscribed.
     */
    public void subscribe(final List<String> namespaces, final String filter, final Consumer<TwinChange> onChange) {
        final CompletionStage<Void> subscribed = twins.subscribe(namespaces, filter, change ->
                context.runOnContext(v -> onChange.accept(new TwinChange(change.thingId(), change.revision(),
                        change.deleted(), change.after()))));
        try {
            subscribed.toCompletableFuture().get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new TwinAccessException("Subscribing to twin changes at " + twins.endpoint() + " failed: "
                    + describe(e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwinAccessException("Interrupted while subscribing to twin changes", e);
        }
    }

    @Override
    public void close() {
        twins.close();
    }

    /** Completes on the context, within the timeout; failures as {@link TwinAccessException} naming the request. */
    private <T> Future<T> onContext(final CompletionStage<T> stage, final String what) {
        final Promise<T> promise = Promise.promise();
        final long timer = context.owner().setTimer(timeout.toMillis() + 5000, t -> promise.tryFail(
                new TwinAccessException(what + " at " + twins.endpoint() + " got no answer within "
                        + (timeout.toMillis() + 5000) + " ms", null)));
        stage.whenComplete((result, error) -> context.runOnContext(v -> {
            context.owner().cancelTimer(timer);
            if (error == null) {
                promise.tryComplete(result);
            } else {
                promise.tryFail(new TwinAccessException(what + " at " + twins.endpoint() + " failed: "
                        + describe(error), error));
            }
        }));
        return promise.future();
    }

    /** A short description of a failure: Ditto's error code and message if there is one. */
    public static String describe(final Throwable error) {
        return io.plantmesh.twin.client.TwinAccess.describe(error);
    }

    /** The HTTP status of a Ditto error, or 0 if the failure is not one. */
    public static int status(final Throwable error) {
        return io.plantmesh.twin.client.TwinAccess.status(error);
    }

    /** One change of a twin. @param after the whole thing after the change; null for a deletion */
    public record TwinChange(ThingId thingId, long revision, boolean deleted, Thing after) {
    }
}
