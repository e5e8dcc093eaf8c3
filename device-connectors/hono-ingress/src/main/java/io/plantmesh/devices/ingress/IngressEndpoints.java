package io.plantmesh.devices.ingress;

/**
 * Where a started ingress listens.
 *
 * @param mqttHost the MQTT adapter's address
 * @param mqttPort the MQTT adapter's port
 * @param registryUrl base URL of the registry's own HTTP server ({@code http(s)://host:port/v1}), or null if none
 * @param mqttTls whether the MQTT adapter speaks TLS
 */
public record IngressEndpoints(String mqttHost, int mqttPort, String registryUrl, boolean mqttTls) {

    /** {@code mqtt://host:port}, or {@code mqtts://host:port} with TLS. */
    public String mqttUrl() {
        return (mqttTls ? "mqtts" : "mqtt") + "://" + mqttHost + ":" + mqttPort;
    }
}
