package io.plantmesh.twin.server.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;
import org.eclipse.ditto.things.model.Thing;

import io.plantmesh.twin.server.things.ThingState;

/**
 * What a requester may see of a thing: field selection ({@code fields=}, including a {@code *} wildcard for feature
 * ids) and Ditto's partial views, where everything the policy does not let the requester READ is left out.
 */
public final class ThingViews {

    private static final JsonFieldSelector THING_ID_ALLOWLIST = JsonFactory.newFieldSelector("thingId");
    private static final Permissions READ = Permissions.newInstance("READ");

    private ThingViews() {
    }

    /** The thing's JSON including the special fields ({@code _revision}, {@code _modified}, {@code _created}). */
    public static JsonObject fullJson(Thing thing) {
        return thing.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial());
    }

    /** The thing's regular JSON (what Ditto returns without a field selector). */
    public static JsonObject regularJson(Thing thing) {
        return ThingState.regularJson(thing);
    }

    /** Applies a field selector, expanding {@code features/*}/... to every feature of the thing. */
    public static JsonObject select(JsonObject thingJson, JsonFieldSelector fields) {
        if (fields == null) {
            return thingJson;
        }
        List<JsonPointer> pointers = new ArrayList<>();
        for (JsonPointer p : fields.getPointers()) {
            boolean wildcardFeature = p.getLevelCount() >= 2
                    && p.get(0).map(JsonKey::toString).orElse("").equals("features")
                    && p.get(1).map(JsonKey::toString).orElse("").equals("*");
            if (wildcardFeature) {
                JsonPointer rest = p.getSubPointer(2).orElse(JsonPointer.empty());
                thingJson.getValue("features").filter(JsonValue::isObject).map(JsonValue::asObject)
                        .ifPresent(features -> features.getKeys().forEach(fid -> pointers.add(
                                JsonFactory.newPointer(JsonKey.of("features"), fid).append(rest))));
            } else {
                pointers.add(p);
            }
        }
        if (pointers.isEmpty()) {
            return JsonFactory.newObject();
        }
        return thingJson.get(JsonFactory.newFieldSelector(pointers));
    }

    /** The whole thing as the requester may read it; the thing id is always kept. */
    public static JsonObject rootView(Enforcer enforcer, JsonObject thingJson, AuthorizationContext auth) {
        return enforcer.buildJsonView(PoliciesResourceType.thingResource("/"), thingJson, auth, THING_ID_ALLOWLIST,
                READ);
    }

    /**
     * The value at a path of a thing as the requester may read it; empty if nothing of it may be read.
     */
    public static Optional<JsonValue> view(Enforcer enforcer, JsonPointer path, JsonValue value,
            AuthorizationContext auth) {
        var resource = PoliciesResourceType.thingResource(path);
        if (value.isObject()) {
            if (!enforcer.hasPartialPermissions(resource, auth, READ)) {
                return Optional.empty();
            }
            return Optional.of(enforcer.buildJsonView(resource, value.asObject(), auth, READ));
        }
        return enforcer.hasUnrestrictedPermissions(resource, auth, READ) ? Optional.of(value) : Optional.empty();
    }
}
