package io.plantmesh.twin.server.live;

import java.util.List;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.entity.id.EntityId;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgement;
import org.eclipse.ditto.base.model.signals.acks.Acknowledgements;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;

/**
 * The outcome of a request with several requested acknowledgements: one acknowledgement per requested label (a
 * timeout acknowledgement for each that did not arrive in time) and Ditto's combined status: 200 if all succeeded,
 * 424 if any failed, 408 if any timed out; with a single label, that acknowledgement's own status.
 */
public record AggregatedAcks(EntityId entityId, List<Acknowledgement> acknowledgements, HttpStatus status,
        DittoHeaders headers) {

    public static AggregatedAcks of(EntityId entityId, List<Acknowledgement> acks, boolean timedOut,
            DittoHeaders headers) {
        HttpStatus status;
        if (acks.size() == 1) {
            status = acks.get(0).getHttpStatus();
        } else if (timedOut) {
            status = HttpStatus.REQUEST_TIMEOUT;
        } else {
            boolean allSucceeded = acks.stream().allMatch(a -> a.getHttpStatus().isSuccess());
            status = allSucceeded ? HttpStatus.OK : HttpStatus.FAILED_DEPENDENCY;
        }
        return new AggregatedAcks(entityId, List.copyOf(acks), status, headers);
    }

    /** As Ditto's aggregated acknowledgements signal (protocol topic {@code <ns>/<name>/things/twin/acks}). */
    public Acknowledgements toSignal() {
        return Acknowledgements.of(entityId, acknowledgements, status, headers);
    }

    /** The HTTP response body Ditto sends for several acknowledgements: label -> {status, payload, headers}. */
    public JsonObject toHttpJson() {
        JsonObjectBuilder body = JsonFactory.newObjectBuilder();
        for (Acknowledgement ack : acknowledgements) {
            JsonObjectBuilder entry = JsonFactory.newObjectBuilder().set("status", ack.getHttpStatus().getCode());
            ack.getEntity().ifPresent(payload -> entry.set("payload", payload));
            entry.set("headers", ack.getDittoHeaders().toJson());
            body.set(ack.getLabel().toString(), entry.build());
        }
        return body.build();
    }
}
