package io.plantmesh.devices.ingestion.twin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import io.plantmesh.devices.ingestion.mapping.DownstreamMapper;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.AlarmUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.ConnectivityUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.MachineUpdate;

/**
 * One merge patch of {@code /features} for several updates of one device from one channel, and the condition that
 * makes it apply at most once.
 *
 * <ul>
 *   <li>Machine payloads are merged in {@code ts} order (stable), so the newest value of each property wins.</li>
 *   <li>Alarms set {@code health/properties/lastAlarm} (the newest, with all details) and append their model-shaped
 *       entries to the existing {@code health/properties/alarms}, keeping the newest {@code maxAlarms}.</li>
 *   <li>Connectivity updates set {@code connectivity/properties/{connected, ttd, since}}; they carry no {@code ts}
 *       and are idempotent, so they take no part in the condition.</li>
 *   <li>If any update has a {@code ts}, the patch sets the channel's watermark to the newest and is conditional on
 *       the twin's watermark being older than the oldest: {@code or(not(exists(w)),lt(w,minTs))}. A replayed or
 *       duplicated record therefore fails the condition (412) instead of changing the twin again.</li>
 * </ul>
 *
 * @param features the patch for {@code /features}
 * @param condition RQL condition, or {@code null} when the patch has no {@code ts}-bearing update
 */
record CoalescedPatch(JsonObject features, String condition) {

    static CoalescedPatch of(Channel channel, List<TwinUpdate> updates, JsonArray existingAlarms, int maxAlarms) {
        List<TwinUpdate> timed = new ArrayList<>();
        List<ConnectivityUpdate> connectivity = new ArrayList<>();
        for (TwinUpdate u : updates) {
            if (u instanceof ConnectivityUpdate c) {
                connectivity.add(c);
            } else if (u.ts() != null) {
                timed.add(u);
            } else {
                throw new IllegalArgumentException("not coalescible: " + u);
            }
        }
        timed.sort(Comparator.comparingLong(TwinUpdate::ts));

        JsonObject features = JsonObject.empty();
        List<AlarmUpdate> alarms = new ArrayList<>();
        for (TwinUpdate u : timed) {
            if (u instanceof MachineUpdate m) {
                features = deepMerge(features, m.features());
            } else if (u instanceof AlarmUpdate a) {
                alarms.add(a);
            }
        }
        if (!alarms.isEmpty()) {
            JsonObject health = JsonFactory.newObjectBuilder()
                    .set("lastAlarm", alarms.get(alarms.size() - 1).details())
                    .set("alarms", boundedAlarms(existingAlarms, alarms, maxAlarms))
                    .build();
            features = deepMerge(features, JsonObject.empty().setValue("health",
                    JsonObject.empty().setValue("properties", health)));
        }
        JsonObject connectivityProps = JsonObject.empty();
        for (ConnectivityUpdate c : connectivity) {
            connectivityProps = connectivityProps.setValue("connected", c.connected())
                    .setValue("since", c.since().toString());
            if (c.ttd() != null) {
                connectivityProps = connectivityProps.setValue("ttd", c.ttd());
            }
        }
        String condition = null;
        if (!timed.isEmpty()) {
            long minTs = timed.get(0).ts();
            long maxTs = timed.get(timed.size() - 1).ts();
            connectivityProps = connectivityProps.setValue(channel.watermarkProperty(), maxTs);
            String w = channel.watermarkPath();
            condition = "or(not(exists(" + w + ")),lt(" + w + "," + minTs + "))";
        }
        if (!connectivityProps.isEmpty()) {
            features = deepMerge(features, JsonObject.empty().setValue(DownstreamMapper.CONNECTIVITY_FEATURE,
                    JsonObject.empty().setValue("properties", connectivityProps)));
        }
        return new CoalescedPatch(features, condition);
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

    /** RFC 7396 composition: applying the result equals applying {@code base} then {@code patch}. */
    static JsonObject deepMerge(JsonObject base, JsonObject patch) {
        JsonObject result = base;
        for (JsonField field : patch) {
            JsonValue incoming = field.getValue();
            JsonValue current = result.getValue(field.getKey()).orElse(null);
            if (incoming.isObject() && current != null && current.isObject()) {
                result = result.setValue(field.getKey(), deepMerge(current.asObject(), incoming.asObject()));
            } else {
                result = result.setValue(field.getKey(), incoming);
            }
        }
        return result;
    }
}
