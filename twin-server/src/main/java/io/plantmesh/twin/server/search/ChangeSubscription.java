package io.plantmesh.twin.server.search;

import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonRuntimeException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import io.plantmesh.twin.server.engine.ThingViews;
import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.events.ThingEvent;

/**
 * What one SSE client asked to be told about, and how each change is shown to it, as Ditto does it: events of the
 * given things and namespaces as far as the client may read them ({@link ThingEvent#visibleTo}: all, or the part it
 * may read as in Ditto 3.x's partial access events, or nothing), shown as the <em>changed part</em> as a thing JSON ({@code thingId} plus the new value at its path, {@code _revision} and
 * {@code _modified} when selected), merged with the requested extra fields of the thing (as the client may read
 * them); the RQL filter is evaluated on that merged thing; then {@code fields} is applied and, for
 * {@code /things/{id}/{path}}, the value at the path is sent.
 *
 * @param ids things to watch; empty for all
 * @param namespaces namespaces to watch; empty for all
 * @param filter RQL predicate on the changed part plus extra fields; null for none
 * @param fields field selector for the sent JSON; null for all regular fields
 * @param extraFields fields of the whole thing to add to each change; null for none
 * @param path for {@code /things/{id}/{path}}: the value to send; empty for whole thing JSONs
 */
public record ChangeSubscription(Set<ThingId> ids, Set<String> namespaces, AuthorizationContext auth,
        Predicate<Thing> filter, JsonFieldSelector fields, JsonFieldSelector extraFields, JsonPointer path) {

    /** Cheap checks that need no JSON work, done on the publishing thread: thing, namespace, read permission. */
    public boolean concerns(ThingEvent event) {
        boolean thingWatched = ids.isEmpty() || ids.contains(event.thingId());
        boolean namespaceWatched = namespaces.isEmpty() || namespaces.contains(event.thingId().getNamespace());
        return thingWatched && namespaceWatched && event.mayConcern(auth);
    }

    /** The JSON to send for an event, empty if the client is not to get it. */
    public Optional<JsonValue> render(ThingEvent published, TwinEngine engine) {
        if (!concerns(published)) {
            return Optional.empty();
        }
        Optional<ThingEvent> visible = published.visibleTo(auth);
        if (visible.isEmpty()) {
            return Optional.empty();
        }
        ThingEvent event = visible.get();
        JsonObject changed = event.asPartialThing().toBuilder()
                .set("_revision", event.revision())
                .set("_modified", event.timestamp().toString())
                .build();
        JsonObject thing = withExtraFields(changed, event, engine);
        if (filter != null && !matches(thing)) {
            return Optional.empty();
        }
        JsonObject shown = fields == null ? regularFields(thing) : ThingViews.select(thing, fields);
        if (shown.isEmpty()) {
            return Optional.empty();
        }
        return path.isEmpty() ? Optional.of(shown) : shown.getValue(path);
    }

    private JsonObject withExtraFields(JsonObject changed, ThingEvent event, TwinEngine engine) {
        if (extraFields == null || event.thingAfter().isEmpty()) {
            return changed;
        }
        Thing after = event.thingAfter().get();
        Optional<Enforcer> enforcer = engine.enforcer(after.getPolicyEntityId().orElse(null));
        if (enforcer.isEmpty()) {
            return changed;
        }
        JsonObject extra = engine.viewOfThing(after, enforcer.get(), extraFields, auth);
        // the changed values win over the (equal or older) values of the thing
        return JsonFactory.mergeJsonValues(changed, extra).asObject();
    }

    private boolean matches(JsonObject thing) {
        try {
            return filter.test(ThingsModelFactory.newThing(thing));
        } catch (JsonRuntimeException | IllegalArgumentException e) {
            // a change that is no valid thing (e.g. a merge patch deleting features) cannot match a filter
            return false;
        }
    }

    private static JsonObject regularFields(JsonObject thing) {
        return thing.remove("_revision").remove("_modified").remove("_created");
    }
}
