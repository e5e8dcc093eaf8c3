package io.plantmesh.devices.simulator;

/** How a simulated machine is reached: through its line's OPC-UA server, or as an MQTT device of Hono. */
public enum DeviceProtocol {
    OPC_UA,
    MQTT
}
