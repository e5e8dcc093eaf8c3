package io.plantmesh.erp.bridge.twin;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

/**
 * The ERP bridge's blocking view of the shared twin client ({@link io.plantmesh.twin.client.TwinAccess}, the Ditto
 * Java client over one WebSocket): search with revisions, retrieve, revision-conditional merges, and the change stream
 * with the whole thing as extra fields. Each call waits at most the configured timeout; call them off any event loop.
 */
public final class TwinAccess implements AutoCloseable {

    private final io.plantmesh.twin.client.TwinAccess twins;
    private final Duration timeout;

    private TwinAccess(final io.plantmesh.twin.client.TwinAccess twins, final Duration timeout) {
        this.twins = twins;
        this.timeout = timeout;
    }

    /**
     * Connects to a Ditto-compatible {@code /ws/2} with basic authentication.
     *
     * @throws TwinAccessException naming the endpoint and user if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final String user, final String password,
            final Duration timeout) {
        return connect(wsEndpoint, user, password, timeout, null);
    }

    /**
     * Connects to a Ditto-compatible {@code /ws/2} with basic authentication, verifying a {@code wss://} endpoint
     * against {@code trust} (null: the JVM's default trust store).
     *
     * @throws TwinAccessException naming the endpoint and user if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final String user, final String password,
            final Duration timeout, final io.plantmesh.tls.ClientTrust trust) {
        try {
            return new TwinAccess(io.plantmesh.twin.client.TwinAccess.connect(wsEndpoint, user, password, timeout,
                    trust), timeout);
        } catch (final io.plantmesh.twin.client.TwinAccessException e) {
            throw new TwinAccessException(e.getMessage(), e);
        }
    }

    /**
     * Connects to a Ditto-compatible {@code /ws/2} with OpenID Connect access tokens from {@code tokens} (the
     * bridge's service account), renewed during the session; a {@code wss://} endpoint is verified against
     * {@code trust} (null: the JVM's default trust store).
     *
     * @throws TwinAccessException naming the endpoint and client if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final io.plantmesh.security.client.TokenClient tokens,
            final Duration timeout, final io.plantmesh.tls.ClientTrust trust) {
        try {
            return new TwinAccess(io.plantmesh.twin.client.TwinAccess.connect(wsEndpoint, tokens, timeout, trust),
                    timeout);
        } catch (final io.plantmesh.twin.client.TwinAccessException e) {
            throw new TwinAccessException(e.getMessage(), e);
        }
    }

    public URI endpoint() {
        return twins.endpoint();
    }

    /** All things matching an RQL filter, with their revisions (paged by the client). */
    public List<Thing> search(final List<String> namespaces, final String filter) {
        try {
            return twins.search(namespaces, filter);
        } catch (final io.plantmesh.twin.client.TwinAccessException e) {
            throw new TwinAccessException(e.getMessage(), e);
        }
    }

    /** The thing with its revision, or empty if it does not exist (or is not visible). */
    public Optional<Thing> retrieve(final ThingId id) {
        return await(twins.retrieve(id), "Retrieving " + id);
    }

    /**
     * Merges {@code patch} (RFC 7396) into the thing if its revision is still {@code revision}.
     *
     * @return false if the twin moved on (412), true if merged
     * @throws TwinAccessException for any other failure
     */
    public boolean mergeIfRevision(final ThingId id, final JsonObject patch, final long revision) {
        try {
            await(twins.mergeIfRevision(id, patch, revision), "Merging into " + id);
            return true;
        } catch (final TwinAccessException e) {
            if (status(e.getCause()) == 412) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Subscribes to twin changes matching {@code filter} in {@code namespaces}; each change reaches
     * {@code onChange} with the whole thing after it (or none for a deletion). Returns once subscribed.
     */
    public void subscribe(final List<String> namespaces, final String filter, final Consumer<TwinChange> onChange) {
        await(twins.subscribe(namespaces, filter, change -> onChange.accept(new TwinChange(change.thingId(),
                change.revision(), change.deleted(), change.after()))), "Subscribing to twin changes");
    }

    @Override
    public void close() {
        twins.close();
    }

    private <T> T await(final CompletionStage<T> stage, final String what) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new TwinAccessException(what + " at " + twins.endpoint() + " failed: " + describe(e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwinAccessException("Interrupted: " + what, e);
        }
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
