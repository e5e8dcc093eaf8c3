package io.plantmesh.twin.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
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
import org.eclipse.ditto.client.configuration.AccessTokenAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.MessagingConfiguration;
import org.eclipse.ditto.client.configuration.TrustStoreConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProvider;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.client.options.Options;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.jwt.model.ImmutableJsonWebToken;
import org.eclipse.ditto.messages.model.Message;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.neovisionaries.ws.client.WebSocket;

import io.plantmesh.security.client.TokenClient;
import io.plantmesh.security.client.TokenClientException;
import io.plantmesh.tls.ClientTrust;

/**
 * A bridge's access to the twins, through the Ditto Java client over one WebSocket: search, retrieve,
 * revision-conditional merges, live messages to machines, events from order twins, and the change stream (each
 * change carries the whole thing after it as extra fields, so the bridge's cache never has to re-read on an event).
 * Futures complete on the client's threads; callers hop to their own context.
 */
public final class TwinAccess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TwinAccess.class);
    /** Extra fields requested with every change: the whole thing. */
    static final JsonFieldSelector WHOLE_THING = JsonFactory.newFieldSelector("thingId", "policyId", "definition",
            "attributes", "features");

    /** Fields read by retrieve: the whole thing and its revision. */
    static final JsonFieldSelector WITH_REVISION = JsonFactory.newFieldSelector("thingId", "policyId", "definition",
            "attributes", "features", "_revision");

    /** How long before its token expires a session sends a fresh one. */
    static final long TOKEN_REFRESH_SECONDS = 10;

    private final DittoClient client;
    private final URI endpoint;
    private final Duration timeout;

    private TwinAccess(final DittoClient client, final URI endpoint, final Duration timeout) {
        this.client = client;
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    /**
     * Connects to a Ditto-compatible twin server's {@code /ws/2} with basic authentication (the embedded footprint's
     * development user).
     *
     * @throws TwinAccessException naming the endpoint and user if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final String user, final String password,
            final Duration timeout) {
        return connect(wsEndpoint, user, password, timeout, null);
    }

    /**
     * Connects to a Ditto-compatible twin server's {@code /ws/2} with basic authentication; a {@code wss://} endpoint
     * is verified against {@code trust} (chain and host name).
     *
     * @param trust the CAs the server's certificate must chain to; null for the JVM's default trust store
     * @throws TwinAccessException naming the endpoint and user if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final String user, final String password,
            final Duration timeout, final ClientTrust trust) {
        final AuthenticationProvider<WebSocket> basic = AuthenticationProviders.basic(
                BasicAuthenticationConfiguration.newBuilder().username(user).password(password).build());
        return connect(wsEndpoint, basic, "'" + user + "'", timeout, trust,
                "Check that the twin server runs and the user and password are right");
    }

    /** {@link #connect(URI, TokenClient, Duration, ClientTrust)} with the JVM's default trust store. */
    public static TwinAccess connect(final URI wsEndpoint, final TokenClient tokens, final Duration timeout) {
        return connect(wsEndpoint, tokens, timeout, null);
    }

    /**
     * Connects to a Ditto-compatible twin server's (or Ditto's) {@code /ws/2} with OpenID Connect access tokens from
     * {@code tokens} (client credentials of the bridge's service account): the token goes with the handshake, and the
     * Ditto client sends a fresh one with {@code JWT-TOKEN?jwtToken=} {@value #TOKEN_REFRESH_SECONDS} s before the
     * current one expires, so the session outlives its tokens. If a renewal fails, the server closes the session when
     * the token expires and the client reconnects with a new token. {@code tokens} may be shared with other users.
     *
     * @param trust the CAs a {@code wss://} server's certificate must chain to; null for the JVM's default trust store
     * @throws TwinAccessException naming the endpoint and client if the connection fails within {@code timeout}
     */
    public static TwinAccess connect(final URI wsEndpoint, final TokenClient tokens, final Duration timeout,
            final ClientTrust trust) {
        final AuthenticationProvider<WebSocket> bearer = AuthenticationProviders.accessToken(
                AccessTokenAuthenticationConfiguration.newBuilder()
                        .identifier(tokens.config().clientId())
                        // asked for shortly before expiry: insist on a token that outlives the refresh margin
                        .accessTokenSupplier(() -> ImmutableJsonWebToken.fromToken(tokens.token(
                                Duration.ofSeconds(TOKEN_REFRESH_SECONDS + 1)).value()))
                        .expiryGracePeriod(Duration.ofSeconds(TOKEN_REFRESH_SECONDS))
                        .build());
        return connect(wsEndpoint, bearer, "client '" + tokens.config().clientId() + "'", timeout, trust,
                "Check that the twin server runs, trusts the token's issuer (" + tokens.config().tokenEndpoint()
                        + ") and that the client's secret is right");
    }

    private static TwinAccess connect(final URI wsEndpoint, final AuthenticationProvider<WebSocket> authentication,
            final String who, final Duration timeout, final ClientTrust trust, final String advice) {
        final MessagingConfiguration.Builder builder = WebSocketMessagingConfiguration.newBuilder()
                .endpoint(wsEndpoint.toString())
                .jsonSchemaVersion(JsonSchemaVersion.V_2)
                .timeout(timeout)
                .reconnectEnabled(true);
        if (trust != null) {
            builder.trustStoreConfiguration(trustStore(trust));
        }
        final var provider = MessagingProviders.webSocket(builder.build(), authentication);
        try {
            final DittoClient client = DittoClients.newInstance(provider).connect().toCompletableFuture()
                    .get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
            return new TwinAccess(client, wsEndpoint, timeout);
        } catch (final ExecutionException | TimeoutException e) {
            throw new TwinAccessException("Could not connect to the twin server at " + wsEndpoint + " as " + who
                    + ": " + describe(e) + ". " + advice
                    + ("wss".equals(wsEndpoint.getScheme()) ? ", and that its certificate chains to "
                            + (trust == null ? "a CA in the JVM's trust store (or give the CA file)" : "the CA in "
                                    + trust) + " and names the host " + wsEndpoint.getHost() : "") + ".",
                    e);
        } catch (final TokenClientException e) {
            throw new TwinAccessException("Could not connect to the twin server at " + wsEndpoint + " as " + who
                    + ": no access token: " + e.getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwinAccessException("Interrupted while connecting to " + wsEndpoint, e);
        }
    }

    /**
     * The Ditto Java client's trust store setting for these CAs (the store is served from memory, nothing is
     * written to disk).
     */
    public static TrustStoreConfiguration trustStore(final ClientTrust trust) {
        final String password = "plantmesh-" + UUID.randomUUID();
        return TrustStoreConfiguration.newBuilder().location(trust.trustStoreUrl(password)).password(password)
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * All things matching an RQL filter (paged by the client). Blocking: call it off any event loop.
     *
     * @param namespaces the namespaces to search, empty for all
     */
    public List<Thing> search(final List<String> namespaces, final String filter) {
        try {
            return client.twin().search().stream(q -> {
                q.filter(filter).options(o -> o.size(200))
                        .fields("thingId,policyId,definition,attributes,features,_revision");
                if (!namespaces.isEmpty()) {
                    q.namespaces(java.util.Set.copyOf(namespaces));
                }
            }).collect(Collectors.toList());
        } catch (final RuntimeException e) {
            throw new TwinAccessException("Search '" + filter + "' at " + endpoint + " failed: " + describe(e), e);
        }
    }

    /** The thing, or empty if it does not exist (or is not visible). */
    public CompletionStage<Optional<Thing>> retrieve(final ThingId id) {
        return client.twin().forId(id).retrieve(WITH_REVISION).toCompletableFuture()
                .thenApply(Optional::of)
                .exceptionally(e -> {
                    if (status(e) == 404) {
                        return Optional.empty();
                    }
                    throw e instanceof CompletionException ce ? ce : new CompletionException(e);
                });
    }

    /**
     * Merges {@code patch} (RFC 7396) into the thing if its revision is still {@code revision}. Fails with a
     * {@link DittoRuntimeException} (412 {@code things:precondition.failed}) if the twin moved on.
     */
    public CompletionStage<Void> mergeIfRevision(final ThingId id, final JsonObject patch, final long revision) {
        final DittoHeaders headers = DittoHeaders.newBuilder()
                .ifMatch(EntityTagMatchers.fromList(List.of(EntityTagMatcher.fromString("\"rev:" + revision + "\""))))
                .build();
        return client.twin().merge(id, patch, Options.headers(headers)).toCompletableFuture()
                .orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /** Merges {@code patch} into the thing unconditionally (projections the bridge alone writes). */
    public CompletionStage<Void> merge(final ThingId id, final JsonObject patch) {
        return client.twin().merge(id, patch).toCompletableFuture()
                .orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /** Creates a thing (fails with 409 if it exists). */
    public CompletionStage<Thing> create(final JsonObject thing) {
        return client.twin().create(thing).toCompletableFuture()
                .orTimeout(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a live message to a thing's inbox and completes with the answer's status and payload (a device's answer
     * to a command), or fails with Ditto's error (408 timeout, 404/503 no device, ...).
     */
    public CompletionStage<LiveAnswer> sendMessage(final ThingId to, final String subject, final JsonObject payload,
            final Duration answerTimeout) {
        final CompletableFuture<LiveAnswer> answer = new CompletableFuture<>();
        client.live().forId(to).message().to().subject(subject).timeout(answerTimeout)
                .correlationId("plantmesh-bridge-" + UUID.randomUUID())
                .payload(payload).contentType("application/json")
                .send((Message<java.nio.ByteBuffer> m, Throwable e) -> {
                    if (e != null) {
                        answer.completeExceptionally(e);
                    } else {
                        answer.complete(new LiveAnswer(m.getHttpStatus().map(s -> s.getCode()).orElse(200),
                                m.getPayload().map(TwinAccess::text).orElse(null)));
                    }
                });
        return answer.orTimeout(answerTimeout.toMillis() + timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a message from a thing's outbox (an event about the thing that any subscriber may take). */
    public void raiseEvent(final ThingId from, final String subject, final JsonObject payload) {
        client.live().forId(from).message().from().subject(subject)
                .payload(payload).contentType("application/json").send();
    }

    /**
     * Subscribes to twin changes matching {@code filter} in {@code namespaces}; each change reaches
     * {@code onChange} with the whole thing after it (or none for a deletion).
     */
    public CompletionStage<Void> subscribe(final List<String> namespaces, final String filter,
            final Consumer<TwinChange> onChange) {
        final String registration = "plantmesh-bridge-" + UUID.randomUUID();
        client.twin().registerForThingChanges(registration, change -> {
            try {
                final ThingId id = ThingId.of(change.getEntityId());
                final boolean deleted = change.getAction() == ChangeAction.DELETED && change.getPath().isEmpty();
                final Optional<Thing> after = deleted ? Optional.empty()
                        : change.getExtra().map(ThingsModelFactory::newThing);
                onChange.accept(new TwinChange(id, change.getRevision(), deleted, after.orElse(null)));
            } catch (final RuntimeException e) {
                LOG.warn("Ignored a twin change that could not be read ({}): {}", change.getEntityId(),
                        e.toString());
            }
        });
        return client.twin().startConsumption(
                Options.Consumption.namespaces(namespaces.toArray(String[]::new)),
                Options.Consumption.filter(filter),
                Options.Consumption.extraFields(WHOLE_THING));
    }

    @Override
    public void close() {
        client.destroy();
    }

    /** A short description of a failure: Ditto's error code and message if there is one. */
    public static String describe(final Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
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
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e instanceof DittoRuntimeException dre ? dre.getHttpStatus().getCode() : 0;
    }

    private static String text(final java.nio.ByteBuffer buffer) {
        final java.nio.ByteBuffer copy = buffer.duplicate();
        final byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A device's answer to a live message. @param payload the answer's payload as text, null if none */
    public record LiveAnswer(int status, String payload) {
    }

    /** One change of a twin. @param after the whole thing after the change; null for a deletion */
    public record TwinChange(ThingId thingId, long revision, boolean deleted, Thing after) {
    }
}
