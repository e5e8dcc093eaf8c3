package io.plantmesh.twin.server.ws;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonFieldSelector;
import org.eclipse.ditto.rql.parser.RqlPredicateParser;
import org.eclipse.ditto.rql.query.filter.QueryFilterCriteriaFactory;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

/**
 * What a session asked for with {@code START-SEND-...?namespaces=&filter=&extraFields=}: the namespaces (empty =
 * all), the RQL filter as a predicate on a (partial) thing, and the extra fields to enrich each signal with.
 */
public record StreamSubscription(Set<String> namespaces, Optional<Predicate<Thing>> filter,
        Optional<JsonFieldSelector> extraFields) {

    private static final QueryFilterCriteriaFactory RQL =
            QueryFilterCriteriaFactory.modelBased(RqlPredicateParser.getInstance());

    /** Parses the parameters; an invalid filter fails with Ditto's RQL error (400). */
    public static StreamSubscription of(ControlMessage message, DittoHeaders headers) {
        Set<String> namespaces = message.param("namespaces")
                .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()))
                .orElse(Set.of());
        Optional<Predicate<Thing>> filter = message.param("filter")
                .map(f -> ThingPredicateVisitor.apply(RQL.filterCriteria(f, headers)));
        Optional<JsonFieldSelector> extraFields = message.param("extraFields")
                .map(f -> JsonFactory.parseJsonFieldSelector(f));
        return new StreamSubscription(namespaces, filter, extraFields);
    }

    public boolean coversNamespaceOf(ThingId thingId) {
        return namespaces.isEmpty() || namespaces.contains(thingId.getNamespace());
    }
}
