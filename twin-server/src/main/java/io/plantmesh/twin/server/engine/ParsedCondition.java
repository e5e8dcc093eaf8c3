package io.plantmesh.twin.server.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.rql.model.predicates.ast.RootNode;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;
import org.eclipse.ditto.rql.query.filter.QueryFilterCriteriaFactory;
import org.eclipse.ditto.rql.query.things.FieldNamesPredicateVisitor;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.Thing;

/**
 * A {@code condition} header parsed once: the predicate Ditto's RQL evaluates and the fields it reads (which the
 * requester must be allowed to read). Writers such as twin ingestion send the same few condition shapes thousands of
 * times a second, so parsed conditions are kept in a small LRU cache, and so are shapes
 * ({@link ConditionTemplate}): a condition that differs from one seen before only in its integer comparison values
 * (the ingestion's watermark condition names a new Kafka offset with every write) reuses that shape's syntax tree
 * with its own values instead of being parsed again.
 *
 * @param readsHiddenFields whether a field it reads has a segment starting with {@code _} ({@code _revision},
 *                          {@code _modified}, {@code _metadata}, ...): only then does it need more of the thing than
 *                          its regular JSON
 */
record ParsedCondition(Predicate<Thing> predicate, Set<String> fieldNames, boolean readsHiddenFields) {

    private static final int CACHE_SIZE = 1024;
    private static final Map<String, ParsedCondition> CACHE = lru();
    private static final Map<String, Shape> SHAPES = lru();

    /** A shape's sentinel syntax tree, or null if substituting values into it is not exact. */
    private record Shape(RootNode sentinelTree, Set<String> fieldNames, boolean readsHiddenFields) {
    }

    /** Parses (or finds) a condition; an invalid one fails with Ditto's {@code rql.expression.invalid} (400). */
    static ParsedCondition of(String condition, DittoHeaders headers) {
        synchronized (CACHE) {
            ParsedCondition cached = CACHE.get(condition);
            if (cached != null) {
                return cached;
            }
        }
        ConditionTemplate template = ConditionTemplate.of(condition);
        if (template.hasValues()) {
            Shape shape;
            synchronized (SHAPES) {
                shape = SHAPES.get(template.key());
            }
            if (shape != null && shape.sentinelTree() != null) {
                RootNode tree = ConditionTemplate.substitute(shape.sentinelTree(), template.values());
                return new ParsedCondition(predicate(condition, tree, headers), shape.fieldNames(),
                        shape.readsHiddenFields());
            }
            if (shape != null) {
                return parseAndCache(condition, headers); // a shape that cannot be substituted
            }
        }
        RootNode[] syntaxTree = new RootNode[1];
        ParsedCondition parsed = parse(condition, headers, syntaxTree);
        if (template.hasValues()) {
            Shape shape = new Shape(sentinelTree(template, syntaxTree[0]).orElse(null), parsed.fieldNames(),
                    parsed.readsHiddenFields());
            synchronized (SHAPES) {
                SHAPES.put(template.key(), shape);
            }
            if (shape.sentinelTree() != null) {
                return parsed; // later conditions of this shape substitute: no need to keep this one
            }
        }
        synchronized (CACHE) {
            CACHE.put(condition, parsed);
        }
        return parsed;
    }

    /** Whether conditions of this one's shape are made by substituting into a shape parsed before (tests). */
    static boolean substitutesShapeOf(String condition) {
        synchronized (SHAPES) {
            Shape shape = SHAPES.get(ConditionTemplate.of(condition).key());
            return shape != null && shape.sentinelTree() != null;
        }
    }

    /** Drops every cached condition and shape (tests). */
    static void clearCaches() {
        synchronized (CACHE) {
            CACHE.clear();
        }
        synchronized (SHAPES) {
            SHAPES.clear();
        }
    }

    private static ParsedCondition parseAndCache(String condition, DittoHeaders headers) {
        ParsedCondition parsed = parse(condition, headers, new RootNode[1]);
        synchronized (CACHE) {
            CACHE.put(condition, parsed);
        }
        return parsed;
    }

    private static ParsedCondition parse(String condition, DittoHeaders headers, RootNode[] syntaxTree) {
        // parse once: the criteria factory's parser hands its syntax tree over for the field names too
        QueryFilterCriteriaFactory rql = QueryFilterCriteriaFactory.modelBased(
                text -> syntaxTree[0] = RqlPredicateParser.getInstance().parse(text));
        Predicate<Thing> predicate = ThingPredicateVisitor.apply(rql.filterCriteria(condition, headers));
        FieldNamesPredicateVisitor fieldNames = FieldNamesPredicateVisitor.getNewInstance();
        fieldNames.visit(syntaxTree[0]);
        Set<String> names = Set.copyOf(fieldNames.getFieldNames());
        return new ParsedCondition(predicate, names, names.stream().anyMatch(ParsedCondition::namesHiddenField));
    }

    /** The predicate of a syntax tree made without parsing {@code condition} (which only labels errors). */
    private static Predicate<Thing> predicate(String condition, RootNode tree, DittoHeaders headers) {
        return ThingPredicateVisitor.apply(QueryFilterCriteriaFactory.modelBased(text -> tree)
                .filterCriteria(condition, headers));
    }

    /**
     * The shape's tree with sentinels, if substituting this condition's own values into it gives exactly the tree
     * the condition parsed to; otherwise the shape is not substituted.
     */
    private static Optional<RootNode> sentinelTree(ConditionTemplate template, RootNode parsed) {
        try {
            RootNode sentinels = RqlPredicateParser.getInstance().parse(template.sentinelCondition());
            long[] values = template.values();
            if (!ConditionTemplate.eachSentinelOnce(sentinels, values.length)
                    || !ConditionTemplate.substitute(sentinels, values).equals(parsed)) {
                return Optional.empty();
            }
            return Optional.of(sentinels);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean namesHiddenField(String fieldName) {
        for (String segment : fieldName.split("/")) {
            if (segment.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > CACHE_SIZE;
            }
        };
    }
}
