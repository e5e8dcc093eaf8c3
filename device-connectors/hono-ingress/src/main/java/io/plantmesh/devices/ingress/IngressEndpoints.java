package io.plantmesh.devices.ingress;

/**
 * Where a started ingress listens.
 *
 * @param mqttHost the MQTT adapter's address
 * @param mqttPort the MQTT adapter's port
 * @param registryUrl base URL of the registry's own HTTP server ({@code http://host:port/v1}), or null if none
 */
public record IngressEndpoints(String mqttHost, int mqttPort, String registryUrl) {

    public String mqttUrl() {
        return "mqtt://" + mqttHost + ":" + mqttPort;
    }
}
