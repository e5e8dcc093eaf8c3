package io.plantmesh.security.subjects;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One of Ditto's {@code auth-subjects} templates: text with {@code {{ jwt:<claim path> }}} placeholders, e.g.
 * {@code {{ jwt:sub }}}, {@code {{ jwt:realm_access/roles }}} or {@code role-{{ jwt:groups }}}. A placeholder names
 * a claim by its {@code /}-separated path into the token's JSON body; a claim holding an array yields one value per
 * element (so a template may give several subjects); a claim that is missing, empty or an object makes the whole
 * template unresolvable (it then gives no subject, as in Ditto). Ditto's pipeline functions ({@code | fn:...}) are not
 * supported and refused when the template is parsed.
 */
public final class SubjectTemplate {

    private final String source;
    private final List<Part> parts;

    private SubjectTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the template and what is wrong with it
     */
    public static SubjectTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        List<Part> parts = new ArrayList<>();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf("{{", at);
            if (open < 0) {
                parts.add(Part.literal(template.substring(at)));
                break;
            }
            if (open > at) {
                parts.add(Part.literal(template.substring(at, open)));
            }
            int close = template.indexOf("}}", open + 2);
            if (close < 0) {
                throw invalid(template, "a '{{' is not closed by '}}'");
            }
            parts.add(Part.claim(template, template.substring(open + 2, close).strip()));
            at = close + 2;
        }
        if (parts.isEmpty() || parts.stream().allMatch(p -> p.path == null && p.text.isBlank())) {
            throw invalid(template, "it is empty");
        }
        return new SubjectTemplate(template, parts);
    }

    /**
     * The values this template gives for a token's claims (without the issuer prefix); empty if it does not resolve.
     * Several array placeholders in one template give every combination.
     *
     * @param claims the token's JSON body as maps, lists, strings, numbers and booleans
     */
    public List<String> resolve(Map<String, Object> claims) {
        List<String> results = List.of("");
        for (Part part : parts) {
            List<String> values = part.path == null ? List.of(part.text) : part.values(claims);
            if (values.isEmpty()) {
                return List.of();
            }
            List<String> combined = new ArrayList<>(results.size() * values.size());
            for (String prefix : results) {
                for (String value : values) {
                    combined.add(prefix + value);
                }
            }
            results = combined;
        }
        return results.stream().filter(s -> !s.isBlank()).distinct().toList();
    }

    @Override
    public String toString() {
        return source;
    }

    private static IllegalArgumentException invalid(String template, String problem) {
        return new IllegalArgumentException("The subject template '" + template + "' is not valid: " + problem
                + ". Write templates like '{{ jwt:sub }}' or '{{ jwt:realm_access/roles }}'.");
    }

    /** A literal piece of text (path null) or a claim placeholder. */
    private static final class Part {

        private final String text;
        private final List<String> path;

        private Part(String text, List<String> path) {
            this.text = text;
            this.path = path;
        }

        static Part literal(String text) {
            return new Part(text, null);
        }

        static Part claim(String template, String expression) {
            if (expression.contains("|")) {
                throw invalid(template, "pipeline functions ('| fn:...') are not supported by PlantMesh; map the "
                        + "claim in the identity provider instead");
            }
            if (!expression.startsWith("jwt:")) {
                throw invalid(template, "'" + expression + "' is no 'jwt:' placeholder (only claims of the token "
                        + "can be used)");
            }
            String pointer = expression.substring(4).strip();
            while (pointer.startsWith("/")) {
                pointer = pointer.substring(1);
            }
            List<String> segments = List.of(pointer.split("/"));
            boolean blank = pointer.isEmpty() || segments.stream().anyMatch(String::isBlank);
            if (blank) {
                throw invalid(template, "the placeholder '" + expression + "' names no claim");
            }
            return new Part(null, segments);
        }

        List<String> values(Map<String, Object> claims) {
            Object node = claims;
            for (String segment : path) {
                if (!(node instanceof Map<?, ?> map)) {
                    return List.of();
                }
                node = map.get(segment);
            }
            List<String> values = new ArrayList<>();
            if (node instanceof List<?> list) {
                for (Object element : list) {
                    scalar(element, values);
                }
            } else {
                scalar(node, values);
            }
            return values;
        }

        private static void scalar(Object value, List<String> into) {
            boolean usable = value instanceof String || value instanceof Number || value instanceof Boolean;
            if (usable && !value.toString().isBlank()) {
                into.add(value.toString());
            }
        }
    }
}
