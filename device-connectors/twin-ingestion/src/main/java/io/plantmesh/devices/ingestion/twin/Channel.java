package io.plantmesh.devices.ingestion.twin;

/**
 * Hono's two downstream topics. Each is ordered per device (key = device id), but not with each other, so each has
 * its own deduplication watermark in the twin: {@code features/connectivity/properties/<watermark>}.
 */
public enum Channel {
    TELEMETRY("lastTelemetryTs"),
    EVENT("lastEventTs");

    private final String watermarkProperty;

    Channel(String watermarkProperty) {
        this.watermarkProperty = watermarkProperty;
    }

    /** The property of the {@code connectivity} feature holding the newest {@code ts} applied from this channel. */
    public String watermarkProperty() {
        return watermarkProperty;
    }

    /** The watermark as an RQL/JSON path: {@code features/connectivity/properties/lastTelemetryTs}. */
    public String watermarkPath() {
        return "features/connectivity/properties/" + watermarkProperty;
    }
}
