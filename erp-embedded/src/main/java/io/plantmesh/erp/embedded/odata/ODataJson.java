package io.plantmesh.erp.embedded.odata;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.bson.Document;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * SAP's OData V2 JSON envelope: {@code {"d": {...entity...}}} for one entity, {@code {"d": {"results": [...]}}} for a
 * collection ({@code "__count"} as a string with {@code $inlinecount=allpages}), each entity with
 * {@code __metadata: {id, uri, type}}, navigation properties as {@code {"__deferred": {"uri"}}} or expanded as
 * {@code {"results": [...]}}, and the error body {@code {"error": {"code", "message": {"lang", "value"},
 * "innererror"}}}.
 * <p>
 * URIs are written relative to the gateway's base ({@code API_X_SRV/EntitySet(...)}) by the services and made
 * absolute by {@link #absolutize} when the response is sent, so a stored response can be replayed on another host or
 * port.
 */
public final class ODataJson {

    private static final DateTimeFormatter SAP_TIMESTAMP =
        DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSSSSS").withZone(ZoneOffset.UTC);

    private ODataJson() {
    }

    /**
     * An entity from its stored document: every field except {@code _id} and fields starting with {@code _} (internal
     * bookkeeping), BSON dates as {@code /Date(ms)/}, navigation fields (lists of sub-documents named like the
     * navigation property) deferred or, if in {@code expand}, inline.
     *
     * @param targets the entity set each navigation property leads to, by entity set name
     */
    public static JsonObject entity(EntitySet set, Document document, Set<String> expand,
            Function<String, EntitySet> targets) {
        Map<String, String> key = new LinkedHashMap<>();
        for (String property : set.keys()) {
            Object value = document.get(property);
            key.put(property, value == null ? "" : value.toString());
        }
        String uri = set.relativeUri(key);
        JsonObject entity = new JsonObject().put("__metadata", new JsonObject()
            .put("id", uri).put("uri", uri).put("type", set.qualifiedType()));
        for (Map.Entry<String, Object> field : document.entrySet()) {
            String name = field.getKey();
            if (name.startsWith("_")) {
                continue;
            }
            String target = set.navigations().get(name);
            if (target != null) {
                entity.put(name, expand.contains(name)
                    ? navigation(targets.apply(target), field.getValue(), targets)
                    : deferred(uri + "/" + name));
                continue;
            }
            entity.put(name, value(field.getValue()));
        }
        for (String navigation : set.navigations().keySet()) {
            if (!entity.containsKey(navigation)) {
                entity.put(navigation, deferred(uri + "/" + navigation));
            }
        }
        return entity;
    }

    private static JsonObject navigation(EntitySet target, Object children, Function<String, EntitySet> targets) {
        JsonArray results = new JsonArray();
        if (children instanceof List<?>) {
            for (Object child : (List<?>) children) {
                if (child instanceof Document) {
                    results.add(entity(target, (Document) child, Set.of(), targets));
                }
            }
        }
        return new JsonObject().put("results", results);
    }

    private static JsonObject deferred(String uri) {
        return new JsonObject().put("__deferred", new JsonObject().put("uri", uri));
    }

    private static Object value(Object stored) {
        if (stored instanceof Date) {
            return ODataValues.dateTime((Date) stored);
        }
        if (stored instanceof Boolean || stored instanceof String) {
            return stored;
        }
        if (stored instanceof Integer || stored instanceof Long) {
            return stored;
        }
        return stored == null ? null : stored.toString();
    }

    /** {@code {"d": entity}}. */
    public static JsonObject single(JsonObject entity) {
        return new JsonObject().put("d", entity);
    }

    /** {@code {"d": {"results": [...]}}}, with {@code "__count"} (a string, as SAP writes it) if requested. */
    public static JsonObject collection(List<JsonObject> entities, Long count) {
        JsonObject d = new JsonObject();
        if (count != null) {
            d.put("__count", Long.toString(count));
        }
        d.put("results", new JsonArray(List.copyOf(entities)));
        return new JsonObject().put("d", d);
    }

    /** SAP's error body for {@code error}, raised in {@code service}. */
    public static JsonObject error(ODataError error, String service, String transactionId, Instant at) {
        JsonObject detail = new JsonObject()
            .put("code", error.code())
            .put("message", error.getMessage())
            .put("propertyref", error.target())
            .put("severity", "error")
            .put("target", error.target());
        JsonObject inner = new JsonObject()
            .put("application", new JsonObject()
                .put("component_id", "PLANTMESH-ERP")
                .put("service_namespace", "/SAP/")
                .put("service_id", service == null ? "" : service)
                .put("service_version", "0001"))
            .put("transactionid", transactionId)
            .put("timestamp", SAP_TIMESTAMP.format(at))
            .put("Error_Resolution", new JsonObject()
                .put("SAP_Transaction", "")
                .put("SAP_Note", "See docs/erp-api.md of PlantMesh"))
            .put("errordetails", new JsonArray().add(detail));
        return new JsonObject().put("error", new JsonObject()
            .put("code", error.code())
            .put("message", new JsonObject().put("lang", "en").put("value", error.getMessage()))
            .put("innererror", inner));
    }

    /**
     * Prefixes every relative URI in {@code body} ({@code __metadata.id}, {@code __metadata.uri},
     * {@code __deferred.uri}) with {@code base} (e.g. {@code http://127.0.0.1:8081/sap/opu/odata/sap/}); changes
     * {@code body} in place and returns it.
     */
    public static JsonObject absolutize(JsonObject body, String base) {
        for (Map.Entry<String, Object> field : body) {
            Object value = field.getValue();
            if (value instanceof JsonObject) {
                JsonObject object = (JsonObject) value;
                boolean carriesUris = field.getKey().equals("__metadata") || field.getKey().equals("__deferred");
                if (carriesUris) {
                    prefix(object, "id", base);
                    prefix(object, "uri", base);
                } else {
                    absolutize(object, base);
                }
            } else if (value instanceof JsonArray) {
                for (Object element : (JsonArray) value) {
                    if (element instanceof JsonObject) {
                        absolutize((JsonObject) element, base);
                    }
                }
            }
        }
        return body;
    }

    private static void prefix(JsonObject object, String field, String base) {
        String uri = object.getString(field);
        boolean relative = uri != null && !uri.startsWith("http://") && !uri.startsWith("https://");
        if (relative) {
            object.put(field, base + uri);
        }
    }
}
