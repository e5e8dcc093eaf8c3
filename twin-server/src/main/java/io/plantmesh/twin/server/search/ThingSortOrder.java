package io.plantmesh.twin.server.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.ditto.base.model.json.FieldType;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.thingsearch.model.SortOptionEntry;

/**
 * The order of search results, as Ditto's {@code sort(+thingId,-attributes/x)} option gives it, with Ditto's rule
 * that the thing id breaks ties: entries after {@code thingId} are dropped, and {@code +thingId} is appended when it
 * is missing, so the order is total and a cursor can name a position in it.
 *
 * <p>Values compare as MongoDB (Ditto's search index) compares them: by type first — missing or null, then numbers
 * (numerically), strings (lexicographically, by UTF-16 code unit, which equals MongoDB's byte order except for
 * characters outside the BMP), objects, arrays, booleans (false before true) — then by value; objects and arrays of
 * the same type compare by their JSON text (MongoDB compares them field by field; nobody sorts by them in practice).
 * Ascending therefore lists things without the field first, descending lists them last.
 */
public final class ThingSortOrder {

    static final JsonPointer THING_ID = JsonPointer.of("/thingId");

    /** One sort key: a field of the thing and its direction. */
    public record Key(JsonPointer field, boolean ascending) {
        @Override
        public String toString() {
            return (ascending ? "+" : "-") + field.toString().substring(1);
        }
    }

    private final List<Key> keys;

    private ThingSortOrder(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** Ditto's default, {@code sort(+thingId)}. */
    public static ThingSortOrder byThingId() {
        return new ThingSortOrder(List.of(new Key(THING_ID, true)));
    }

    /** The order of a sort option's entries, completed with the thing id as tiebreaker. */
    public static ThingSortOrder of(List<SortOptionEntry> entries) {
        List<Key> keys = new ArrayList<>();
        for (SortOptionEntry e : entries) {
            Key key = new Key(normalise(e.getPropertyPath()), e.getOrder() == SortOptionEntry.SortOrder.ASC);
            keys.add(key);
            if (key.field().equals(THING_ID)) {
                return new ThingSortOrder(keys);
            }
        }
        keys.add(new Key(THING_ID, true));
        return new ThingSortOrder(keys);
    }

    private static JsonPointer normalise(JsonPointer p) {
        return JsonPointer.of(p.toString());
    }

    public List<Key> keys() {
        return keys;
    }

    /** True if the thing id alone decides the order, so no field values need to be read. */
    public boolean byThingIdOnly() {
        return keys.size() == 1 && keys.get(0).field().equals(THING_ID);
    }

    /** The values of a thing's JSON at the sort keys; a missing value is JSON null. */
    public List<JsonValue> valuesOf(JsonObject thingJson) {
        List<JsonValue> values = new ArrayList<>(keys.size());
        for (Key k : keys) {
            values.add(thingJson.getValue(k.field()).orElse(JsonFactory.nullLiteral()));
        }
        return values;
    }

    /**
     * The values of a thing at the sort keys, read from the model where that is cheap (thing id, attributes, feature
     * properties) instead of rendering the whole thing as JSON.
     */
    public List<JsonValue> valuesOf(Thing thing) {
        List<JsonValue> values = new ArrayList<>(keys.size());
        JsonObject json = null;
        for (Key k : keys) {
            Optional<JsonValue> value = fromModel(thing, k.field());
            if (value == null) {
                json = json != null ? json : thing.toJson(JsonSchemaVersion.V_2, FieldType.regularOrSpecial());
                value = json.getValue(k.field());
            }
            values.add(value.orElse(JsonFactory.nullLiteral()));
        }
        return values;
    }

    /** The value at a field, empty if missing; null if the field is not one the model answers directly. */
    private static Optional<JsonValue> fromModel(Thing thing, JsonPointer field) {
        String root = field.getRoot().map(Object::toString).orElse("");
        if (field.equals(THING_ID)) {
            return thing.getEntityId().map(id -> JsonValue.of(id.toString()));
        }
        if (root.equals("attributes") && field.getLevelCount() > 1) {
            JsonPointer inside = field.nextLevel();
            return thing.getAttributes().flatMap(a -> a.getValue(inside));
        }
        boolean featureProperty = root.equals("features") && field.getLevelCount() > 3
                && field.get(2).map(Object::toString).orElse("").equals("properties");
        if (featureProperty) {
            String featureId = field.get(1).orElseThrow().toString();
            JsonPointer inside = field.getSubPointer(3).orElseThrow();
            return thing.getFeatures().flatMap(fs -> fs.getFeature(featureId))
                    .flatMap(f -> f.getProperties()).flatMap(p -> p.getValue(inside));
        }
        return null;
    }

    /** Compares two tuples of sort values (as {@link #valuesOf} gives them) in this order. */
    public Comparator<List<JsonValue>> comparator() {
        return (a, b) -> {
            for (int i = 0; i < keys.size(); i++) {
                int c = compareValues(a.get(i), b.get(i));
                if (c != 0) {
                    return keys.get(i).ascending() ? c : -c;
                }
            }
            return 0;
        };
    }

    /** MongoDB's order of two values; null stands for a missing value. */
    public static int compareValues(JsonValue a, JsonValue b) {
        int ra = typeRank(a);
        int rb = typeRank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (ra) {
            case 0 -> 0;
            case 1 -> compareNumbers(a, b);
            case 2 -> a.asString().compareTo(b.asString());
            case 5 -> Boolean.compare(a.asBoolean(), b.asBoolean());
            default -> a.toString().compareTo(b.toString());
        };
    }

    private static int typeRank(JsonValue v) {
        if (v == null || v.isNull()) {
            return 0;
        } else if (v.isNumber()) {
            return 1;
        } else if (v.isString()) {
            return 2;
        } else if (v.isObject()) {
            return 3;
        } else if (v.isArray()) {
            return 4;
        }
        return 5;
    }

    private static int compareNumbers(JsonValue a, JsonValue b) {
        boolean bothIntegral = a.isLong() && b.isLong();
        return bothIntegral ? Long.compare(a.asLong(), b.asLong()) : Double.compare(a.asDouble(), b.asDouble());
    }

    /** The option text of this order, e.g. {@code sort(-attributes/x,+thingId)}; equal orders give equal text. */
    @Override
    public String toString() {
        return keys.stream().map(Key::toString).collect(Collectors.joining(",", "sort(", ")"));
    }
}
