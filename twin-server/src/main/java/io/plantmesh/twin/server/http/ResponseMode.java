package io.plantmesh.twin.server.http;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

import org.eclipse.ditto.base.model.acks.AcknowledgementLabel;
import org.eclipse.ditto.base.model.acks.AcknowledgementRequest;
import org.eclipse.ditto.base.model.acks.DittoAcknowledgementLabel;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayTimeoutInvalidException;

/**
 * How a request wants its answer, from Ditto's headers (or the same query parameters): {@code response-required}
 * (default true), {@code timeout} (default and maximum 60s) and {@code requested-acks} (default
 * {@code twin-persisted}). As in Ditto, {@code timeout=0} or an explicitly empty {@code requested-acks} mean no
 * response is required.
 *
 * @param labels the requested acknowledgement labels; {@code [twin-persisted]} unless the request says otherwise
 */
record ResponseMode(boolean responseRequired, Duration timeout, Set<AcknowledgementLabel> labels) {

    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);

    static ResponseMode of(DittoHeaders headers) {
        Duration timeout = headers.getTimeout().orElse(MAX_TIMEOUT);
        if (timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw GatewayTimeoutInvalidException.newBuilder(timeout, MAX_TIMEOUT).dittoHeaders(headers).build();
        }
        boolean acksGiven = headers.containsKey("requested-acks");
        Set<AcknowledgementLabel> labels = new LinkedHashSet<>();
        if (acksGiven) {
            headers.getAcknowledgementRequests().stream().map(AcknowledgementRequest::getLabel).forEach(labels::add);
        } else {
            labels.add(DittoAcknowledgementLabel.TWIN_PERSISTED);
        }
        boolean required = headers.isResponseRequired() && !timeout.isZero() && !labels.isEmpty();
        return new ResponseMode(required, timeout, Collections.unmodifiableSet(labels));
    }

    /** Whether the request waits for acknowledgements this HTTP layer cannot issue itself. */
    boolean needsOtherAcknowledgements() {
        return labels.stream().anyMatch(l -> !l.equals(DittoAcknowledgementLabel.TWIN_PERSISTED));
    }

    /**
     * How long the HTTP layer waits for the engine: the request's timeout, or the maximum if the requester wants no
     * response (then the timeout, possibly 0, only says "don't wait", and this server still confirms persistence).
     */
    Duration replyDeadline() {
        return responseRequired && !timeout.isZero() ? timeout : MAX_TIMEOUT;
    }
}
