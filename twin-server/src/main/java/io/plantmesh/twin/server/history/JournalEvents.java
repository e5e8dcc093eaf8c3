package io.plantmesh.twin.server.history;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.server.events.ThingEvent;
import io.plantmesh.twin.server.store.EventRecord;

/**
 * Journal entries (the Ditto protocol JSON of each event) back into {@link ThingEvent}s, so that a historical event
 * is shown to a subscriber exactly as the live event was: same rendering, same filter, same fields.
 *
 * <p>Who may read a historical event is decided by the thing's <em>current</em> policy, as Ditto decides it for its
 * history API: subjects with unrestricted READ on the changed path, the rule live events follow here (Ditto 2.x). If
 * live events move to Ditto 3.x's partial access events, build these with the same rule.
 */
public final class JournalEvents {

    private static final Permissions READ = Permissions.newInstance("READ");
    private static final String EVENTS = "/things/twin/events/";

    private JournalEvents() {
    }

    /**
     * The event of a journal entry.
     *
     * @param policy the enforcer of the thing's current policy
     * @param current the thing as it is now, for the subscription's extra fields (as Ditto enriches historical events
     *        with the thing's current state); empty if it does not exist
     */
    public static ThingEvent toThingEvent(EventRecord entry, Enforcer policy, Optional<Thing> current) {
        JsonObject json = JsonFactory.newObject(entry.json());
        String topic = json.getValue("topic").map(JsonValue::asString).orElse("");
        int at = topic.indexOf(EVENTS);
        String action = at < 0 ? "modified" : topic.substring(at + EVENTS.length());
        JsonPointer path = JsonPointer.of(json.getValue("path").map(JsonValue::asString).orElse("/"));
        Optional<JsonValue> value = json.getValue("value");
        DittoHeaders headers = json.getValue("headers").filter(JsonValue::isObject)
                .map(h -> DittoHeaders.newBuilder(h.asObject()).build())
                .orElse(DittoHeaders.empty());
        Set<AuthorizationSubject> readers = policy.getSubjectsWithUnrestrictedPermission(
                PoliciesResourceType.thingResource(path), READ);
        // the exact time is in the event's JSON; the journal's own field has milliseconds only
        Instant timestamp = json.getValue("timestamp").filter(JsonValue::isString)
                .map(t -> Instant.parse(t.asString())).orElse(entry.timestamp());
        return new ThingEvent(ThingId.of(entry.thingId()), action, path, value, entry.revision(), timestamp, headers,
                readers, current);
    }
}
