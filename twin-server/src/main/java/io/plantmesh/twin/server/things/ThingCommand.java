package io.plantmesh.twin.server.things;

import java.util.Objects;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

/**
 * One twin command, whichever way it arrived (HTTP, Ditto protocol over WebSocket): an action on a path of a thing,
 * by an authenticated requester.
 *
 * @param value the new value for CREATE, MODIFY and MERGE; null otherwise
 * @param fields for RETRIEVE, the field selector ({@code fields=}); null for all
 */
public record ThingCommand(ThingAction action, ThingId thingId, JsonPointer path, JsonValue value,
        DittoHeaders headers, AuthorizationContext authorization, JsonFieldSelector fields) {

    public ThingCommand {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(thingId, "thingId");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(authorization, "authorization");
    }

    public static ThingCommand of(ThingAction action, ThingId thingId, JsonPointer path, JsonValue value,
            DittoHeaders headers, AuthorizationContext authorization) {
        return new ThingCommand(action, thingId, path, value, headers, authorization, null);
    }

    public boolean isModifying() {
        return action != ThingAction.RETRIEVE;
    }
}
