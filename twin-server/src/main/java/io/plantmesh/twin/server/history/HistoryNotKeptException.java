package io.plantmesh.twin.server.history;

import java.net.URI;
import java.time.Instant;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.server.store.EventRetention;

/**
 * The history asked for begins before the oldest event the journal still keeps of the thing: 404 with the error code
 * Ditto 3.2+ uses when a historical revision or timestamp is beyond its history retention
 * ({@value #ERROR_CODE}), and a message that names the oldest kept event and the retention settings.
 */
public final class HistoryNotKeptException extends DittoRuntimeException {

    public static final String ERROR_CODE = "things:thing.history.notfound";

    private HistoryNotKeptException(String message, String description, DittoHeaders headers) {
        super(ERROR_CODE, HttpStatus.NOT_FOUND, headers, message, description, null, (URI) null);
    }

    /**
     * @param asked what was asked for, in words ("revision 12", "2026-11-26T10:00:00Z")
     * @param oldestRevision the oldest revision the journal keeps of the thing
     * @param oldestTime when that revision was written
     */
    public static HistoryNotKeptException of(ThingId thingId, String asked, long oldestRevision, Instant oldestTime,
            EventRetention retention, DittoHeaders headers) {
        String message = "The history of the Thing with ID '" + thingId + "' from " + asked + " is no longer kept: "
                + "the oldest event the twin server keeps of it is revision " + oldestRevision + " of " + oldestTime
                + ".";
        String description = "The twin server's event journal keeps " + retention.describe() + ". Ask for history "
                + "from revision " + oldestRevision + " or later (from-historical-revision=0 streams from the oldest "
                + "kept event), or keep more history: raise " + EventRetention.AGE + " (and " + EventRetention.MAX
                + ") in the twin server's configuration.";
        return new HistoryNotKeptException(message, description, headers);
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders headers) {
        return new HistoryNotKeptException(getMessage(), getDescription().orElse(null), headers);
    }
}
