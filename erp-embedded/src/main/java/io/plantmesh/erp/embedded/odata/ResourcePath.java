package io.plantmesh.erp.embedded.odata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resource part of an OData V2 URL after the service root: an entity set, optionally a key predicate
 * ({@code ('10000001')} or {@code (MaterialDocumentYear='2026',MaterialDocument='4900000001')}) and optionally one
 * navigation property ({@code /to_MaterialDocumentItem}).
 *
 * @param entitySet the entity set's name
 * @param key key property to value, in the order given; empty when the whole set is addressed; a single unnamed
 *        value is stored under the empty name (see {@link #keyFor})
 * @param navigation the navigation property, or null
 */
public record ResourcePath(String entitySet, Map<String, String> key, String navigation) {

    /** Parses {@code resource} (already percent-decoded), e.g. {@code A_PurchaseRequisitionHeader('10000001')}. */
    public static ResourcePath parse(String resource) {
        String rest = resource;
        String navigation = null;
        int close = rest.lastIndexOf(')');
        int slash = rest.indexOf('/', close < 0 ? 0 : close);
        if (slash >= 0) {
            navigation = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (navigation.isEmpty()) {
                navigation = null;
            } else if (navigation.contains("/") || navigation.contains("(")) {
                throw new ODataError(404, ODataError.NOT_FOUND, "Resource path " + resource + " navigates more than "
                    + "one level; the PlantMesh embedded ERP serves EntitySet(key)/navigation at most.");
            }
        }
        int open = rest.indexOf('(');
        if (open < 0) {
            if (navigation != null) {
                throw new ODataError(400, ODataError.INVALID_REQUEST, "Navigation " + navigation + " needs an entity "
                    + "key, e.g. " + rest + "('...')/" + navigation + ".");
            }
            return new ResourcePath(rest, Map.of(), null);
        }
        if (!rest.endsWith(")")) {
            throw new ODataError(400, ODataError.INVALID_REQUEST, "Malformed key predicate in " + resource
                + "; write EntitySet(Key='value') or EntitySet('value').");
        }
        return new ResourcePath(rest.substring(0, open), parseKey(rest.substring(open + 1, rest.length() - 1),
            resource), navigation);
    }

    private static Map<String, String> parseKey(String predicate, String resource) {
        Map<String, String> key = new LinkedHashMap<>();
        int i = 0;
        while (i < predicate.length()) {
            int equals = predicate.indexOf('=', i);
            int quote = predicate.indexOf('\'', i);
            String name = "";
            if (equals >= 0 && (quote < 0 || equals < quote)) {
                name = predicate.substring(i, equals).trim();
                i = equals + 1;
            }
            while (i < predicate.length() && predicate.charAt(i) == ' ') {
                i++;
            }
            if (i >= predicate.length() || predicate.charAt(i) != '\'') {
                throw new ODataError(400, ODataError.INVALID_REQUEST, "Key values must be quoted strings in "
                    + resource + ", e.g. ('4900000001').");
            }
            StringBuilder value = new StringBuilder();
            i++;
            boolean closed = false;
            while (i < predicate.length()) {
                char c = predicate.charAt(i);
                if (c == '\'') {
                    boolean escaped = i + 1 < predicate.length() && predicate.charAt(i + 1) == '\'';
                    if (escaped) {
                        value.append('\'');
                        i += 2;
                        continue;
                    }
                    closed = true;
                    i++;
                    break;
                }
                value.append(c);
                i++;
            }
            if (!closed) {
                throw new ODataError(400, ODataError.INVALID_REQUEST, "Unterminated key value in " + resource + ".");
            }
            key.put(name, value.toString());
            while (i < predicate.length() && (predicate.charAt(i) == ',' || predicate.charAt(i) == ' ')) {
                i++;
            }
        }
        return key;
    }

    /** Whether a key predicate was given. */
    public boolean addressesEntity() {
        return !key.isEmpty();
    }

    /**
     * The key values by property name for {@code set}: named values as given, a single unnamed value for a set with
     * one key. Refuses missing or unknown key properties with 400.
     */
    public Map<String, String> keyFor(EntitySet set) {
        Map<String, String> named = new LinkedHashMap<>();
        if (key.size() == 1 && key.containsKey("")) {
            if (set.keys().size() != 1) {
                throw new ODataError(400, ODataError.INVALID_REQUEST, set.name() + " has the key properties "
                    + set.keys() + "; name each of them, e.g. " + set.keys().get(0) + "='...'.");
            }
            named.put(set.keys().get(0), key.get(""));
            return named;
        }
        for (String property : set.keys()) {
            String value = key.get(property);
            if (value == null) {
                throw new ODataError(400, ODataError.INVALID_REQUEST, "Key property " + property + " of "
                    + set.name() + " is missing; give all of " + set.keys() + ".");
            }
            named.put(property, value);
        }
        for (String property : key.keySet()) {
            if (!set.keys().contains(property)) {
                throw new ODataError(400, ODataError.INVALID_REQUEST, property + " is not a key property of "
                    + set.name() + "; its keys are " + set.keys() + ".");
            }
        }
        return named;
    }
}
