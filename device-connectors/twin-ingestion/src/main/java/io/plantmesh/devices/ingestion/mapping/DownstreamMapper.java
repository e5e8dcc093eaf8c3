package io.plantmesh.devices.ingestion.mapping;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.hono.application.client.DownstreamMessage;

import io.plantmesh.devices.ingestion.mapping.MappingResult.Mapped;
import io.plantmesh.devices.ingestion.mapping.MappingResult.Unmappable;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.AlarmUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.ConnectivityUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.MachineUpdate;
import io.plantmesh.devices.ingestion.mapping.TwinUpdate.ProtocolCommand;

/**
 * Maps one Hono downstream message (device id = thing id) to a {@link TwinUpdate} by its content type, or says why it
 * cannot be applied. Pure: no I/O, so it is tested without Kafka or Ditto.
 */
public final class DownstreamMapper {

    /** The feature the ingestion owns; devices may not write it (it holds the deduplication watermarks). */
    public static final String CONNECTIVITY_FEATURE = "connectivity";

    public static final String UNPARSEABLE = "plantmesh:payload.unparseable";
    public static final String INVALID = "plantmesh:payload.invalid";
    public static final String UNSUPPORTED_CONTENT_TYPE = "plantmesh:contenttype.unsupported";
    public static final String DEVICE_MISMATCH = "plantmesh:device.mismatch";
    public static final String UNSUPPORTED_PROTOCOL_MESSAGE = "plantmesh:protocol.unsupported";
    public static final String DEVICE_ID_INVALID = "things:id.invalid";

    // keys, not strings: Ditto's JSON parses a string key as a JSON pointer (a regex split) on every access
    private static final JsonKey FEATURES = JsonKey.of("features");
    private static final JsonKey PROPERTIES = JsonKey.of("properties");
    private static final JsonKey TIMESTAMP = JsonKey.of("timestamp");
    private static final JsonKey TS = JsonKey.of("ts");

    public MappingResult map(DownstreamMessage<?> message) {
        String deviceId = message.getDeviceId();
        ThingId thingId;
        try {
            thingId = ThingId.of(Objects.requireNonNull(deviceId, "no device id (record key)"));
        } catch (RuntimeException e) {
            return new Unmappable(DEVICE_ID_INVALID, "Device id '" + deviceId + "' is not a Ditto thing id "
                    + "(namespace:name); the device id must equal the machine's thing id.");
        }
        String mediaType = ContentTypes.mediaType(message.getContentType());
        try {
            return switch (mediaType) {
                case ContentTypes.MACHINE, ContentTypes.GATEWAY -> machine(thingId, payloadJson(message));
                case ContentTypes.ALARM -> alarm(thingId, payloadJson(message));
                case ContentTypes.DITTO_PROTOCOL -> dittoProtocol(thingId, payloadJson(message));
                case ContentTypes.HONO_EMPTY_NOTIFICATION -> emptyNotification(thingId, message);
                case ContentTypes.HONO_CONNECTION_EVENT -> connectionEvent(thingId, message, payloadJson(message));
                default -> new Unmappable(UNSUPPORTED_CONTENT_TYPE, "Content type '" + message.getContentType()
                        + "' is not ingested; use " + ContentTypes.MACHINE + ", " + ContentTypes.GATEWAY + ", "
                        + ContentTypes.ALARM + " or "
                        + ContentTypes.DITTO_PROTOCOL + ".");
            };
        } catch (UnparseablePayload e) {
            return new Unmappable(UNPARSEABLE, e.getMessage());
        } catch (InvalidPayload e) {
            return new Unmappable(INVALID, e.getMessage());
        }
    }

    private static Mapped machine(ThingId thingId, JsonObject payload) {
        long ts = ts(payload);
        JsonValue featuresValue = payload.getValue(FEATURES)
                .orElseThrow(() -> new InvalidPayload("The payload has no 'features' object."));
        if (!featuresValue.isObject()) {
            throw new InvalidPayload("'features' must be an object of feature id to properties.");
        }
        JsonObjectBuilder features = JsonFactory.newObjectBuilder();
        for (JsonField feature : featuresValue.asObject()) {
            String featureId = feature.getKeyName();
            if (CONNECTIVITY_FEATURE.equals(featureId)) {
                throw new InvalidPayload("The feature 'connectivity' is written by the ingestion only.");
            }
            if (!feature.getValue().isObject()) {
                throw new InvalidPayload("Feature '" + featureId + "' must be an object of property to value.");
            }
            JsonObject properties = feature.getValue().asObject();
            if ("telemetry".equals(featureId) && !properties.contains(TIMESTAMP)) {
                properties = properties.setValue(TIMESTAMP, Instant.ofEpochMilli(ts).toString());
            }
            features.set(featureId, JsonFactory.newObjectBuilder().set(PROPERTIES, properties).build());
        }
        return new Mapped(thingId, new MachineUpdate(ts, features.build()));
    }

    private static Mapped alarm(ThingId thingId, JsonObject payload) {
        long ts = ts(payload);
        JsonObject alarm = payload.getValue("alarm").filter(JsonValue::isObject).map(JsonValue::asObject)
                .orElseThrow(() -> new InvalidPayload("The alarm payload has no 'alarm' object."));
        String code = alarm.getValue("code").filter(JsonValue::isString).map(JsonValue::asString)
                .orElseThrow(() -> new InvalidPayload("The alarm has no 'code'."));
        String since = Instant.ofEpochMilli(ts).toString();
        String severity = alarm.getValue("severity").filter(JsonValue::isString)
                .map(v -> v.asString().toUpperCase(Locale.ROOT)).orElse("WARNING");
        JsonObjectBuilder entry = JsonFactory.newObjectBuilder()
                .set("code", code)
                .set("severity", severity)
                .set("since", since);
        alarm.getValue("message").filter(JsonValue::isString).ifPresent(m -> entry.set("message", m));
        JsonObject details = alarm.setValue("severity", severity).setValue("since", since).setValue("ts", ts);
        return new Mapped(thingId, new AlarmUpdate(ts, entry.build(), details));
    }

    private static MappingResult dittoProtocol(ThingId deviceThing, JsonObject payload) {
        Adaptable adaptable;
        try {
            adaptable = ProtocolFactory.jsonifiableAdaptableFromJson(payload);
        } catch (DittoRuntimeException | IllegalArgumentException | NullPointerException e) {
            throw new UnparseablePayload("Not a Ditto protocol message: " + e.getMessage());
        }
        TopicPath topic = adaptable.getTopicPath();
        boolean twinCommand = topic.getGroup() == TopicPath.Group.THINGS
                && topic.getChannel() == TopicPath.Channel.TWIN
                && topic.getCriterion() == TopicPath.Criterion.COMMANDS;
        if (!twinCommand) {
            return new Unmappable(UNSUPPORTED_PROTOCOL_MESSAGE, "Only Ditto twin commands on things are ingested, "
                    + "not '" + topic.getPath() + "'.");
        }
        String topicThing = topic.getNamespace() + ":" + topic.getEntityName();
        if (!deviceThing.toString().equals(topicThing)) {
            // Ditto's own Hono connection enforces {{ header:device_id }} = {{ entity:id }} the same way
            return new Unmappable(DEVICE_MISMATCH, "Device '" + deviceThing + "' may only modify its own twin, not '"
                    + topicThing + "'.");
        }
        return new Mapped(deviceThing, new ProtocolCommand(adaptable));
    }

    private static Mapped emptyNotification(ThingId thingId, DownstreamMessage<?> message) {
        Integer ttd = message.getTimeTillDisconnect();
        if (ttd == null) {
            throw new InvalidPayload("A Hono empty notification needs a 'ttd' header.");
        }
        return new Mapped(thingId, new ConnectivityUpdate(ttd != 0, ttd, creationTime(message)));
    }

    private static Mapped connectionEvent(ThingId thingId, DownstreamMessage<?> message, JsonObject payload) {
        String cause = payload.getValue("cause").filter(JsonValue::isString).map(JsonValue::asString)
                .orElseThrow(() -> new InvalidPayload("A Hono connection event needs a 'cause'."));
        return new Mapped(thingId, new ConnectivityUpdate("connected".equals(cause), null, creationTime(message)));
    }

    private static Instant creationTime(DownstreamMessage<?> message) {
        return message.getCreationTime() != null ? message.getCreationTime() : Instant.now();
    }

    private static long ts(JsonObject payload) {
        JsonValue ts = payload.getValue(TS)
                .orElseThrow(() -> new InvalidPayload("The payload has no 'ts' (epoch milliseconds)."));
        boolean integral = ts.isNumber() && ts.asDouble() == Math.rint(ts.asDouble());
        if (!integral) {
            throw new InvalidPayload("'ts' must be epoch milliseconds (an integer), was " + ts);
        }
        return (long) ts.asDouble();
    }

    private static JsonObject payloadJson(DownstreamMessage<?> message) {
        if (message.getPayload() == null || message.getPayload().length() == 0) {
            throw new UnparseablePayload("The payload is empty; a JSON object was expected.");
        }
        String text = new String(message.getPayload().getBytes(), StandardCharsets.UTF_8);
        JsonValue value;
        try {
            value = JsonFactory.readFrom(text);
        } catch (RuntimeException e) {
            throw new UnparseablePayload("The payload is not JSON: " + e.getMessage());
        }
        if (!value.isObject()) {
            throw new UnparseablePayload("The payload is JSON but not an object.");
        }
        return value.asObject();
    }

    private static final class UnparseablePayload extends RuntimeException {
        UnparseablePayload(String message) {
            super(message, null, false, false);
        }
    }

    private static final class InvalidPayload extends RuntimeException {
        InvalidPayload(String message) {
            super(message, null, false, false);
        }
    }
}
