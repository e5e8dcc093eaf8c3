package io.plantmesh.devices.gateway.edge;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.json.JsonObject;

/**
 * Collects changed feature properties of one machine and turns them into PlantMesh gateway payloads
 * ({@code application/vnd.plantmesh.machine+json}: {@code {"ts":<epoch ms>,"features":{"telemetry":{...}}}}),
 * each strictly smaller than the byte limit (Hono's 2,048 bytes by default). Properties are kept in the order they
 * first changed, a later value of the same property replaces the earlier one, and a batch that does not fit is split
 * between properties. A single property that alone exceeds the limit is dropped with an error log. Not thread-safe.
 */
public final class MachinePayloadBuilder {

    public static final String CONTENT_TYPE = "application/vnd.plantmesh.machine+json";
    /** Payloads must stay under this many bytes. */
    public static final int HONO_PAYLOAD_LIMIT = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(MachinePayloadBuilder.class);

    private final String deviceId;
    private final int limit;
    private final Map<String, Map<String, Object>> pending = new LinkedHashMap<>();

    public MachinePayloadBuilder(final String deviceId) {
        this(deviceId, HONO_PAYLOAD_LIMIT);
    }

    /** @param limit payloads are at most {@code limit - 1} bytes */
    public MachinePayloadBuilder(final String deviceId, final int limit) {
        if (limit < 64) {
            throw new IllegalArgumentException("payload limit must be >= 64 bytes, got " + limit);
        }
        this.deviceId = deviceId;
        this.limit = limit;
    }

    /** Records a changed property; null values are sent as JSON null. */
    public void put(final String feature, final String property, final Object value) {
        pending.computeIfAbsent(feature, f -> new LinkedHashMap<>()).put(property, value);
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Builds the payloads for everything pending, stamped {@code ts}, and clears the batch. */
    public List<byte[]> drain(final long ts) {
        final List<byte[]> payloads = new ArrayList<>();
        JsonObject features = new JsonObject();
        byte[] encoded = null;
        for (final Map.Entry<String, Map<String, Object>> feature : pending.entrySet()) {
            for (final Map.Entry<String, Object> property : feature.getValue().entrySet()) {
                final JsonObject candidate = features.copy();
                put(candidate, feature.getKey(), property.getKey(), property.getValue());
                final byte[] candidateBytes = encode(ts, candidate);
                if (candidateBytes.length < limit) {
                    features = candidate;
                    encoded = candidateBytes;
                    continue;
                }
                if (encoded != null) {
                    payloads.add(encoded);
                }
                features = new JsonObject();
                put(features, feature.getKey(), property.getKey(), property.getValue());
                encoded = encode(ts, features);
                if (encoded.length >= limit) {
                    LOG.error("Dropped {}/{} of {}: the property alone makes a {}-byte payload, over the {}-byte "
                            + "limit; shorten the value at the machine or map it to a smaller property",
                            feature.getKey(), property.getKey(), deviceId, encoded.length, limit);
                    features = new JsonObject();
                    encoded = null;
                }
            }
        }
        if (encoded != null) {
            payloads.add(encoded);
        }
        pending.clear();
        return payloads;
    }

    private static void put(final JsonObject features, final String feature, final String property,
            final Object value) {
        JsonObject properties = features.getJsonObject(feature);
        if (properties == null) {
            properties = new JsonObject();
            features.put(feature, properties);
        }
        properties.put(property, value);
    }

    private static byte[] encode(final long ts, final JsonObject features) {
        return new JsonObject().put("ts", ts).put("features", features).encode().getBytes(StandardCharsets.UTF_8);
    }
}
