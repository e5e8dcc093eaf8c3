package io.plantmesh.twin.server.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonPointer;

/**
 * The segments of a raw (still percent-encoded) URL path, each decoded on its own, so an encoded slash stays inside its
 * segment. A {@code +} stays a plus: in a path it is not a space, and Ditto ids may contain it.
 */
final class UrlSegments {

    private UrlSegments() {
    }

    /** Splits {@code /a/b%20c/} into {@code [a, b c]}; one trailing slash is ignored, empty inner segments are kept. */
    static List<String> decode(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return List.of();
        }
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/", -1)) {
            segments.add(decodeSegment(raw));
        }
        return segments;
    }

    static String decodeSegment(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw; // a stray '%' is taken literally; the id or key check that follows reports it
        }
    }

    /** The raw path after a prefix such as {@code /api/2/things}; empty if the path is the prefix itself. */
    static String after(String rawPath, String prefix) {
        return rawPath.length() <= prefix.length() ? "" : rawPath.substring(prefix.length());
    }

    /** A JSON pointer with one level per non-empty segment. */
    static JsonPointer pointer(List<String> segments) {
        JsonPointer pointer = JsonPointer.empty();
        for (String segment : segments) {
            if (!segment.isEmpty()) {
                pointer = pointer.addLeaf(JsonKey.of(segment));
            }
        }
        return pointer;
    }
}
