package io.plantmesh.devices.ingestion.mapping;

import java.time.Instant;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.protocol.Adaptable;

/** What one device message does to its twin, decided by its content type (see the README's mapping rules). */
public sealed interface TwinUpdate {

    /**
     * The device's timestamp (epoch ms) of this update, or {@code null} if it has none. Informational only
     * (e.g. {@code telemetry/properties/timestamp}): records are ordered and deduplicated by their Kafka position.
     */
    Long ts();

    /** A PlantMesh machine payload: a partial update of feature properties, {@code {"<feature>": {...}, ...}}. */
    record MachineUpdate(long tsMillis, JsonObject features) implements TwinUpdate {
        @Override
        public Long ts() {
            return tsMillis;
        }
    }

    /** A PlantMesh alarm: {@code entry} as modelled in {@code features/health/properties/alarms}, plus the details. */
    record AlarmUpdate(long tsMillis, JsonObject entry, JsonObject details) implements TwinUpdate {
        @Override
        public Long ts() {
            return tsMillis;
        }
    }

    /** Hono's connection state of the device: from empty notifications ({@code ttd}) or connection events. */
    record ConnectivityUpdate(boolean connected, Integer ttd, Instant since) implements TwinUpdate {
        @Override
        public Long ts() {
            return null;
        }
    }

    /** A Ditto protocol twin command sent by the device itself; passes through unchanged. */
    record ProtocolCommand(Adaptable adaptable) implements TwinUpdate {
        @Override
        public Long ts() {
            return null;
        }
    }
}
