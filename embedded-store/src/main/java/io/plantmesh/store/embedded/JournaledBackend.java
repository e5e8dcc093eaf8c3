package io.plantmesh.store.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.NoopOplog;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * mongo-java-server's in-memory backend whose databases and collections report every state change to a
 * {@link MutationRecorder}; it also re-applies journal records and dumps its whole state as records (a snapshot).
 */
final class JournaledBackend extends MemoryBackend {

    private final MutationRecorder recorder;
    /** Commands re-applied from the journal need a channel for the library's per-connection bookkeeping. */
    private final Channel replayChannel = new EmbeddedChannel();

    JournaledBackend(MutationRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public JournaledDatabase openOrCreateDatabase(String databaseName) {
        return new JournaledDatabase(databaseName, getCursorRegistry(), recorder);
    }

    @Override
    public void dropDatabase(String databaseName) {
        boolean existed = listDatabaseNames().contains(databaseName);
        recorder.withoutRecording(() -> super.dropDatabase(databaseName));
        if (existed) {
            recorder.record(JournalRecord.dropDatabase(databaseName));
        }
    }

    /** Re-applies one recorded change. Nothing is evaluated again: documents are stored as recorded. */
    void apply(JournalRecord record) {
        Document body = record.body();
        switch (record.type()) {
            case CREATE_COLLECTION -> database(record.db())
                .createCollectionOrThrowIfExists(record.collection(), CollectionOptions.withDefaults());
            case DROP_COLLECTION -> database(record.db()).dropCollection(record.collection(), NoopOplog.get());
            case CREATE_INDEX -> database(record.db()).replayAddIndex((Document) body.get(JournalRecord.INDEX));
            case DROP_INDEX -> handleCommand(replayChannel, record.db(), "dropIndexes",
                new Document("dropIndexes", record.collection()).append("index", body.get(JournalRecord.INDEX)));
            case RENAME_COLLECTION -> handleCommand(replayChannel, "admin", "renameCollection",
                new Document("renameCollection", record.collection()).append("to", body.get(JournalRecord.TO)));
            case DROP_DATABASE -> dropDatabase(record.db());
            case INSERT -> collection(record).replayInsert(record.document());
            case UPDATE -> collection(record).replayUpdate(record.document());
            case DELETE -> collection(record).replayDelete(body.get(JournalRecord.ID));
            case SNAPSHOT_END -> {
                // marks a complete snapshot; no state
            }
        }
    }

    /**
     * Emits the whole state as records: per collection its creation, its documents in natural order, then its
     * secondary indexes. The caller holds the write lock, so the state does not change meanwhile.
     */
    long dumpState(Consumer<JournalRecord> sink) {
        long documents = 0;
        for (String databaseName : new TreeSet<>(listDatabaseNames())) {
            MongoDatabase database = resolveDatabase(databaseName);
            for (String collectionName : collectionNames(database)) {
                sink.accept(JournalRecord.createCollection(databaseName, collectionName));
                MongoCollection<?> collection = database.resolveCollection(collectionName, true);
                for (Document document : collection.queryAll()) {
                    sink.accept(JournalRecord.insert(databaseName, collectionName, document));
                    documents++;
                }
            }
            MongoCollection<?> indexes = database.resolveCollection(JournaledDatabase.INDEXES, false);
            if (indexes != null) {
                for (Document indexDescription : indexes.queryAll()) {
                    boolean primaryKeyIndex = "_id_".equals(indexDescription.get("name"));
                    if (!primaryKeyIndex) {
                        sink.accept(JournalRecord.createIndex(databaseName, indexDescription));
                    }
                }
            }
        }
        return documents;
    }

    private static List<String> collectionNames(MongoDatabase database) {
        List<String> names = new ArrayList<>();
        MongoCollection<?> namespaces = database.resolveCollection(JournaledDatabase.NAMESPACES, false);
        if (namespaces == null) {
            return names;
        }
        String prefix = database.getDatabaseName() + ".";
        for (Document namespace : namespaces.queryAll()) {
            String fullName = namespace.get("name").toString();
            String collectionName = fullName.substring(prefix.length());
            if (!JournaledDatabase.isBookkeeping(collectionName)) {
                names.add(collectionName);
            }
        }
        return names;
    }

    private JournaledDatabase database(String databaseName) {
        return (JournaledDatabase) resolveDatabase(databaseName);
    }

    private JournaledCollection collection(JournalRecord record) {
        MongoCollection<?> collection = database(record.db()).resolveCollection(record.collection(), false);
        if (collection == null) {
            throw new IllegalStateException("journal refers to a missing collection " + record.db() + "." + record.collection());
        }
        return (JournaledCollection) collection;
    }

    @Override
    public void close() {
        super.close();
        replayChannel.close();
    }
}
