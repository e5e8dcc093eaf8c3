package io.plantmesh.erp.bridge.twin;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatcher;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatchers;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.changes.ChangeAction;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.client.options.Options;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ERP bridge's access to the twins through the Ditto Java client over one WebSocket (the same pattern as the MES
 * bridge's, kept here so that the bridges share no code): search with revisions, retrieve, revision-conditional
 * merges, and the change stream with the whole thing as extra fields. The blocking methods wait at most the
 * configured timeout; call them off any event loop.
 */
public final class TwinAccess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TwinAccess.class);
    private static final JsonFieldSelector WHOLE_THING = JsonFactory.newFieldSelector("thingId", "policyId",
            "definition", "attributes", "features");
    private static final JsonFieldSelector WITH_REVISION = JsonFactory.newFieldSelector("thingId", "policyId",
            "definition", "attributes", "features", "_revision");

    private final DittoClient client;
    private final URI endpoint;
    private final Duration timeout;

    private TwinAccess(final DittoClient client, final URI endpoint, final Duration timeout) {
        this.client = client;
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    /**
     * Connects to a Ditto-compatible {@code /ws/2} with basic authentication.
     *
     * @throws TwinAccessException naming the endpoint and user if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final String user, final String password,
            final Duration timeout) {
        final var messaging = WebSocketMessagingConfiguration.newBuilder()
                .endpoint(wsEndpoint.toString())
                .jsonSchemaVersion(JsonSchemaVersion.V_2)
                .timeout(timeout)
                .reconnectEnabled(true)
                .build();
        final var provider = MessagingProviders.webSocket(messaging, AuthenticationProviders.basic(
                BasicAuthenticationConfiguration.newBuilder().username(user).password(password).build()));
        try {
            final DittoClient client = DittoClients.newInstance(provider).connect().toCompletableFuture()
                    .get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
            return new TwinAccess(client, wsEndpoint, timeout);
        } catch (final ExecutionException | TimeoutException e) {
            throw new TwinAccessException("Could not connect to the twin server at " + wsEndpoint + " as '" + user
                    + "': " + describe(e) + ". Check that the twin server runs and the user and password are right.",
                    e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwinAccessException("Interrupted while connecting to " + wsEndpoint, e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** All things matching an RQL filter, with their revisions (paged by the client). Blocking. */
    public List<Thing> search(final List<String> namespaces, final String filter) {
        try {
            return client.twin().search().stream(q -> {
                q.filter(filter).options(o -> o.size(200))
                        .fields("thingId,policyId,definition,attributes,features,_revision");
                if (!namespaces.isEmpty()) {
                    q.namespaces(Set.copyOf(namespaces));
                }
            }).collect(Collectors.toList());
        } catch (final RuntimeException e) {
            throw new TwinAccessException("Search '" + filter + "' at " + endpoint + " failed: " + describe(e), e);
        }
    }

    /** The thing with its revision, or empty if it does not exist (or is not visible). Blocking. */
    public Optional<Thing> retrieve(final ThingId id) {
        try {
            return Optional.of(client.twin().forId(id).retrieve(WITH_REVISION).toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS));
        } catch (final ExecutionException | TimeoutException e) {
            if (status(e) == 404) {
                return Optional.empty();
            }
            throw new TwinAccessException("Retrieving " + id + " at " + endpoint + " failed: " + describe(e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwinAccessException("Interrupted while retrieving " + id, e);
        }
    }

    /**
     * Merges {@code patch} (RFC 7396) into the thing if its revision is still {@code revision}. Blocking.
     *
     * @return false if the twin moved on (412), true if merged
     * @throws TwinAccessException for any other failure
     */
    public boolean mergeIfRevision(final ThingId id, final JsonObject patch, final long revision) {
        final DittoHeaders headers = DittoHeaders.newBuilder()
                .ifMatch(EntityTagMatchers.fromList(List.of(EntityTagMatcher.fromString("\"rev:" + revision + "\""))))
                .build();
        try {
            client.twin().merge(id, patch, Options.headers(headers)).toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return true;
        } catch (final ExecutionException | TimeoutException e) {
            if (status(e) == 412) {
                return false;
            }
            throw new TwinAccessException("Merging into " + id + " at " + endpoint + " failed: " + describe(e), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwinAccessException("Interrupted while merging into " + id, e);
        }
    }

    /**
     * Subscribes to twin changes matching {@code filter} in {@code namespaces}; each change reaches
     * {@code onChange} with the whole thing after it (or none for a deletion). Blocking until subscribed.
     */
    public void subscribe(final List<String> namespaces, final String filter, final Consumer<TwinChange> onChange) {
        final String registration = "plantmesh-erp-" + UUID.randomUUID();
        client.twin().registerForThingChanges(registration, change -> {
            try {
                final ThingId id = ThingId.of(change.getEntityId());
                final boolean deleted = change.getAction() == ChangeAction.DELETED && change.getPath().isEmpty();
                final Optional<Thing> after = deleted ? Optional.empty()
                        : change.getExtra().map(ThingsModelFactory::newThing);
                onChange.accept(new TwinChange(id, change.getRevision(), deleted, after.orElse(null)));
            } catch (final RuntimeException e) {
                LOG.warn("Ignored a twin change the ERP bridge could not read ({}): {}", change.getEntityId(),
                        e.toString());
            }
        });
        try {
            client.twin().startConsumption(
                    Options.Consumption.namespaces(namespaces.toArray(String[]::new)),
                    Options.Consumption.filter(filter),
                    Options.Consumption.extraFields(WHOLE_THING)).toCompletableFuture()
                    .get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException | TimeoutException e) {
            throw new TwinAccessException("Subscribing to twin changes at " + endpoint + " failed: " + describe(e)
                    + ". Check that the user may read the twins.", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwinAccessException("Interrupted while subscribing at " + endpoint, e);
        }
    }

    @Override
    public void close() {
        client.destroy();
    }

    /** A short description of a failure: Ditto's error code and message if there is one. */
    public static String describe(final Throwable error) {
        final Throwable e = unwrap(error);
        if (e instanceof DittoRuntimeException dre) {
            return dre.getHttpStatus().getCode() + " " + dre.getErrorCode() + ": " + dre.getMessage();
        }
        if (e instanceof TimeoutException) {
            return "no answer in time";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** The HTTP status of a Ditto error, or 0 if the failure is not one. */
    public static int status(final Throwable error) {
        return unwrap(error) instanceof DittoRuntimeException dre ? dre.getHttpStatus().getCode() : 0;
    }

    private static Throwable unwrap(final Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** One change of a twin. @param after the whole thing after the change; null for a deletion */
    public record TwinChange(ThingId thingId, long revision, boolean deleted, Thing after) {
    }
}
