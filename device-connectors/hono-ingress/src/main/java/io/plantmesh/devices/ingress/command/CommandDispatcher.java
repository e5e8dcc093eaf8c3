package io.plantmesh.devices.ingress.command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.devices.ingress.metrics.IngressCounters;

/**
 * Routes each command to its subscriber; if that fails and the application waits for a response, answers with Hono's
 * delivery-failure response instead.
 */
public final class CommandDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);

    private final CommandDelivery delivery;
    private final CommandResponses responses;
    private final IngressCounters counters;

    public CommandDispatcher(CommandDelivery delivery, CommandResponses responses, IngressCounters counters) {
        this.delivery = delivery;
        this.responses = responses;
        this.counters = counters;
    }

    public void dispatch(Command command) {
        counters.commandReceived();
        delivery.deliver(command).onComplete(ar -> {
            if (ar.succeeded()) {
                counters.commandDelivered();
                LOG.debug("Command {} delivered to device {} of tenant {}", command.name(), command.deviceId(),
                        command.tenantId());
                return;
            }
            counters.commandUndeliverable();
            int status = ar.cause() instanceof CommandDeliveryException e ? e.status() : 503;
            String error = ar.cause().getMessage();
            LOG.info("Command {} for device {} of tenant {} not delivered ({}): {}", command.name(),
                    command.deviceId(), command.tenantId(), status, error);
            if (!command.isOneWay()) {
                responses.sendDeliveryFailure(command, status, error)
                        .onFailure(e -> LOG.warn("Could not send the delivery failure for command {} (correlation "
                                + "id {}): {}", command.name(), command.correlationId(), e.toString()));
            }
        });
    }
}
