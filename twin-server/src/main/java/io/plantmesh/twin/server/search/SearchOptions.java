package io.plantmesh.twin.server.search;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.ditto.base.model.exceptions.InvalidRqlExpressionException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.rql.model.ParserException;
import org.eclipse.ditto.rql.parser.thingsearch.RqlOptionParser;
import org.eclipse.ditto.rql.query.things.ModelBasedThingsFieldExpressionFactory;
import org.eclipse.ditto.thingsearch.model.CursorOption;
import org.eclipse.ditto.thingsearch.model.LimitOption;
import org.eclipse.ditto.thingsearch.model.Option;
import org.eclipse.ditto.thingsearch.model.SizeOption;
import org.eclipse.ditto.thingsearch.model.SortOption;
import org.eclipse.ditto.thingsearch.model.SortOptionEntry;
import org.eclipse.ditto.thingsearch.model.signals.commands.exceptions.InvalidOptionException;

/**
 * The {@code option=} of a search, parsed with Ditto's RQL option parser and checked as Ditto checks it: at most one
 * sort, size and cursor; {@code size} between 1 and {@value #MAX_SIZE}; the deprecated {@code limit(offset,count)}
 * not combined with {@code size} or {@code cursor}.
 *
 * @param sort the sort option's entries as given; empty if there was none
 * @param size the page size if given
 * @param cursor the cursor if given
 * @param limit the deprecated limit option if given
 */
public record SearchOptions(List<SortOptionEntry> sort, Integer size, String cursor, LimitOption limit) {

    public static final int DEFAULT_SIZE = 25;
    public static final int MAX_SIZE = 200;

    public SearchOptions {
        sort = List.copyOf(sort);
    }

    public static SearchOptions none() {
        return new SearchOptions(List.of(), null, null, null);
    }

    /** Parses an option string (null or blank for none); fails with Ditto's 400 exceptions. */
    public static SearchOptions parse(String text, DittoHeaders headers) {
        if (text == null || text.isBlank()) {
            return none();
        }
        List<Option> options;
        try {
            options = RqlOptionParser.parseOptions(text);
        } catch (ParserException | IllegalArgumentException e) {
            throw InvalidRqlExpressionException.newBuilder().message(e.getMessage()).dittoHeaders(headers).build();
        }
        List<SortOptionEntry> sort = new ArrayList<>();
        Integer size = null;
        String cursor = null;
        LimitOption limit = null;
        int sorts = 0;
        for (Option o : options) {
            if (o instanceof SortOption s) {
                sorts++;
                sort.addAll(s.getEntries());
            } else if (o instanceof SizeOption s) {
                if (size != null) {
                    throw invalid("There may not be more than 1 'size' option.", headers);
                }
                size = s.getSize();
            } else if (o instanceof CursorOption c) {
                if (cursor != null) {
                    throw invalid("There may not be more than 1 'cursor' option.", headers);
                }
                cursor = c.getCursor();
            } else if (o instanceof LimitOption l) {
                if (limit != null) {
                    throw invalid("There may not be more than 1 'limit' option.", headers);
                }
                limit = l;
            }
        }
        if (sorts > 1) {
            throw invalid("There may not be more than 1 'sort' option.", headers);
        }
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            throw invalid("The option 'size' must be between 1 and " + MAX_SIZE + " but was " + size + ".", headers);
        }
        if (limit != null && (size != null || cursor != null)) {
            throw invalid("The options 'size' and 'cursor' must not be combined with the deprecated 'limit'.",
                    headers);
        }
        if (limit != null && (limit.getOffset() < 0 || limit.getCount() < 1 || limit.getCount() > MAX_SIZE)) {
            throw invalid("The option 'limit(offset,count)' needs offset >= 0 and count between 1 and " + MAX_SIZE
                    + ".", headers);
        }
        for (SortOptionEntry e : sort) {
            checkSortField(e, headers);
        }
        return new SearchOptions(sort, size, cursor, limit);
    }

    private static void checkSortField(SortOptionEntry entry, DittoHeaders headers) {
        String field = entry.getPropertyPath().toString().substring(1);
        try {
            ModelBasedThingsFieldExpressionFactory.getInstance().sortBy(field);
        } catch (IllegalArgumentException e) {
            throw InvalidRqlExpressionException.newBuilder()
                    .message("The field '" + field + "' cannot be sorted by: " + e.getMessage())
                    .dittoHeaders(headers).build();
        }
    }

    /** The order this option asks for, thing id as tiebreaker; {@code +thingId} without a sort option. */
    public ThingSortOrder order() {
        return sort.isEmpty() ? ThingSortOrder.byThingId() : ThingSortOrder.of(sort);
    }

    public int pageSize() {
        if (limit != null) {
            return limit.getCount();
        }
        return size == null ? DEFAULT_SIZE : size;
    }

    private static InvalidOptionException invalid(String message, DittoHeaders headers) {
        return InvalidOptionException.newBuilder().message(message).dittoHeaders(headers).build();
    }
}
