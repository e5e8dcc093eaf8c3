package io.plantmesh.mes.oee;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bson.Document;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

import io.plantmesh.twin.model.machine.MachineState;

/**
 * Persists an {@link OeeTracker}'s history in the MongoDB collection {@value #COLLECTION}: one document per machine,
 * {@code _id} = the machine's thing id, replaced as a whole on every save. Instants are stored as ISO-8601 strings
 * (exact to the nanosecond). Every call blocks on MongoDB: run it off the event loop.
 * <p>
 * Document: {@code {_id, line, idealCycleTimeMs?, lastObservedAt, state, since, intervals: [{state, from, to}],
 * counters: [{at, good, scrap}]}}.
 */
public final class OeeHistoryStore {

    public static final String COLLECTION = "mes_oee_history";

    private static final Logger LOG = LoggerFactory.getLogger(OeeHistoryStore.class);

    private final MongoCollection<Document> collection;
    private final OeeTracker tracker;

    public OeeHistoryStore(final MongoDatabase database, final OeeTracker tracker) {
        this.collection = Objects.requireNonNull(database, "database").getCollection(COLLECTION);
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /**
     * Reads the stored histories of {@code machines} into the tracker. A machine without a document is skipped, so is
     * one the tracker has observed already (its live history is newer), and so is an unreadable document (logged; the
     * next save overwrites it).
     *
     * @return how many machines' histories were restored
     */
    public int load(final Collection<ThingId> machines) {
        if (machines.isEmpty()) {
            return 0;
        }
        final List<String> ids = machines.stream().map(ThingId::toString).distinct().toList();
        int restored = 0;
        for (final Document document : collection.find(Filters.in("_id", ids))) {
            final Optional<MachineHistory> history = read(document);
            if (history.isPresent() && tracker.restore(history.get())) {
                restored++;
            }
        }
        LOG.info("OEE: restored the history of {} of {} machines from collection {}", restored, ids.size(),
                COLLECTION);
        return restored;
    }

    /**
     * Writes the machine's current history (replacing the stored one).
     *
     * @return false if the tracker has never observed the machine (nothing written)
     */
    public boolean save(final ThingId machine) {
        final Optional<MachineHistory> history = tracker.history(machine);
        if (history.isEmpty()) {
            return false;
        }
        collection.replaceOne(Filters.eq("_id", machine.toString()), toDocument(history.get()),
                new ReplaceOptions().upsert(true));
        return true;
    }

    static Document toDocument(final MachineHistory history) {
        final List<Document> intervals = new ArrayList<>(history.closed().size());
        for (final StateInterval interval : history.closed()) {
            intervals.add(new Document("state", interval.state().name())
                    .append("from", interval.from().toString())
                    .append("to", interval.to().toString()));
        }
        final List<Document> counters = new ArrayList<>(history.counters().size());
        for (final CounterSample sample : history.counters()) {
            counters.add(new Document("at", sample.at().toString())
                    .append("good", sample.good())
                    .append("scrap", sample.scrap()));
        }
        final Document document = new Document("_id", history.machine().toString())
                .append("line", history.line().toString());
        if (history.idealCycleTimeMs() != null) {
            document.append("idealCycleTimeMs", history.idealCycleTimeMs());
        }
        return document.append("lastObservedAt", history.lastObservedAt().toString())
                .append("state", history.state().name())
                .append("since", history.since().toString())
                .append("intervals", intervals)
                .append("counters", counters);
    }

    static MachineHistory fromDocument(final Document document) {
        final List<StateInterval> intervals = new ArrayList<>();
        for (final Document interval : document.getList("intervals", Document.class, List.of())) {
            intervals.add(new StateInterval(MachineState.valueOf(interval.getString("state")),
                    instant(interval, "from"), instant(interval, "to")));
        }
        final List<CounterSample> counters = new ArrayList<>();
        for (final Document sample : document.getList("counters", Document.class, List.of())) {
            counters.add(new CounterSample(instant(sample, "at"), count(sample, "good"), count(sample, "scrap")));
        }
        final Number idealCycleTimeMs = document.get("idealCycleTimeMs", Number.class);
        return new MachineHistory(ThingId.of(document.getString("_id")), ThingId.of(document.getString("line")),
                idealCycleTimeMs == null ? null : idealCycleTimeMs.doubleValue(), instant(document, "lastObservedAt"),
                intervals, MachineState.valueOf(document.getString("state")), instant(document, "since"), counters);
    }

    private static Optional<MachineHistory> read(final Document document) {
        try {
            return Optional.of(fromDocument(document));
        } catch (final RuntimeException e) {
            LOG.warn("OEE: ignored the stored history {} in collection {}, it is unreadable ({}); the next save "
                    + "overwrites it, or delete the document", document.get("_id"), COLLECTION, e.toString());
            return Optional.empty();
        }
    }

    private static Instant instant(final Document document, final String key) {
        return Instant.parse(Objects.requireNonNull(document.getString(key), key + " is missing"));
    }

    private static long count(final Document document, final String key) {
        return Objects.requireNonNull(document.get(key, Number.class), key + " is missing").longValue();
    }
}
