package io.plantmesh.twin.server.live;

import java.util.Set;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.ThingId;

/**
 * A connected party that can receive live signals (a WebSocket session): who it is, which acknowledgement labels it
 * declared, and whether it currently wants live messages for a thing.
 */
public interface LiveSubscriber {

    AuthorizationContext authorization();

    /** Labels this subscriber declared it will issue; unique across live subscribers. */
    Set<AcknowledgementLabel> declaredAcknowledgements();

    /** Whether the subscriber asked for live messages ({@code START-SEND-MESSAGES}) of the thing's namespace. */
    boolean wantsMessagesOf(ThingId thingId);

    /** Hands a Ditto protocol message to the subscriber; must not block. */
    void deliver(JsonObject protocolMessage);
}
