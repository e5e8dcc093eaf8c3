package io.plantmesh.twin.server.http;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.server.TwinServerContext;
import io.plantmesh.twin.server.engine.JsonInvalidException;
import io.plantmesh.twin.server.things.ThingAction;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingResult;
import io.vertx.ext.web.RoutingContext;

/**
 * Ditto's things resources: {@code GET /api/2/things?ids=}, {@code POST /api/2/things} and
 * {@code GET|PUT|PATCH|DELETE /api/2/things/{thingId}[/<path>]}, each mapped to one {@link ThingCommand}
 * (PUT = modify, PATCH = merge, DELETE = delete, GET = retrieve).
 */
final class ThingRoutes {

    static final String THINGS = "/api/2/things";
    /** The namespace of things created by {@code POST /things} without a {@code _namespace} in the body. */
    static final String DEFAULT_NAMESPACE = "plantmesh";
    /** Extra time the HTTP layer grants an acknowledgement waiter, which times out acknowledgements itself. */
    private static final Duration ACK_GRACE = Duration.ofSeconds(2);
    private static final Set<String> COLLECTION_METHODS = Set.of("GET", "POST");

    private final TwinServerContext context;
    private final AcknowledgementWaiter acknowledgements;

    ThingRoutes(TwinServerContext context, AcknowledgementWaiter acknowledgements) {
        this.context = context;
        this.acknowledgements = acknowledgements;
    }

    /** {@code /api/2/things}: GET lists the things named by {@code ids}, POST creates one with a generated id. */
    void collection(RoutingContext rc) {
        try {
            DittoHeaders headers = HttpSupport.dittoHeaders(rc);
            MethodNotAllowed.check(rc, COLLECTION_METHODS, headers);
            if (rc.request().method().name().equals("GET")) {
                list(rc, headers);
            } else {
                create(rc, headers);
            }
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
        }
    }

    private void list(RoutingContext rc, DittoHeaders headers) {
        List<ThingId> ids = QueryParameters.thingIds(rc, headers);
        var fields = QueryParameters.fields(rc, headers);
        // reads committed in-memory state only: cheap enough for the event loop
        List<JsonObject> things = context.engine().retrieveThings(ids, fields, HttpSupport.auth(rc));
        ResponseWriter.json(rc, headers, HttpStatus.OK,
                JsonFactory.newArrayBuilder().addAll(List.<JsonValue>copyOf(things)).build());
    }

    private void create(RoutingContext rc, DittoHeaders headers) {
        JsonValue body = RequestBodies.json(rc, headers);
        if (body == null || !body.isObject()) {
            throw JsonInvalidException.of("POST /things needs a thing as JSON object (it may be {}).", headers);
        }
        JsonObject thing = body.asObject();
        String namespace = thing.getValue("_namespace").filter(JsonValue::isString).map(JsonValue::asString)
                .orElse(DEFAULT_NAMESPACE);
        ThingId thingId = ThingUrl.thingId(namespace + ":" + UUID.randomUUID(), headers);
        ThingCommand command = ThingCommand.of(ThingAction.CREATE, thingId, JsonPointer.empty(),
                thing.remove("_namespace"), headers, HttpSupport.auth(rc));
        run(rc, command, withoutQuery(rc.request().absoluteURI()) + "/" + thingId);
    }

    /** {@code /api/2/things/{thingId}[/<path>]} with GET, PUT, PATCH or DELETE. */
    void resource(RoutingContext rc) {
        try {
            DittoHeaders headers = HttpSupport.dittoHeaders(rc);
            ThingUrl url = ThingUrl.parse(UrlSegments.after(rc.request().path(), THINGS + "/"), headers);
            MethodNotAllowed.check(rc, url.allowedMethods(), headers);
            run(rc, command(rc, url, headers), withoutQuery(rc.request().absoluteURI()));
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
        }
    }

    private static ThingCommand command(RoutingContext rc, ThingUrl url, DittoHeaders headers) {
        AuthorizationContext auth = HttpSupport.auth(rc);
        return switch (rc.request().method().name()) {
            case "GET" -> new ThingCommand(ThingAction.RETRIEVE, url.thingId(), url.pointer(), null, headers, auth,
                    QueryParameters.fields(rc, headers));
            case "PUT" -> ThingCommand.of(ThingAction.MODIFY, url.thingId(), url.pointer(),
                    RequestBodies.json(rc, headers), headers, auth);
            case "PATCH" -> {
                RequestBodies.requireMergePatch(rc, headers);
                yield ThingCommand.of(ThingAction.MERGE, url.thingId(), url.pointer(), RequestBodies.json(rc, headers),
                        headers, auth);
            }
            case "DELETE" -> ThingCommand.of(ThingAction.DELETE, url.thingId(), url.pointer(), null, headers, auth);
            default -> throw new IllegalStateException("method checked before: " + rc.request().method());
        };
    }

    /**
     * Runs the command and answers as the request asks: the result; 202 without body if no response is required
     * (after the change is persisted, where Ditto would not wait); or the requested acknowledgements.
     */
    private void run(RoutingContext rc, ThingCommand command, String location) {
        DittoHeaders headers = command.headers();
        ResponseMode mode = ResponseMode.of(headers);
        if (!command.isModifying()) {
            EngineReplies.await(rc, headers, mode.replyDeadline(), context.engine().execute(command),
                    result -> ResponseWriter.thing(rc, headers, result, location));
            return;
        }
        if (mode.responseRequired() && mode.needsOtherAcknowledgements()) {
            var acks = acknowledgements.await(command, mode.labels(), mode.timeout(),
                    () -> context.engine().execute(command));
            EngineReplies.await(rc, headers, mode.timeout().plus(ACK_GRACE), acks,
                    aggregated -> ResponseWriter.acknowledgements(rc, headers, aggregated));
            return;
        }
        EngineReplies.await(rc, headers, mode.replyDeadline(), context.engine().execute(command), (ThingResult result) -> {
            if (mode.responseRequired()) {
                ResponseWriter.thing(rc, headers, result, location);
            } else {
                ResponseWriter.accepted(rc, headers);
            }
        });
    }

    static String withoutQuery(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
