package io.plantmesh.twin.server.engine;

import java.util.LinkedHashMap;
import java.util.Map;
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
 * times a second, so parsed conditions are kept in a small LRU cache.
 */
record ParsedCondition(Predicate<Thing> predicate, Set<String> fieldNames) {

    private static final int CACHE_SIZE = 1024;
    private static final Map<String, ParsedCondition> CACHE = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ParsedCondition> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** Parses (or finds) a condition; an invalid one fails with Ditto's {@code rql.expression.invalid} (400). */
    static ParsedCondition of(String condition, DittoHeaders headers) {
        synchronized (CACHE) {
            ParsedCondition cached = CACHE.get(condition);
            if (cached != null) {
                return cached;
            }
        }
        // parse once: the criteria factory's parser hands its syntax tree over for the field names too
        RootNode[] syntaxTree = new RootNode[1];
        QueryFilterCriteriaFactory rql = QueryFilterCriteriaFactory.modelBased(
                text -> syntaxTree[0] = RqlPredicateParser.getInstance().parse(text));
        Predicate<Thing> predicate = ThingPredicateVisitor.apply(rql.filterCriteria(condition, headers));
        FieldNamesPredicateVisitor fieldNames = FieldNamesPredicateVisitor.getNewInstance();
        fieldNames.visit(syntaxTree[0]);
        ParsedCondition parsed = new ParsedCondition(predicate, Set.copyOf(fieldNames.getFieldNames()));
        synchronized (CACHE) {
            CACHE.put(condition, parsed);
        }
        return parsed;
    }
}
