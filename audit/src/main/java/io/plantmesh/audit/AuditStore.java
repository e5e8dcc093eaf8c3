package io.plantmesh.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.bson.Document;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.Sorts;

/**
 * The audit log's two MongoDB collections in a database: {@code audit} holds the records ({@code _id} = sequence
 * number, so a number can exist only once, even with several writers), {@code audit_head} one document with the
 * newest sequence number and hash (a hint for a quick restart, and the tail check of {@link AuditVerifier}).
 *
 * <p>Every access is by exact {@code _id} or a scan in {@code _id} order, so it stays cheap on the embedded store,
 * which has no secondary indexes.
 */
public final class AuditStore implements AutoCloseable {

    /** The records' collection. */
    public static final String RECORDS = "audit";
    /** The head document's collection. */
    public static final String HEAD = "audit_head";

    private static final String HEAD_ID = "head";

    private final MongoClient client;
    private final MongoCollection<Document> records;
    private final MongoCollection<Document> head;

    private AuditStore(final MongoClient client, final MongoDatabase database) {
        this.client = client;
        this.records = database.getCollection(RECORDS);
        this.head = database.getCollection(HEAD);
    }

    /** Connects to {@code database} at {@code connectionString}; close the store to disconnect. */
    public static AuditStore open(final String connectionString, final String database) {
        final MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(connectionString))
                .writeConcern(WriteConcern.JOURNALED.withW(1))
                .applicationName("plantmesh-audit")
                .build();
        final MongoClient client = MongoClients.create(settings);
        return new AuditStore(client, client.getDatabase(database));
    }

    /** Appends records, in order; fails (e.g. with a duplicate key) if one of the numbers is taken. */
    void insert(final List<AuditRecord> batch) {
        final List<Document> documents = new ArrayList<>(batch.size());
        batch.forEach(r -> documents.add(toDocument(r)));
        records.insertMany(documents, new InsertManyOptions().ordered(true));
    }

    /** Remembers the newest record (a hint only: records are the truth). */
    void writeHead(final long sequence, final String hash) {
        head.updateOne(Filters.eq("_id", HEAD_ID), Updates.combine(Updates.set("seq", sequence),
                Updates.set("hash", hash), Updates.set("time", Instant.now().toString())),
                new UpdateOptions().upsert(true));
    }

    /**
     * Removes the records up to {@code through} (retention): first notes the number and hash of the last one removed in
     * the head document, where the verifier starts from, then deletes them.
     */
    void prune(final long through, final String hashOfThrough) {
        head.updateOne(Filters.eq("_id", HEAD_ID), Updates.combine(Updates.set("prunedThrough", through),
                Updates.set("prunedHash", hashOfThrough)), new UpdateOptions().upsert(true));
        records.deleteMany(Filters.lte("_id", through));
    }

    /** The head document: the newest sequence number and hash it names; empty if there is none. */
    public Optional<Head> head() {
        final Document d = head.find(Filters.eq("_id", HEAD_ID)).first();
        if (d == null || !(d.get("seq") instanceof Number seq) || !(d.get("hash") instanceof String hash)) {
            return Optional.empty();
        }
        final boolean pruned = d.get("prunedThrough") instanceof Number && d.get("prunedHash") instanceof String;
        return Optional.of(new Head(seq.longValue(), hash,
                pruned ? ((Number) d.get("prunedThrough")).longValue() : 0,
                pruned ? d.getString("prunedHash") : AuditRecord.GENESIS));
    }

    /** The record with this sequence number. */
    public Optional<AuditRecord> record(final long sequence) {
        final Document d = records.find(Filters.eq("_id", sequence)).first();
        return d == null ? Optional.empty() : Optional.of(fromDocument(d));
    }

    /**
     * The newest record: found from the head document forward by exact lookups, or by one sorted query if there is
     * no head document (or it names a record that does not exist).
     */
    public Optional<AuditRecord> newest() {
        final Optional<Head> hint = head();
        if (hint.isPresent()) {
            Optional<AuditRecord> newest = record(hint.get().sequence());
            if (newest.isPresent()) {
                Optional<AuditRecord> next = record(newest.get().sequence() + 1);
                while (next.isPresent()) {
                    newest = next;
                    next = record(newest.get().sequence() + 1);
                }
                return newest;
            }
        }
        final Document last = records.find().sort(Sorts.descending("_id")).limit(1).first();
        return last == null ? Optional.empty() : Optional.of(fromDocument(last));
    }

    /** Records {@code from} .. {@code from + size - 1} that exist, in order. */
    public List<AuditRecord> page(final long from, final int size) {
        // the numbers are known, so an $in on _id: the embedded store answers it from its _id index, not a scan
        final List<Long> ids = new ArrayList<>(size);
        for (long id = from; id < from + size; id++) {
            ids.add(id);
        }
        final List<AuditRecord> result = new ArrayList<>();
        for (final Document d : records.find(Filters.in("_id", ids)).sort(Sorts.ascending("_id"))) {
            result.add(fromDocument(d));
        }
        return result;
    }

    /**
     * Every stored document in {@code _id} order, as read (a document that is not a valid record still comes, so the
     * verifier can name it).
     */
    void scan(final Consumer<Document> each) {
        for (final Document d : records.find().sort(Sorts.ascending("_id")).batchSize(1000)) {
            each.accept(d);
        }
    }

    /**
     * What the head document names: the newest sequence number and hash, and the last record removed by retention
     * (0 and the genesis hash if none was).
     */
    public record Head(long sequence, String hash, long prunedThrough, String prunedHash) {
    }

    static Document toDocument(final AuditRecord r) {
        final AuditEntry e = r.entry();
        return new Document("_id", r.sequence())
                .append("time", e.time().toString())
                .append("subjects", e.subjects())
                .append("action", e.action())
                .append("entity", e.entity())
                .append("resource", e.resource())
                .append("outcome", e.outcome())
                .append("status", e.status())
                .append("error", e.error())
                .append("correlationId", e.correlationId())
                .append("revision", e.revision())
                .append("detail", e.detail())
                .append("prev", r.previousHash())
                .append("hash", r.hash());
    }

    /**
     * The record a document holds.
     *
     * @throws IllegalArgumentException naming the field if the document is not a record (a field missing or of the
     *         wrong type)
     */
    static AuditRecord fromDocument(final Document d) {
        final long sequence = number(d, "_id");
        final Instant time;
        try {
            time = Instant.parse(text(d, "time", false));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the field 'time' is not an ISO-8601 instant");
        }
        final Object subjects = d.get("subjects");
        if (!(subjects instanceof List<?> list) || list.stream().anyMatch(s -> !(s instanceof String))) {
            throw new IllegalArgumentException("the field 'subjects' is not a list of strings");
        }
        final List<String> subjectList = list.stream().map(String.class::cast).toList();
        final Object revision = d.get("revision");
        if (revision != null && !(revision instanceof Number)) {
            throw new IllegalArgumentException("the field 'revision' is not a number");
        }
        final AuditEntry entry = new AuditEntry(time, subjectList, text(d, "action", false), text(d, "entity", false),
                text(d, "resource", false), text(d, "outcome", false), (int) number(d, "status"),
                text(d, "error", true), text(d, "correlationId", true),
                revision == null ? null : ((Number) revision).longValue(), text(d, "detail", true));
        return new AuditRecord(sequence, entry, text(d, "prev", false), text(d, "hash", false));
    }

    private static String text(final Document d, final String field, final boolean nullable) {
        final Object value = d.get(field);
        if (value == null && nullable) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("the field '" + field + "' is " + (value == null ? "missing"
                    : "not a string"));
        }
        return s;
    }

    private static long number(final Document d, final String field) {
        final Object value = d.get(field);
        if (!(value instanceof Long) && !(value instanceof Integer)) {
            throw new IllegalArgumentException("the field '" + field + "' is " + (value == null ? "missing"
                    : "not an integer"));
        }
        return ((Number) value).longValue();
    }

    @Override
    public void close() {
        client.close();
    }
}
