package io.plantmesh.devices.ingestion.twin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

import io.plantmesh.devices.ingestion.mapping.DownstreamMapper;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.AlarmUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.ConnectivityUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.MachineUpdate;

/**
 * One merge patch of {@code /features} for several consecutive records of one device from one channel (one Kafka
 * partition), and the condition that makes it apply at most once.
 *
 * <ul>
 *   <li>Machine payloads are merged in Kafka order (the order the device sent them), so the value sent last wins
 *       for each property; two updates with an equal {@code ts} are both applied, in that order.</li>
 *   <li>Alarms set {@code health/properties/lastAlarm} (the last one, with all details) and append their
 *       model-shaped entries to the existing {@code health/properties/alarms}, the same alarm (code + since) only
 *       once, keeping the newest {@code maxAlarms}.</li>
 *   <li>Connectivity updates set {@code connectivity/properties/{connected, ttd, since}}.</li>
 *   <li>The patch sets the channel's watermark to the position of the last record and is conditional on the twin's
 *       watermark being before the first: {@code or(not(exists(w/offset)),ne(w/partition,p),lt(w/offset,first))}.
 *       A replayed record (same partition and offset) therefore fails the condition (412) instead of changing the
 *       twin again. A stored watermark of another partition (the topic's partition count changed) is overwritten.</li>
 * </ul>
 *
 * @param features the patch for {@code /features}
 * @param condition RQL condition on the channel's watermark
 */
record CoalescedPatch(JsonObject features, String condition) {

    /**
     * @param first position of the first record of {@code updates}
     * @param last position of the last record (same partition)
     * @param updates in Kafka order
     */
    static CoalescedPatch of(Channel channel, KafkaPosition first, KafkaPosition last, List<TwinUpdate> updates,
            JsonArray existingAlarms, int maxAlarms) {
        if (first.partition() != last.partition() || first.offset() > last.offset()) {
            throw new IllegalArgumentException("records of one write must be consecutive on one partition, got "
                    + first + " .. " + last);
        }
        List<JsonObject> patches = new ArrayList<>();
        List<AlarmUpdate> alarms = new ArrayList<>();
        JsonObject connectivityProps = JsonObject.empty();
        for (TwinUpdate u : updates) {
            if (u instanceof MachineUpdate m) {
                patches.add(m.features());
            } else if (u instanceof AlarmUpdate a) {
                alarms.add(a);
            } else if (u instanceof ConnectivityUpdate c) {
                connectivityProps = connectivityProps.setValue("connected", c.connected())
                        .setValue("since", c.since().toString());
                if (c.ttd() != null) {
                    connectivityProps = connectivityProps.setValue("ttd", c.ttd());
                }
            } else {
                throw new IllegalArgumentException("not coalescible: " + u);
            }
        }
        if (!alarms.isEmpty()) {
            JsonObject health = JsonFactory.newObjectBuilder()
                    .set("lastAlarm", alarms.get(alarms.size() - 1).details())
                    .set("alarms", boundedAlarms(existingAlarms, alarms, maxAlarms))
                    .build();
            patches.add(JsonObject.empty().setValue("health", JsonObject.empty().setValue("properties", health)));
        }
        connectivityProps = connectivityProps.setValue(channel.watermarkProperty(), last.toJson());
        patches.add(JsonObject.empty().setValue(DownstreamMapper.CONNECTIVITY_FEATURE,
                JsonObject.empty().setValue("properties", connectivityProps)));
        return new CoalescedPatch(compose(patches), condition(channel, first));
    }

    /** Holds unless the twin already has a record of this partition at or after {@code first}. */
    static String condition(Channel channel, KafkaPosition first) {
        String w = channel.watermarkPath();
        return "or(not(exists(" + w + "/" + KafkaPosition.OFFSET + ")),ne(" + w + "/" + KafkaPosition.PARTITION + ","
                + first.partition() + "),lt(" + w + "/" + KafkaPosition.OFFSET + "," + first.offset() + "))";
    }

    private static JsonArray boundedAlarms(JsonArray existing, List<AlarmUpdate> added, int maxAlarms) {
        Map<String, JsonValue> byKey = new LinkedHashMap<>();
        if (existing != null) {
            for (JsonValue v : existing) {
                byKey.put(key(v), v);
            }
        }
        for (AlarmUpdate a : added) {
            // the same alarm again (same code and since) keeps its place
            byKey.put(key(a.entry()), a.entry());
        }
        List<JsonValue> all = new ArrayList<>(byKey.values());
        List<JsonValue> newest = all.subList(Math.max(0, all.size() - maxAlarms), all.size());
        return JsonFactory.newArrayBuilder(newest).build();
    }

    private static String key(JsonValue alarm) {
        if (!alarm.isObject()) {
            return alarm.toString();
        }
        JsonObject o = alarm.asObject();
        return o.getValue("code").map(JsonValue::formatAsString).orElse("") + "@"
                + o.getValue("since").map(JsonValue::formatAsString).orElse("");
    }

    /**
     * Composes merge patches in order: where a field's values are objects they merge field by field, otherwise the
     * later value replaces the earlier one (Ditto's JSON counts {@code null} as an object too). Built in one pass,
     * level by level (a level only one patch touches is taken as it is) instead of copying the growing result for
     * every patch; fields keep the order in which they first appear.
     */
    static JsonObject compose(List<JsonObject> patches) {
        if (patches.size() == 1) {
            return patches.get(0);
        }
        Map<JsonKey, List<JsonValue>> valuesByKey = new LinkedHashMap<>();
        for (JsonObject patch : patches) {
            for (JsonField field : patch) {
                valuesByKey.computeIfAbsent(field.getKey(), k -> new ArrayList<>(2)).add(field.getValue());
            }
        }
        JsonObjectBuilder result = JsonFactory.newObjectBuilder();
        valuesByKey.forEach((key, values) -> result.set(key, composeValues(values)));
        return result.build();
    }

    /** The value of one field after all of {@code values} were applied to it in order. */
    private static JsonValue composeValues(List<JsonValue> values) {
        // a value that is not an object replaces what came before, and the objects after it merge into each other
        int lastReplacing = -1;
        for (int i = values.size() - 1; i >= 0; i--) {
            if (!values.get(i).isObject()) {
                lastReplacing = i;
                break;
            }
        }
        if (lastReplacing == values.size() - 1) {
            return values.get(lastReplacing);
        }
        List<JsonObject> objects = new ArrayList<>(values.size() - lastReplacing - 1);
        for (int i = lastReplacing + 1; i < values.size(); i++) {
            objects.add(values.get(i).asObject());
        }
        return compose(objects);
    }
}
