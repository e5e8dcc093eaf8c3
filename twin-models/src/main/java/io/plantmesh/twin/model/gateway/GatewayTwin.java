package io.plantmesh.twin.model.gateway;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import io.plantmesh.twin.model.InvalidPlantThingIdException;
import io.plantmesh.twin.model.PlantDefinitions;
import io.plantmesh.twin.model.PlantThingIds;
import io.plantmesh.twin.model.TwinFormatException;
import io.plantmesh.twin.model.TwinKind;
import io.plantmesh.twin.model.json.TwinJson;
import io.plantmesh.twin.model.json.TwinJson.Node;

/**
 * Typed view of an edge gateway's twin (definition {@code io.plantmesh:edge-gateway:1.0.0}, thing id = Hono device
 * id, e.g. {@code plant1:gateway-1}): the Hono connection the twin ingestion writes ({@code features/connectivity}),
 * the store-and-forward buffer and the OPC-UA sessions per machine the gateway reports about itself
 * ({@code features/buffer}, {@code features/opcua}).
 *
 * @param sessions machine thing id to its OPC-UA session, empty until the gateway reported
 */
public record GatewayTwin(ThingId id, String name, String plant, ThingId line, Connectivity connectivity,
        Buffer buffer, Map<String, OpcUaSession> sessions) {

    public static final String CONNECTIVITY = "connectivity";
    public static final String BUFFER = "buffer";
    public static final String OPCUA = "opcua";

    /** OPC-UA session state of one machine as the gateway sees it. */
    public enum SessionState { CONNECTED, RECONNECTING }

    public GatewayTwin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(plant, "plant");
        Objects.requireNonNull(line, "line");
        connectivity = connectivity == null ? Connectivity.UNKNOWN : connectivity;
        buffer = buffer == null ? Buffer.UNKNOWN : buffer;
        sessions = sessions == null ? Map.of() : Map.copyOf(sessions);
    }

    /**
     * A freshly provisioned gateway: not connected, nothing reported yet.
     *
     * @throws InvalidPlantThingIdException if {@code id} is not a gateway id of the plant or {@code line} no line id
     */
    public static GatewayTwin initial(final ThingId id, final String name, final ThingId line) {
        if (!PlantThingIds.isGateway(id)) {
            throw new InvalidPlantThingIdException("'" + id + "' is not an edge gateway id; expected "
                    + "<plant>:gateway-<line>, e.g. plant1:gateway-1");
        }
        PlantThingIds.parse(line, TwinKind.LINE);
        return new GatewayTwin(id, name, id.getNamespace(), line, new Connectivity(false, null, null), Buffer.UNKNOWN,
                Map.of());
    }

    /** Reads a gateway twin. @throws TwinFormatException naming the offending path */
    public static GatewayTwin fromThing(final Thing thing) {
        final String actual = thing.getDefinition().map(Object::toString).orElse("<none>");
        if (!PlantDefinitions.EDGE_GATEWAY.toString().equals(actual)) {
            throw new TwinFormatException("/definition: expected " + PlantDefinitions.EDGE_GATEWAY + " but was "
                    + actual);
        }
        final ThingId id = thing.getEntityId().orElseThrow(() -> new TwinFormatException("/thingId: missing"));
        final Node attributes = TwinJson.attributes(thing);
        final Node connectivity = TwinJson.properties(thing, CONNECTIVITY);
        final Node buffer = TwinJson.properties(thing, BUFFER);
        final Map<String, OpcUaSession> sessions = new LinkedHashMap<>();
        TwinJson.properties(thing, OPCUA).optObject("machines").ifPresent(machines -> {
            for (final JsonField field : machines.json()) {
                final String machine = field.getKeyName();
                if (!field.getValue().isObject()) {
                    continue; // null: removed by a merge
                }
                final Node session = new Node(field.getValue().asObject(), machines.path() + "/" + machine);
                sessions.put(machine, new OpcUaSession(session.enumValue("session", SessionState.class),
                        session.optText("endpoint").orElse(null), session.optText("lastError").orElse(null)));
            }
        });
        return new GatewayTwin(id, attributes.text("name"), attributes.text("plant"), attributes.thingId("line"),
                new Connectivity(connectivity.optBoolean("connected").orElse(null),
                        connectivity.optInteger("ttd").orElse(null), connectivity.optInstant("since").orElse(null)),
                new Buffer(buffer.optInteger("messages").orElse(null), buffer.optInteger("bytes").orElse(null),
                        buffer.optInteger("boundBytes").orElse(null), buffer.optInteger("overflowed").orElse(null),
                        buffer.optInstant("reportedAt").orElse(null)),
                sessions);
    }

    public Thing toThing() {
        final JsonObject attributes = TwinJson.object()
                .put("name", name)
                .put("plant", plant)
                .put("line", line)
                .put("device", TwinJson.object().put("tenant", plant).put("deviceId", id.toString()).build())
                .build();
        final JsonObjectBuilder machines = JsonFactory.newObjectBuilder();
        sessions.forEach((machine, session) -> machines.set(JsonFactory.newKey(machine), session.toJson()));
        return ThingsModelFactory.newThingBuilder()
                .setId(id)
                .setDefinition(PlantDefinitions.EDGE_GATEWAY)
                .setAttributes(ThingsModelFactory.newAttributes(attributes))
                .setFeatures(List.of(
                        TwinJson.feature(CONNECTIVITY, connectivity.toJson(), null),
                        TwinJson.feature(BUFFER, buffer.toJson(), null),
                        TwinJson.feature(OPCUA, TwinJson.object().put("machines", machines.build()).build(), null)))
                .build();
    }

    /** {@code features/connectivity}: Hono's view of the gateway's connection; null values are unknown. */
    public record Connectivity(Boolean connected, Long ttd, Instant since) {

        public static final Connectivity UNKNOWN = new Connectivity(null, null, null);

        JsonObject toJson() {
            return TwinJson.object().put("connected", connected).put("ttd", ttd).put("since", since).build();
        }
    }

    /**
     * {@code features/buffer}: the store-and-forward buffer as last reported.
     *
     * @param messages messages not yet acknowledged upstream
     * @param overflowed telemetry messages dropped at the bound since the gateway started
     */
    public record Buffer(Long messages, Long bytes, Long boundBytes, Long overflowed, Instant reportedAt) {

        public static final Buffer UNKNOWN = new Buffer(null, null, null, null, null);

        JsonObject toJson() {
            return TwinJson.object().put("messages", messages).put("bytes", bytes).put("boundBytes", boundBytes)
                    .put("overflowed", overflowed).put("reportedAt", reportedAt).build();
        }
    }

    /** One machine's OPC-UA session: its state, the line server's endpoint, the last error (null if none). */
    public record OpcUaSession(SessionState session, String endpoint, String lastError) {

        public OpcUaSession {
            Objects.requireNonNull(session, "session");
        }

        JsonObject toJson() {
            return TwinJson.object().put("session", session).put("endpoint", endpoint).put("lastError", lastError)
                    .build();
        }
    }
}
