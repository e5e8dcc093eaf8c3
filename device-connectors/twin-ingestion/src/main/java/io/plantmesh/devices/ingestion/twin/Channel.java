package io.plantmesh.devices.ingestion.twin;

/**
 * Hono's two downstream topics. Each is ordered per device (key = device id, so all records of a device are on one
 * partition), but not with each other, so each has its own deduplication watermark in the twin: the Kafka position
 * of the newest record applied from it, {@code features/connectivity/properties/<watermark>} =
 * {@code {"partition": p, "offset": o}}.
 */
public enum Channel {
    TELEMETRY("lastTelemetryPosition"),
    EVENT("lastEventPosition");

    private final String watermarkProperty;

    Channel(String watermarkProperty) {
        this.watermarkProperty = watermarkProperty;
    }

    /** The property of the {@code connectivity} feature holding the position of the newest record applied. */
    public String watermarkProperty() {
        return watermarkProperty;
    }

    /** The watermark as an RQL/JSON path: {@code features/connectivity/properties/lastTelemetryPosition}. */
    public String watermarkPath() {
        return "features/connectivity/properties/" + watermarkProperty;
    }
}
