package io.plantmesh.devices.ingestion.twin;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.things.model.ThingId;

import io.vertx.core.Future;

/**
 * The twin operations the device lanes need, answered on the ingestion's Vert.x context. {@link TwinWriter} does
 * them over the Ditto client; the lanes' tests use a fake that answers when the test says so.
 */
interface TwinWrites {

    /** Merges {@code features} (RFC 7396) into the thing, if {@code condition} (RQL, may be null) holds. */
    Future<WriteOutcome> mergeFeatures(ThingId thingId, JsonObject features, String condition);

    /**
     * Reads the fields the ingestion itself maintains ({@code features/connectivity/properties},
     * {@code features/health/properties/alarms}); fails with a {@link TwinWriter.TwinReadFailure} carrying the
     * outcome.
     */
    Future<JsonObject> readIngestionFields(ThingId thingId);

    /** Sends a device's own Ditto protocol twin command, with our correlation id and {@code response-required}. */
    Future<WriteOutcome> sendProtocolCommand(Adaptable adaptable);
}
