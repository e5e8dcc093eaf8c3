package io.plantmesh.twin.server.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.ConnectionString;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.DeleteOneModel;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.WriteModel;

/**
 * {@link TwinStore} over MongoDB through the official driver, with group commit: one writer thread takes every write
 * set queued since its last round trip and persists them together (one bulk write per collection), so throughput
 * grows with load while each command is still acknowledged only after its own data is durable.
 *
 * <p>Within one round, several writes of the same entity are coalesced into one compare-and-set from the first
 * expected revision to the last state. Events go into {@code events} keyed {@code thingId@revision}; the journal keeps
 * what the {@link EventRetention} says (expired ones are deleted by exact key in the same round, oldest first, found
 * in an in-memory index of each thing's kept revisions and times that is built from the journal when the store opens).
 */
public final class MongoTwinStore implements TwinStore, EventJournal {

    private static final Logger LOG = LoggerFactory.getLogger(MongoTwinStore.class);
    private static final int MAX_BATCH = 2000;

    private final MongoClient client;
    private final MongoCollection<Document> things;
    private final MongoCollection<Document> policies;
    private final MongoCollection<Document> events;
    private final EventRetention retention;
    /** The kept journal entries per thing; owned by the writer thread (filled before it starts). */
    private final Map<String, KeptEvents> kept = new HashMap<>();
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(20_000);
    private final Thread writer;
    private final AtomicLong journalFailures = new AtomicLong();
    private volatile boolean running = true;

    private record Pending(WriteSet writeSet, CompletableFuture<Void> done) {
    }

    private MongoTwinStore(String connectionString, String database, EventRetention retention) {
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(connectionString))
                .writeConcern(WriteConcern.JOURNALED.withW(1))
                .applicationName("plantmesh-twin-server")
                .build();
        this.client = MongoClients.create(settings);
        MongoDatabase db = client.getDatabase(database);
        this.things = db.getCollection("things");
        this.policies = db.getCollection("policies");
        this.events = db.getCollection("events");
        this.retention = retention;
        this.writer = new Thread(this::writeLoop, "twin-store-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Connects to MongoDB, reads which events the journal keeps (revision and time of each, for retention) and starts
     * the writer thread.
     */
    public static MongoTwinStore open(String connectionString, String database, EventRetention retention) {
        MongoTwinStore store = new MongoTwinStore(connectionString, database, retention);
        try {
            store.indexJournal();
        } catch (RuntimeException e) {
            store.client.close();
            throw e;
        }
        store.writer.start();
        return store;
    }

    /** One scan of the journal (revision and time only); a change of retention applies to a thing at its next event. */
    private void indexJournal() {
        long start = System.nanoTime();
        long entries = 0;
        for (Document d : events.find().projection(Projections.include("thingId", "revision", "timestamp"))) {
            String thingId = d.getString("thingId");
            Long revision = d.getLong("revision");
            Long timestamp = d.getLong("timestamp");
            if (thingId == null || revision == null || timestamp == null) {
                continue;
            }
            kept.computeIfAbsent(thingId, id -> new KeptEvents()).add(revision, timestamp);
            entries++;
        }
        kept.values().forEach(KeptEvents::sortByRevision);
        LOG.info("Event journal: {} events of {} things in {} ms; keeping {}", entries, kept.size(),
                (System.nanoTime() - start) / 1_000_000, retention.describe());
    }

    @Override
    public EventRetention retention() {
        return retention;
    }

    /** Events that could not be written to the journal (their twin state was persisted). */
    public long journalFailures() {
        return journalFailures.get();
    }

    @Override
    public List<StoredEntity> loadThings() {
        return load(things);
    }

    @Override
    public List<StoredEntity> loadPolicies() {
        return load(policies);
    }

    private static List<StoredEntity> load(MongoCollection<Document> collection) {
        List<StoredEntity> result = new ArrayList<>();
        for (Document d : collection.find()) {
            result.add(fromDocument(d));
        }
        return result;
    }

    @Override
    public List<EventRecord> events(String thingId, long fromRevision, long toRevision) {
        List<EventRecord> result = new ArrayList<>();
        for (Document d : events.find(Filters.in("_id", keys(thingId, fromRevision, toRevision)))) {
            result.add(new EventRecord(d.getString("thingId"), d.getLong("revision"),
                    Instant.ofEpochMilli(d.getLong("timestamp")), d.getString("json")));
        }
        result.sort((a, b) -> Long.compare(a.revision(), b.revision()));
        return result;
    }

    @Override
    public List<EventTime> eventTimes(String thingId, long fromRevision, long toRevision) {
        List<EventTime> result = new ArrayList<>();
        for (Document d : events.find(Filters.in("_id", keys(thingId, fromRevision, toRevision)))
                .projection(Projections.include("revision", "timestamp"))) {
            result.add(new EventTime(d.getLong("revision"), Instant.ofEpochMilli(d.getLong("timestamp"))));
        }
        result.sort((a, b) -> Long.compare(a.revision(), b.revision()));
        return result;
    }

    /** The exact keys of a revision range (at most 10,001, so one query stays bounded). */
    private static List<String> keys(String thingId, long fromRevision, long toRevision) {
        // keys are exact, so a read stays an _id lookup even on stores without secondary indexes
        long from = Math.max(1, fromRevision);
        long to = Math.min(toRevision, from + 10_000);
        List<String> keys = new ArrayList<>();
        for (long r = from; r <= to; r++) {
            keys.add(thingId + "@" + r);
        }
        return keys;
    }

    @Override
    public CompletableFuture<Void> write(WriteSet writeSet) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("The twin store is closed."));
            return done;
        }
        try {
            if (!queue.offer(new Pending(writeSet, done), 5, TimeUnit.SECONDS)) {
                done.completeExceptionally(new IllegalStateException(
                        "The twin store's write queue stayed full for 5 s: MongoDB is too slow or unreachable."));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.completeExceptionally(e);
        }
        return done;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.error("Twin store write round failed: {}", e.toString(), e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        Set<String> failedPolicies = writeEntities(policies, batch, true, Set.of());
        Set<String> failedThings = writeEntities(things, batch, false, failedPolicies);
        List<Pending> succeeded = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            boolean failed = p.writeSet().policies().stream().anyMatch(w -> failedPolicies.contains(w.entity().id()))
                    || p.writeSet().things().stream().anyMatch(w -> failedThings.contains(w.entity().id()));
            if (failed) {
                p.done().completeExceptionally(new StoreConflictException(
                        "The stored revision changed underneath this write; it was not applied."));
            } else {
                succeeded.add(p);
            }
        }
        writeEvents(succeeded);
        succeeded.forEach(p -> p.done().complete(null));
    }

    /** Returns the ids whose write failed. Write sets that touch a failed policy are left out of the thing writes. */
    private Set<String> writeEntities(MongoCollection<Document> collection, List<Pending> batch, boolean policyPhase,
            Set<String> failedPolicies) {
        Map<String, long[]> expected = new HashMap<>();
        Map<String, StoredEntity> last = new LinkedHashMap<>();
        Set<String> skipped = new HashSet<>();
        for (Pending p : batch) {
            List<EntityWrite> writes = policyPhase ? p.writeSet().policies() : p.writeSet().things();
            boolean dependsOnFailedPolicy = !policyPhase
                    && p.writeSet().policies().stream().anyMatch(w -> failedPolicies.contains(w.entity().id()));
            for (EntityWrite w : writes) {
                String id = w.entity().id();
                if (dependsOnFailedPolicy) {
                    skipped.add(id);
                }
                expected.putIfAbsent(id, new long[] {w.expectedRevision()});
                last.put(id, w.entity());
            }
        }
        if (last.isEmpty()) {
            return Set.of();
        }
        List<String> ids = new ArrayList<>();
        List<WriteModel<Document>> models = new ArrayList<>();
        for (Map.Entry<String, StoredEntity> e : last.entrySet()) {
            String id = e.getKey();
            if (skipped.contains(id)) {
                continue;
            }
            long expectedRevision = expected.get(id)[0];
            Document doc = toDocument(e.getValue());
            ids.add(id);
            if (expectedRevision == 0) {
                models.add(new InsertOneModel<>(doc));
            } else {
                Bson filter = Filters.and(Filters.eq("_id", id), Filters.eq("revision", expectedRevision));
                models.add(new ReplaceOneModel<>(filter, doc));
            }
        }
        Set<String> failed = new HashSet<>(skipped);
        if (models.isEmpty()) {
            return failed;
        }
        try {
            var result = collection.bulkWrite(models, new BulkWriteOptions().ordered(false));
            if (result.getMatchedCount() + result.getInsertedCount() < models.size()) {
                failed.addAll(findUnmatched(collection, ids, last));
            }
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                failed.add(ids.get(error.getIndex()));
            }
            failed.addAll(findUnmatched(collection, ids, last));
        }
        return failed;
    }

    /** A replace whose filter matched nothing reports no error, so confirm each id's revision after the round. */
    private static Set<String> findUnmatched(MongoCollection<Document> collection, List<String> ids,
            Map<String, StoredEntity> intended) {
        Set<String> unmatched = new HashSet<>();
        for (String id : ids) {
            Document d = collection.find(Filters.eq("_id", id)).first();
            long want = intended.get(id).revision();
            if (d == null || d.getLong("revision") != want) {
                unmatched.add(id);
            }
        }
        return unmatched;
    }

    private void writeEvents(List<Pending> succeeded) {
        List<WriteModel<Document>> models = new ArrayList<>();
        for (Pending p : succeeded) {
            for (EventRecord ev : p.writeSet().events()) {
                models.add(new InsertOneModel<>(new Document("_id", ev.key())
                        .append("thingId", ev.thingId())
                        .append("revision", ev.revision())
                        .append("timestamp", ev.timestamp().toEpochMilli())
                        .append("json", ev.json())));
                expire(ev, models);
            }
        }
        if (models.isEmpty()) {
            return;
        }
        try {
            events.bulkWrite(models, new BulkWriteOptions().ordered(false));
        } catch (RuntimeException e) {
            // the twin state is durable; a missing journal entry loses history, not state
            long n = journalFailures.incrementAndGet();
            LOG.warn("Event journal write failed ({} so far): {}", n, e.getMessage());
        }
    }

    /** Notes the event as kept and deletes (by exact key) what retention no longer keeps of its thing. */
    private void expire(EventRecord written, List<WriteModel<Document>> models) {
        KeptEvents thing = kept.computeIfAbsent(written.thingId(), id -> new KeptEvents());
        thing.add(written.revision(), written.timestamp().toEpochMilli());
        while (thing.size() > 0 && retention.expiresOldest(thing.size(), Instant.ofEpochMilli(thing.oldestTime()),
                written.timestamp())) {
            models.add(new DeleteOneModel<>(Filters.eq("_id", written.thingId() + "@" + thing.oldestRevision())));
            thing.removeOldest();
        }
    }

    private static Document toDocument(StoredEntity e) {
        return new Document("_id", e.id())
                .append("revision", e.revision())
                .append("deleted", e.deleted())
                .append("json", e.json())
                .append("created", e.created() == null ? null : e.created().toEpochMilli())
                .append("modified", e.modified() == null ? null : e.modified().toEpochMilli());
    }

    private static StoredEntity fromDocument(Document d) {
        Long created = d.getLong("created");
        Long modified = d.getLong("modified");
        return new StoredEntity(d.getString("_id"), d.getLong("revision"), Boolean.TRUE.equals(d.getBoolean("deleted")),
                d.getString("json"), created == null ? null : Instant.ofEpochMilli(created),
                modified == null ? null : Instant.ofEpochMilli(modified));
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
