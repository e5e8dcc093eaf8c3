package io.plantmesh.erp.embedded.engine;

import java.util.ArrayList;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.WriteModel;


/**
 * The ERP's MongoDB collections and its journal.
 * <p>
 * A posting touches several documents (a material document, stock levels, cost postings, counters, its
 * repeatability record). MongoDB gives no transaction across them here (neither mongo-java-server nor a standalone
 * mongod), so postings commit through a journal: a batch's entries are inserted into {@value #JOURNAL} (the commit
 * point), then applied to the collections by replacing documents by {@code _id} with the values the posting computed
 * (absolute values, never increments). Applying an entry again therefore gives the same books, and applying the
 * entries in the journal in sequence order always ends at the newest state. So the journal is pruned only now and
 * then ({@link #prune}), and {@link #recover} at start simply applies whatever is in it.
 * <p>
 * A posting is answered once its journal entry is durable; the engine applies entries to the collections right
 * after, in the background, and {@link #collection} (the read side) first waits until everything committed before
 * the read is applied, so a GET after a 201 sees the posting.
 * <p>
 * Every access is by {@code _id} except reads that serve {@code $filter} queries. Methods block: call them off the
 * event loop. Thread-safe (the driver is).
 */
public final class ErpStore {

    public static final String MATERIALS = "materials";
    public static final String WORK_CENTERS = "work_centers";
    public static final String STOCK = "stock";
    public static final String MATERIAL_DOCUMENTS = "material_documents";
    public static final String CONFIRMATIONS = "confirmations";
    public static final String CONFIRMATION_GROUPS = "confirmation_groups";
    public static final String REQUISITIONS = "purchase_requisitions";
    public static final String COST_POSTINGS = "cost_postings";
    /** Totals per order and cost centre, one document per order ({@code _id} = the order). */
    public static final String ORDER_COSTS = "order_cost_totals";
    public static final String REPEATABILITY = "repeatability_requests";
    public static final String COUNTERS = "counters";
    public static final String JOURNAL = "journal";

    /** Counter document holding the last posting sequence, written with every posting. */
    static final String SEQUENCE = "journal.sequence";

    private static final Logger LOG = LoggerFactory.getLogger(ErpStore.class);
    private static final ReplaceOptions UPSERT = new ReplaceOptions().upsert(true);
    /** How long a read waits at most for committed postings to be applied. */
    private static final Duration READ_WAIT = Duration.ofSeconds(30);

    private final MongoDatabase database;
    private final BinaryOperator<Document> costLedger;
    private final ReadBarrier barrier = new ReadBarrier();

    /**
     * @param costLedger adds a cost posting to an order's totals document (null for none yet): used at start to
     *        build {@value #ORDER_COSTS} from {@value #COST_POSTINGS} when a database from before it has none
     */
    public ErpStore(MongoDatabase database, BinaryOperator<Document> costLedger) {
        this.database = Objects.requireNonNull(database, "database");
        this.costLedger = Objects.requireNonNull(costLedger, "costLedger");
    }

    /**
     * A collection of the ERP's database, for reads: returns once every posting committed so far is applied to the
     * collections (blocks; call it on a worker thread).
     *
     * @throws io.plantmesh.erp.embedded.odata.ODataError 503 if the postings are not applied within 30 s
     */
    public MongoCollection<Document> collection(String name) {
        barrier.await(READ_WAIT);
        return raw(name);
    }

    /** A collection without waiting for the applier: for the engine itself. */
    MongoCollection<Document> raw(String name) {
        return database.getCollection(name);
    }

    ReadBarrier barrier() {
        return barrier;
    }

    /** The database's name. */
    public String databaseName() {
        return database.getName();
    }

    /**
     * Applies every entry left in the journal, in sequence order, and empties it: afterwards the collections hold
     * every committed posting. Called before the head state is loaded.
     *
     * @return the last posting sequence ever committed
     */
    long recover(ExecutorService executor) {
        List<JournalEntry> pending = new ArrayList<>();
        for (Document document : raw(JOURNAL).find().sort(Sorts.ascending("_id"))) {
            pending.add(JournalEntry.fromDocument(document));
        }
        if (!pending.isEmpty()) {
            apply(pending, executor);
            long last = pending.get(pending.size() - 1).sequence();
            prune(last);
            LOG.info("ERP store {}: re-applied the {} newest journal entries (up to sequence {})", database.getName(),
                pending.size(), last);
        }
        Document sequence = raw(COUNTERS).find(Filters.eq("_id", SEQUENCE)).first();
        return sequence == null ? 0 : ((Number) sequence.get("value")).longValue();
    }

    /** Loads the head state from the collections (after {@link #recover}). */
    ErpState load(long lastSequence) {
        ErpState state = new ErpState();
        for (Document document : raw(MATERIALS).find()) {
            state.putMaterial(MasterDataDocuments.material(document));
        }
        for (Document document : raw(WORK_CENTERS).find()) {
            state.putWorkCenter(MasterDataDocuments.workCenter(document));
        }
        for (Document document : raw(STOCK).find()) {
            state.putStock(StockLevel.fromDocument(document));
        }
        for (Document document : raw(COUNTERS).find()) {
            String name = document.getString("_id");
            if (!name.startsWith("journal.")) {
                state.putCounter(name, ((Number) document.get("value")).longValue());
            }
        }
        for (Document document : raw(CONFIRMATION_GROUPS).find()) {
            state.putConfirmationGroup(document.getString("_id"), document);
        }
        for (Document document : raw(REQUISITIONS).find(Filters.eq("_open", true))) {
            state.putOpenRequisition(document.getString("_id"), document);
        }
        for (Document document : orderCosts()) {
            state.putOrderCosts(document.getString("_id"), document);
        }
        state.setLastSequence(lastSequence);
        return state;
    }

    /** The order totals; built from the postings (and stored) if the database has postings but no totals yet. */
    private Iterable<Document> orderCosts() {
        boolean hasTotals = raw(ORDER_COSTS).find().limit(1).first() != null;
        boolean hasPostings = raw(COST_POSTINGS).find().limit(1).first() != null;
        if (hasTotals || !hasPostings) {
            return raw(ORDER_COSTS).find();
        }
        Map<String, Document> byOrder = new LinkedHashMap<>();
        for (Document posting : raw(COST_POSTINGS).find().sort(Sorts.ascending("_id"))) {
            byOrder.compute(posting.getString("OrderID"), (order, totals) -> costLedger.apply(totals, posting));
        }
        List<WriteModel<Document>> writes = new ArrayList<>();
        for (Document totals : byOrder.values()) {
            writes.add(new ReplaceOneModel<>(Filters.eq("_id", totals.get("_id")), totals, UPSERT));
        }
        raw(ORDER_COSTS).bulkWrite(writes, new BulkWriteOptions().ordered(false));
        LOG.info("ERP store {}: order cost totals built from the cost postings for {} orders", database.getName(),
            byOrder.size());
        return byOrder.values();
    }

    /** Commits entries: inserts them into the journal, in order. */
    void append(List<JournalEntry> entries) {
        List<Document> documents = new ArrayList<>(entries.size());
        for (JournalEntry entry : entries) {
            documents.add(entry.toDocument());
        }
        raw(JOURNAL).insertMany(documents, new InsertManyOptions().ordered(true));
    }

    /**
     * Applies entries to the collections: one bulk replace per collection (the last write of an {@code _id} wins), the
     * collections in parallel on {@code executor}; returns when all are written.
     *
     * @throws com.mongodb.MongoException (or another runtime exception) if any write failed
     */
    void apply(List<JournalEntry> entries, ExecutorService executor) {
        Map<String, Map<Object, Document>> byCollection = new LinkedHashMap<>();
        for (JournalEntry entry : entries) {
            for (PostingContext.Write write : entry.writes()) {
                byCollection.computeIfAbsent(write.collection(), c -> new LinkedHashMap<>())
                    .put(write.document().get("_id"), write.document());
            }
        }
        List<Future<?>> writes = new ArrayList<>();
        for (Map.Entry<String, Map<Object, Document>> collection : byCollection.entrySet()) {
            List<WriteModel<Document>> replaces = new ArrayList<>(collection.getValue().size());
            for (Map.Entry<Object, Document> document : collection.getValue().entrySet()) {
                Bson byId = Filters.eq("_id", document.getKey());
                replaces.add(new ReplaceOneModel<>(byId, document.getValue(), UPSERT));
            }
            MongoCollection<Document> target = raw(collection.getKey());
            writes.add(executor.submit(() -> target.bulkWrite(replaces, new BulkWriteOptions().ordered(false))));
        }
        RuntimeException failure = null;
        for (Future<?> write : writes) {
            try {
                write.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                failure = cause instanceof RuntimeException ? (RuntimeException) cause
                    : new IllegalStateException(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while applying postings", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Deletes journal entries up to {@code sequence}; they must be applied. */
    void prune(long sequence) {
        raw(JOURNAL).deleteMany(Filters.lte("_id", sequence));
    }

    /**
     * A 64-bit hash of every request id that has a stored repeatability record: an id whose hash is not in it was
     * never executed, so it needs no look-up (a hash that is in it is checked against the record).
     */
    Set<Long> requestIdHashes() {
        Set<Long> hashes = new HashSet<>();
        for (Document document : raw(REPEATABILITY).find().projection(Projections.include("_id"))) {
            hashes.add(requestIdHash(document.getString("_id")));
        }
        return hashes;
    }

    /** A 64-bit FNV-1a hash of a request id. */
    static long requestIdHash(String id) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            hash ^= id.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** The stored repeatability records of these request ids, by id. */
    Map<String, Document> repeatabilityRecords(Collection<String> requestIds) {
        Map<String, Document> found = new HashMap<>();
        if (requestIds.isEmpty()) {
            return found;
        }

        for (Document document : raw(REPEATABILITY).find(Filters.in("_id", requestIds))) {
            found.put(document.getString("_id"), document);
        }
        return found;
    }
}
