package io.plantmesh.twin.server.events;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

/**
 * A persisted change of a twin, as Ditto publishes it: {@code created}, {@code modified}, {@code merged} or
 * {@code deleted} at a path, with the new value, the thing's revision and a timestamp.
 *
 * <p>Who receives it is decided per subscriber by {@link #visibleTo}, as Ditto 3.x does with partial access events:
 * a subscriber who may read all of the changed part gets the event as it is; one who may read only some of what the
 * event carries gets it with the value reduced to that (a merge patch to the leaves it may read, a new value to the
 * parts it may read); one who may read none of it does not get it.
 *
 * @param readSubjects subjects with at least partial READ on the changed path: nobody else can receive the event (a
 *        cheap first check on the publishing thread)
 * @param thingAfter the whole thing after the change (empty for a deleted thing), for filters and extra fields
 * @param policy the enforcer of the thing's policy after the change, which decides what each subscriber may read;
 *        null: only subjects in {@code readSubjects} with unrestricted READ, decided by {@code unrestrictedReaders}
 * @param unrestrictedReaders subjects with unrestricted READ on the changed path (used only without a policy)
 */
public record ThingEvent(ThingId thingId, String action, JsonPointer path, Optional<JsonValue> value, long revision,
        Instant timestamp, DittoHeaders headers, Set<AuthorizationSubject> readSubjects, Optional<Thing> thingAfter,
        Enforcer policy, Set<AuthorizationSubject> unrestrictedReaders) {

    private static final Permissions READ = Permissions.newInstance("READ");

    /** An event whose receivers are exactly the subjects with unrestricted READ on the changed path (no policy). */
    public ThingEvent(ThingId thingId, String action, JsonPointer path, Optional<JsonValue> value, long revision,
            Instant timestamp, DittoHeaders headers, Set<AuthorizationSubject> readSubjects,
            Optional<Thing> thingAfter) {
        this(thingId, action, path, value, revision, timestamp, headers, readSubjects, thingAfter, null,
                readSubjects);
    }

    /**
     * An event whose receivers and their views are decided by the thing's policy after the change.
     *
     * @param policy the enforcer of the thing's policy after the change
     */
    public static ThingEvent governedBy(Enforcer policy, ThingId thingId, String action, JsonPointer path,
            Optional<JsonValue> value, long revision, Instant timestamp, DittoHeaders headers,
            Optional<Thing> thingAfter) {
        ResourceKey resource = PoliciesResourceType.thingResource(path);
        return new ThingEvent(thingId, action, path, value, revision, timestamp, headers,
                policy.getSubjectsWithPartialPermission(resource, READ), thingAfter, policy,
                policy.getSubjectsWithUnrestrictedPermission(resource, READ));
    }

    /** Whether one of these subjects is among those who may read anything of the change (a cheap first check). */
    public boolean mayConcern(AuthorizationContext auth) {
        return auth.getAuthorizationSubjects().stream().anyMatch(readSubjects::contains);
    }

    /**
     * The event as this requester may see it: this event if it may read all of the changed part; a copy with the
     * value reduced to what it may read (objects: the fields it may read, empty objects that had content left out;
     * anything else only with READ on it all) if it may read some of it; empty if it may read none of it. A deletion
     * (no value) reaches whoever may read some of the deleted part. Like every read, the decision takes all of the
     * requester's subjects together: a revoke for one of them hides the part even if another one has a grant.
     */
    public Optional<ThingEvent> visibleTo(AuthorizationContext auth) {
        if (!mayConcern(auth)) {
            return Optional.empty();
        }
        if (policy == null) {
            boolean unrestricted = auth.getAuthorizationSubjects().stream().anyMatch(unrestrictedReaders::contains);
            return unrestricted ? Optional.of(this) : Optional.empty();
        }
        ResourceKey resource = PoliciesResourceType.thingResource(path);
        if (policy.hasUnrestrictedPermissions(resource, auth, READ)) {
            return Optional.of(this);
        }
        if (!policy.hasPartialPermissions(resource, auth, READ)) {
            return Optional.empty();
        }
        if (value.isEmpty()) {
            return Optional.of(this);
        }
        JsonValue whole = value.get();
        if (!whole.isObject() || whole.isNull()) {
            return Optional.empty();
        }
        JsonObject view = withoutEmptiedObjects(whole.asObject(),
                policy.buildJsonView(resource, whole.asObject(), auth, READ));
        if (view.isEmpty() && !whole.asObject().isEmpty()) {
            return Optional.empty();
        }
        if (view.equals(whole)) {
            return Optional.of(this);
        }
        return Optional.of(new ThingEvent(thingId, action, path, Optional.of(view), revision, timestamp, headers,
                readSubjects, thingAfter, policy, unrestrictedReaders));
    }

    /** {@code view} without the objects that are empty there but had content in {@code original}. */
    private static JsonObject withoutEmptiedObjects(JsonObject original, JsonObject view) {
        JsonObjectBuilder b = JsonFactory.newObjectBuilder();
        for (var field : view) {
            JsonValue kept = field.getValue();
            JsonValue was = original.getValue(field.getKey()).orElse(null);
            boolean object = kept.isObject() && !kept.isNull() && was != null && was.isObject() && !was.isNull();
            if (object) {
                JsonObject inner = withoutEmptiedObjects(was.asObject(), kept.asObject());
                if (inner.isEmpty() && !was.asObject().isEmpty()) {
                    continue;
                }
                kept = inner;
            }
            b.set(field.getKey(), kept);
        }
        return b.build();
    }

    public String topic() {
        return thingId.getNamespace() + "/" + thingId.getName() + "/things/twin/events/" + action;
    }

    /** The event as a Ditto protocol message; {@code extra} (may be null) goes into the {@code extra} field. */
    public JsonObject toProtocolJson(DittoHeaders headersToSend, JsonObject extra) {
        JsonObjectBuilder b = JsonFactory.newObjectBuilder()
                .set("topic", topic())
                .set("headers", headersToSend.toJson())
                .set("path", path.toString().isEmpty() ? "/" : path.toString());
        value.ifPresent(v -> b.set("value", v));
        if (extra != null && !extra.isEmpty()) {
            b.set("extra", extra);
        }
        b.set("revision", revision);
        b.set("timestamp", timestamp.toString());
        return b.build();
    }

    /**
     * The part of the thing this event carries, as a thing JSON ({@code thingId} plus the value at the path), which is
     * what Ditto evaluates an event subscription's RQL filter against (together with any extra fields).
     */
    public JsonObject asPartialThing() {
        JsonObjectBuilder b = JsonFactory.newObjectBuilder().set("thingId", thingId.toString());
        if (value.isPresent()) {
            if (path.isEmpty()) {
                if (value.get().isObject()) {
                    b.setAll(value.get().asObject());
                }
            } else {
                b.set(path, value.get());
            }
        }
        return b.build();
    }
}
