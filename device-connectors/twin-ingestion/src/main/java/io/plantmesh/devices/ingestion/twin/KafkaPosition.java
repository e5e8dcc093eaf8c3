package io.plantmesh.devices.ingestion.twin;

import java.util.Optional;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

/**
 * Where a record sits in its topic. All records of a device are on one partition of each topic (key = device id), so
 * the offset orders them, and a replay of a record (consumer restart, uncommitted offsets) has the same position.
 */
record KafkaPosition(int partition, long offset) {

    static final String PARTITION = "partition";
    static final String OFFSET = "offset";

    /** {@code {"partition": p, "offset": o}}, as stored in the twin's watermark. */
    JsonObject toJson() {
        return JsonObject.newBuilder().set(PARTITION, partition).set(OFFSET, offset).build();
    }

    /** The stored watermark, if it is one. */
    static Optional<KafkaPosition> fromJson(JsonValue value) {
        if (value == null || !value.isObject()) {
            return Optional.empty();
        }
        JsonObject o = value.asObject();
        Optional<JsonValue> partition = o.getValue(PARTITION).filter(JsonValue::isNumber);
        Optional<JsonValue> offset = o.getValue(OFFSET).filter(JsonValue::isNumber);
        if (partition.isEmpty() || offset.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KafkaPosition(partition.get().asInt(), offset.get().asLong()));
    }

    /** True if a record at this position is already covered by the watermark {@code applied}. */
    boolean isCoveredBy(KafkaPosition applied) {
        return applied.partition == partition && offset <= applied.offset;
    }

    @Override
    public String toString() {
        return partition + ":" + offset;
    }
}
