package io.plantmesh.devices.ingress.command;

import io.vertx.core.Future;

/** Hands a command to the connection that subscribed for it (implemented by the MQTT adapter). */
public interface CommandDelivery {

    /**
     * Publishes the command to the device or a gateway acting for it.
     *
     * @return succeeds once published; fails with {@link CommandDeliveryException} (e.g. 503 when nobody subscribed)
     */
    Future<Void> deliver(Command command);
}
