package io.plantmesh.launcher.shopfloor;

import java.net.BindException;

import io.plantmesh.launcher.LaunchException;
import io.plantmesh.launcher.shopfloor.ShopFloorLauncher.Surroundings;

/** Turns shop-floor start failures into messages that name the option or variable that changes them. */
final class ShopFloorErrors {

    private static final String FREE = " (0 picks a free one), or run without the shop floor with --no-devices.";

    private ShopFloorErrors() {
    }

    static LaunchException kafka(ShopFloorOptions options, RuntimeException e) {
        if (portInUse(e)) {
            return new LaunchException("The Kafka broker cannot listen on 127.0.0.1:" + options.kafkaPort()
                    + ": the port is in use (another Kafka?). Choose another port with --kafka-port or"
                    + " PLANTMESH_KAFKA_PORT" + FREE, e);
        }
        return new LaunchException(e.getMessage(), e);
    }

    static LaunchException ingress(ShopFloorOptions options, Surroundings at, RuntimeException e) {
        String message = String.valueOf(e.getMessage());
        if (portInUse(e) && message.contains("MQTT")) {
            return new LaunchException("The MQTT adapter cannot listen on " + at.bindHost() + ":"
                    + options.mqttPort() + ": the port is in use (another MQTT broker, e.g. Mosquitto?). Choose"
                    + (at.tls().listener(io.plantmesh.tls.TlsSettings.MQTT) == null
                            ? " another port with --mqtt-port or PLANTMESH_MQTT_PORT"
                            : " another port with --mqtts-port or PLANTMESH_MQTTS_PORT") + FREE, e);
        }
        if (portInUse(e) && message.contains("registry")) {
            return new LaunchException("The device registry API cannot listen on " + at.bindHost() + ":"
                    + options.registryPort() + ": the port is in use. Choose another port with --registry-port or"
                    + " PLANTMESH_REGISTRY_PORT" + FREE, e);
        }
        return new LaunchException("The Hono ingress could not start: " + message, e);
    }

    static LaunchException simulator(ShopFloorOptions options, RuntimeException e) {
        if (portInUse(e)) {
            return new LaunchException("A simulated OPC-UA line server cannot listen on its port (base "
                    + options.opcUaBasePort() + " + line number): the port is in use. Choose another base port with"
                    + " --opcua-base-port or PLANTMESH_OPCUA_BASE_PORT" + FREE, e);
        }
        return new LaunchException("The shop floor simulator could not start: " + e.getMessage(), e);
    }

    static boolean portInUse(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BindException || String.valueOf(c.getMessage()).contains("already in use")) {
                return true;
            }
        }
        return false;
    }
}
