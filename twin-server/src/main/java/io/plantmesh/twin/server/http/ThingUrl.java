package io.plantmesh.twin.server.http;

import java.util.List;
import java.util.Set;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.PathUnknownException;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.server.things.ThingPath;

/**
 * A URL under {@code /api/2/things/{thingId}} as Ditto's HTTP API v2 addresses it: the thing id and the JSON pointer
 * of the resource inside the thing, e.g. {@code /api/2/things/ns:m1/features/spindle/properties/speed/max} is thing
 * {@code ns:m1}, pointer {@code /features/spindle/properties/speed/max}. Every path segment is URL-decoded on its own.
 */
record ThingUrl(ThingId thingId, JsonPointer pointer, ThingPath path) {

    private static final Set<String> ALL = Set.of("GET", "PUT", "PATCH", "DELETE");
    private static final Set<String> NO_DELETE = Set.of("GET", "PUT", "PATCH");

    /**
     * Parses the raw path after {@code /api/2/things/}, e.g. {@code ns:m1/attributes/a%20b}.
     *
     * @throws DittoRuntimeException {@code things:id.invalid} (400) for a bad thing id, {@code path.unknown} (404) for a
     * path a thing does not have
     */
    static ThingUrl parse(String rawPathAfterThings, DittoHeaders headers) {
        List<String> segments = UrlSegments.decode(rawPathAfterThings);
        if (segments.isEmpty()) {
            throw unknown(JsonPointer.empty(), headers);
        }
        ThingId thingId = thingId(segments.get(0), headers);
        List<String> rest = segments.subList(1, segments.size());
        JsonPointer pointer = UrlSegments.pointer(rest);
        if (rest.stream().anyMatch(String::isEmpty)) {
            throw unknown(pointer, headers);
        }
        boolean thingIdPath = !rest.isEmpty() && rest.get(0).equals("thingId");
        if (thingIdPath) {
            // the engine knows /thingId as a resource, but Ditto's HTTP API has no such URL
            throw unknown(pointer, headers);
        }
        ThingPath path;
        try {
            path = ThingPath.of(pointer, headers);
        } catch (PathUnknownException e) {
            throw UnknownPathException.from(e);
        }
        return new ThingUrl(thingId, pointer, path);
    }

    static ThingId thingId(String value, DittoHeaders headers) {
        try {
            return ThingId.of(value);
        } catch (DittoRuntimeException e) {
            throw e.setDittoHeaders(headers);
        }
    }

    /** The HTTP methods Ditto 2.4 offers at this URL. */
    Set<String> allowedMethods() {
        return path.kind() == ThingPath.Kind.POLICY_ID ? NO_DELETE : ALL;
    }

    private static DittoRuntimeException unknown(JsonPointer pointer, DittoHeaders headers) {
        return UnknownPathException.of("/things" + pointer, "Check the path: a thing has policyId, definition, "
                + "attributes[/...] and features[/<featureId>[/definition|/properties[/...]|/desiredProperties[/...]]].",
                headers);
    }
}
