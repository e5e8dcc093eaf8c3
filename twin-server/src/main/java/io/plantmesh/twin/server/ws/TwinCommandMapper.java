package io.plantmesh.twin.server.ws;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.base.model.signals.commands.Command;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.signals.commands.modify.CreatePolicy;
import org.eclipse.ditto.policies.model.signals.commands.modify.PolicyModifyCommand;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.eclipse.ditto.things.model.signals.commands.modify.ModifyThing;
import org.eclipse.ditto.things.model.signals.commands.modify.ThingModifyCommand;
import org.eclipse.ditto.things.model.signals.commands.query.ThingQueryCommand;

import io.plantmesh.twin.server.policies.PolicyCommand;
import io.plantmesh.twin.server.policies.PolicyPath;
import io.plantmesh.twin.server.things.ThingAction;
import io.plantmesh.twin.server.things.ThingCommand;

/**
 * Turns Ditto's command signals (parsed and validated from the Ditto protocol by Ditto's protocol adapter) into
 * PlantMesh's {@link ThingCommand} and {@link PolicyCommand} for the engine.
 */
final class TwinCommandMapper {

    private TwinCommandMapper() {
    }

    static ThingCommand toThingCommand(org.eclipse.ditto.things.model.signals.commands.ThingCommand<?> signal,
            DittoHeaders headers, AuthorizationContext auth) {
        ThingAction action = signal instanceof CreateThing ? ThingAction.CREATE
                : signal instanceof MergeThing ? ThingAction.MERGE : action(signal.getCategory());
        JsonValue value = null;
        if (signal instanceof ThingModifyCommand<?> modify) {
            value = modify.getEntity(JsonSchemaVersion.V_2).orElse(null);
        }
        // an inline policy travels next to the thing in Ditto's protocol; the engine expects it as "_policy"
        JsonObject inlinePolicy = signal instanceof CreateThing create ? create.getInitialPolicy().orElse(null)
                : signal instanceof ModifyThing modifyThing ? modifyThing.getInitialPolicy().orElse(null) : null;
        if (inlinePolicy != null && value != null && value.isObject()) {
            value = value.asObject().setValue("_policy", inlinePolicy);
        }
        JsonFieldSelector fields = signal instanceof ThingQueryCommand<?> query
                ? query.getSelectedFields().orElse(null) : null;
        return new ThingCommand(action, signal.getEntityId(), signal.getResourcePath(), value, headers, auth, fields);
    }

    static PolicyCommand toPolicyCommand(org.eclipse.ditto.policies.model.signals.commands.PolicyCommand<?> signal,
            DittoHeaders headers, AuthorizationContext auth) {
        ThingAction action = signal instanceof CreatePolicy ? ThingAction.CREATE : action(signal.getCategory());
        JsonValue value = signal instanceof PolicyModifyCommand<?> modify
                ? modify.getEntity(JsonSchemaVersion.V_2).orElse(null) : null;
        PolicyPath path = PolicyPath.parse(signal.getResourcePath().toString(), headers);
        return new PolicyCommand(action, signal.getEntityId(), path, value, headers, auth);
    }

    private static ThingAction action(Command.Category category) {
        return switch (category) {
            case QUERY -> ThingAction.RETRIEVE;
            case MERGE -> ThingAction.MERGE;
            case DELETE -> ThingAction.DELETE;
            default -> ThingAction.MODIFY;
        };
    }
}
