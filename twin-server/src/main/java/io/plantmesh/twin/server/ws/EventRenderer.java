package io.plantmesh.twin.server.ws;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import io.plantmesh.twin.server.engine.ThingViews;
import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.events.ThingEvent;

/**
 * Decides whether a subscriber gets a twin event and renders it for them: only the subscribed namespaces; the event as
 * the subscriber may read it ({@link ThingEvent#visibleTo}: all of it, the part it may read, as Ditto 3.x's partial
 * access events, or nothing); only if the RQL filter matches that partial thing plus the extra fields; extra fields
 * as the subscriber may read them; requested acknowledgements narrowed to the labels the subscriber declared.
 */
final class EventRenderer {

    private final TwinEngine engine;

    EventRenderer(TwinEngine engine) {
        this.engine = engine;
    }

    /** The event as Ditto protocol JSON for this subscriber; empty if the subscriber does not get it. */
    Optional<JsonObject> render(ThingEvent published, AuthorizationContext auth, StreamSubscription subscription,
            Set<AcknowledgementLabel> declared) {
        if (!published.mayConcern(auth) || !subscription.coversNamespaceOf(published.thingId())) {
            return Optional.empty();
        }
        Optional<ThingEvent> visible = published.visibleTo(auth);
        if (visible.isEmpty()) {
            return Optional.empty();
        }
        ThingEvent event = visible.get();
        JsonObject extra = subscription.extraFields().flatMap(fields -> extraFields(event, fields, auth))
                .orElse(null);
        if (subscription.filter().isPresent()) {
            JsonObject partial = event.asPartialThing();
            JsonObject candidate = extra == null ? partial
                    : JsonFactory.mergeJsonValues(partial, extra).asObject();
            if (!matches(subscription, candidate)) {
                return Optional.empty();
            }
        }
        return Optional.of(event.toProtocolJson(headersFor(event.headers(), declared), extra));
    }

    private static boolean matches(StreamSubscription subscription, JsonObject candidate) {
        try {
            Thing thing = ThingsModelFactory.newThing(candidate);
            return subscription.filter().orElseThrow().test(thing);
        } catch (RuntimeException e) {
            // the partial thing is not a valid thing (e.g. a malformed feature): such an event matches no filter
            return false;
        }
    }

    private Optional<JsonObject> extraFields(ThingEvent event, JsonFieldSelector fields, AuthorizationContext auth) {
        if (event.thingAfter().isEmpty()) {
            return Optional.empty();
        }
        Thing thing = event.thingAfter().get();
        Optional<Enforcer> enforcer = thing.getPolicyEntityId().flatMap(engine::enforcer);
        if (enforcer.isEmpty()) {
            return Optional.empty();
        }
        JsonObject selected = ThingViews.select(ThingViews.fullJson(thing), fields);
        JsonObject view = ThingViews.rootView(enforcer.get(), selected, auth);
        return view.isEmpty() ? Optional.empty() : Optional.of(view);
    }

    /** The event's headers with only those acknowledgement requests this subscriber declared it would answer. */
    static DittoHeaders headersFor(DittoHeaders eventHeaders, Set<AcknowledgementLabel> declared) {
        Set<AcknowledgementRequest> mine = eventHeaders.getAcknowledgementRequests().stream()
                .filter(r -> declared.contains(r.getLabel()))
                .collect(Collectors.toSet());
        DittoHeadersBuilder<?, ?> b = eventHeaders.toBuilder()
                .removeHeader(DittoHeaderDefinition.REQUESTED_ACKS.getKey());
        if (!mine.isEmpty()) {
            b.acknowledgementRequests(mine);
        }
        return b.build();
    }

    /** Labels requested by the event that this subscriber declared (for weak acknowledgements). */
    static Set<AcknowledgementLabel> requestedOf(DittoHeaders eventHeaders, Set<AcknowledgementLabel> declared) {
        return eventHeaders.getAcknowledgementRequests().stream()
                .map(AcknowledgementRequest::getLabel)
                .filter(declared::contains)
                .collect(Collectors.toSet());
    }
}
