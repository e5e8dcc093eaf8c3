package io.plantmesh.erp.embedded.odata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The system query options PlantMesh serves: {@code $filter} with {@code eq} comparisons joined by {@code and}
 * (SAP's APIs are mostly read by key fields this way), {@code $top}, {@code $skip}, {@code $inlinecount=allpages},
 * {@code $expand} of navigation properties. {@code $select}, {@code $orderby}, {@code $format=json} and
 * {@code sap-client} are accepted and do not change the answer (entities always come whole, in key order, as JSON).
 *
 * @param filter the conditions, all of which must hold
 * @param top at most this many entities; -1 for all
 * @param skip leave out this many first
 * @param inlineCount whether to add {@code __count}
 * @param expand navigation properties to expand inline
 */
public record QueryOptions(List<Condition> filter, int top, int skip, boolean inlineCount, Set<String> expand) {

    /** {@code property eq 'value'}. */
    public record Condition(String property, String value) {

        /**
         * Whether {@code actual} satisfies it; numeric texts compare without leading zeros ({@code '0000010000'}
         * equals {@code '10000'}), as SAP's ALPHA conversion makes them equal.
         */
        public boolean matches(String actual) {
            if (actual == null) {
                return value.isEmpty();
            }
            if (actual.equals(value)) {
                return true;
            }
            boolean numeric = isDigits(actual) && isDigits(value);
            return numeric && ODataValues.withoutLeadingZeros(actual).equals(ODataValues.withoutLeadingZeros(value));
        }

        private static boolean isDigits(String text) {
            return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
        }
    }

    /** Parses the query string parameters; {@code $filter} properties are checked against {@code set}. */
    public static QueryOptions parse(Function<String, String> parameter, EntitySet set) {
        String format = parameter.apply("$format");
        boolean json = format == null || format.equalsIgnoreCase("json");
        if (!json) {
            throw ODataError.badRequest(ODataError.UNSUPPORTED, "$format=" + format + " is not served: the PlantMesh "
                + "embedded ERP answers in JSON only; send $format=json or Accept: application/json.");
        }
        List<Condition> filter = new FilterParser(parameter.apply("$filter"), set).parse();
        int top = nonNegative(parameter.apply("$top"), "$top", -1);
        int skip = nonNegative(parameter.apply("$skip"), "$skip", 0);
        String inline = parameter.apply("$inlinecount");
        boolean inlineCount = "allpages".equals(inline);
        Set<String> expand = new LinkedHashSet<>();
        String expandText = parameter.apply("$expand");
        if (expandText != null && !expandText.isBlank()) {
            for (String navigation : expandText.split(",")) {
                String name = navigation.trim();
                if (!set.navigations().containsKey(name)) {
                    throw ODataError.badRequest(ODataError.INVALID_REQUEST, "Property " + name + " is not a "
                        + "navigation property of " + set.type() + "; it has " + set.navigations().keySet() + ".");
                }
                expand.add(name);
            }
        }
        return new QueryOptions(filter, top, skip, inlineCount, expand);
    }

    /** No conditions, everything, nothing expanded. */
    public static QueryOptions none() {
        return new QueryOptions(List.of(), -1, 0, false, Set.of());
    }

    /** Whether every condition holds for an entity whose properties are read by {@code property}. */
    public boolean matches(Function<String, Object> property) {
        for (Condition condition : filter) {
            Object actual = property.apply(condition.property());
            if (!condition.matches(actual == null ? null : actual.toString())) {
                return false;
            }
        }
        return true;
    }

    /** The value required for {@code property}, or null if the filter does not fix it. */
    public String valueOf(String property) {
        for (Condition condition : filter) {
            if (condition.property().equals(property)) {
                return condition.value();
            }
        }
        return null;
    }

    /** Applies {@code $skip} and {@code $top}. */
    public <T> List<T> page(List<T> all) {
        int from = Math.min(skip, all.size());
        int to = top < 0 ? all.size() : Math.min(all.size(), from + top);
        return new ArrayList<>(all.subList(from, to));
    }

    private static int nonNegative(String text, String name, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ODataError.badRequest(ODataError.INVALID_REQUEST, name + " must be a non-negative integer; got \""
            + text + "\".");
    }

    /** Parses {@code a eq 'x' and (b eq 'y')}; anything else is refused with a message naming what is served. */
    private static final class FilterParser {

        private final String text;
        private final EntitySet set;
        private int pos;

        FilterParser(String text, EntitySet set) {
            this.text = text == null ? "" : text.trim();
            this.set = set;
        }

        List<Condition> parse() {
            List<Condition> conditions = new ArrayList<>();
            if (text.isEmpty()) {
                return conditions;
            }
            expression(conditions);
            skipSpaces();
            if (pos < text.length()) {
                throw unsupported();
            }
            return conditions;
        }

        private void expression(List<Condition> conditions) {
            term(conditions);
            while (true) {
                skipSpaces();
                if (keyword("and")) {
                    term(conditions);
                } else {
                    return;
                }
            }
        }

        private void term(List<Condition> conditions) {
            skipSpaces();
            if (pos < text.length() && text.charAt(pos) == '(') {
                pos++;
                expression(conditions);
                skipSpaces();
                if (pos >= text.length() || text.charAt(pos) != ')') {
                    throw unsupported();
                }
                pos++;
                return;
            }
            String property = identifier();
            skipSpaces();
            if (!keyword("eq")) {
                throw unsupported();
            }
            skipSpaces();
            String value = literal();
            if (!set.hasProperty(property)) {
                throw ODataError.badRequest(ODataError.INVALID_REQUEST, "Property " + property + " not found in type "
                    + set.type() + "; $filter may name " + new TreeSet<>(set.properties()) + ".");
            }
            conditions.add(new Condition(property, value));
        }

        private String identifier() {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw unsupported();
            }
            return text.substring(start, pos);
        }

        private String literal() {
            if (pos < text.length() && text.charAt(pos) == '\'') {
                StringBuilder value = new StringBuilder();
                pos++;
                while (pos < text.length()) {
                    char c = text.charAt(pos);
                    if (c == '\'') {
                        boolean escaped = pos + 1 < text.length() && text.charAt(pos + 1) == '\'';
                        if (!escaped) {
                            pos++;
                            return value.toString();
                        }
                        pos++;
                    }
                    value.append(c);
                    pos++;
                }
                throw ODataError.badRequest(ODataError.INVALID_REQUEST, "Unterminated string literal in $filter: "
                    + text);
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ' ' && text.charAt(pos) != ')') {
                pos++;
            }
            String bare = text.substring(start, pos);
            boolean plain = bare.matches("-?\\d+(\\.\\d+)?[mMdDfFlL]?|true|false");
            if (!plain) {
                throw unsupported();
            }
            return bare.replaceAll("[mMdDfFlL]$", "");
        }

        private boolean keyword(String word) {
            boolean matches = text.regionMatches(true, pos, word, 0, word.length())
                && (pos + word.length() >= text.length() || text.charAt(pos + word.length()) == ' '
                    || text.charAt(pos + word.length()) == '(' || text.charAt(pos + word.length()) == '\'');
            if (matches) {
                pos += word.length();
            }
            return matches;
        }

        private void skipSpaces() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }

        private ODataError unsupported() {
            return ODataError.badRequest(ODataError.UNSUPPORTED, "$filter \"" + text + "\" is not served: the "
                + "PlantMesh embedded ERP understands Property eq 'value' joined by 'and' (e.g. Material eq 'RM-100' "
                + "and Plant eq 'plant1'); filter further on the client.");
        }
    }
}
