package io.plantmesh.twin.server.ws;

import java.util.Optional;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.signals.commands.PolicyErrorResponse;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingErrorResponse;

/**
 * Ditto protocol JSON the server sends back: command responses (same topic and path as the command, with
 * {@code status} and {@code value}), errors ({@code .../errors} with the error JSON as value) and any Ditto signal.
 */
final class ProtocolReplies {

    static final DittoProtocolAdapter PROTOCOL = DittoProtocolAdapter.newInstance();

    private ProtocolReplies() {
    }

    /** Headers of a reply: the request's correlation id, and the entity tag if there is one. */
    static DittoHeaders replyHeaders(DittoHeaders request, Optional<EntityTag> tag) {
        DittoHeadersBuilder<?, ?> b = DittoHeaders.newBuilder().responseRequired(false);
        request.getCorrelationId().ifPresent(b::correlationId);
        tag.ifPresent(b::eTag);
        return b.build();
    }

    /** A command response: the command's topic and path, the status and the value (if any). */
    static JsonObject commandResponse(Adaptable command, HttpStatus status, Optional<JsonValue> value,
            DittoHeaders headers) {
        JsonObjectBuilder b = JsonFactory.newObjectBuilder()
                .set("topic", command.getTopicPath().getPath())
                .set("headers", headers.toJson())
                .set("path", command.getPayload().getPath().toString().isEmpty()
                        ? "/" : command.getPayload().getPath().toString());
        value.ifPresent(v -> b.set("value", v));
        b.set("status", status.getCode());
        return b.build();
    }

    /** An error reply for a thing (or, without id, {@code unknown/unknown/things/<channel>/errors}). */
    static JsonObject thingError(ThingId thingId, DittoRuntimeException error, DittoHeaders request,
            TopicPath.Channel channel) {
        DittoHeaders headers = errorHeaders(request, channel);
        ThingErrorResponse response = thingId == null ? ThingErrorResponse.of(error, headers)
                : ThingErrorResponse.of(thingId, error, headers);
        return toJson(response, channel);
    }

    static JsonObject policyError(PolicyId policyId, DittoRuntimeException error, DittoHeaders request) {
        return toJson(PolicyErrorResponse.of(policyId, error, errorHeaders(request, TopicPath.Channel.NONE)),
                TopicPath.Channel.NONE);
    }

    static JsonObject toJson(Signal<?> signal) {
        return ProtocolFactory.wrapAsJsonifiableAdaptable(PROTOCOL.toAdaptable(signal)).toJson();
    }

    static JsonObject toJson(Signal<?> signal, TopicPath.Channel channel) {
        Adaptable adaptable = channel == TopicPath.Channel.LIVE ? PROTOCOL.toAdaptable(signal, channel)
                : PROTOCOL.toAdaptable(signal);
        return ProtocolFactory.wrapAsJsonifiableAdaptable(adaptable).toJson();
    }

    private static DittoHeaders errorHeaders(DittoHeaders request, TopicPath.Channel channel) {
        DittoHeadersBuilder<?, ?> b = DittoHeaders.newBuilder().responseRequired(false);
        request.getCorrelationId().ifPresent(b::correlationId);
        if (channel == TopicPath.Channel.LIVE) {
            b.channel("live");
        }
        return b.build();
    }
}
