package io.plantmesh.store.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

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
 * {@link MutationRecorder}; it also re-applies journal records and hands a point-in-time view of its state to snapshots.
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

    /** One collection as it was at the snapshot's generation switch, read through its copy-on-write capture. */
    record CollectionView(String db, String name, JournaledCollection collection, JournaledCollection.Capture capture) {
    }

    /** One database at the switch: its collections in catalog order and its secondary index descriptions. */
    record DatabaseView(String name, List<CollectionView> collections, List<Document> indexDescriptions) {
    }

    /**
     * Captures the catalog and starts a copy-on-write capture on every collection. The caller holds the write
     * lock, so this is one instant of the execution order; it costs O(collections + indexes), not O(documents).
     * Collections dropped or renamed later keep their document list (the library only unregisters them), so their
     * captures stay readable; later catalog changes reach the next journal generation instead.
     * The caller must {@link #endSnapshot end} the view whether or not the snapshot succeeds.
     */
    List<DatabaseView> beginSnapshot() {
        List<DatabaseView> view = new ArrayList<>();
        try {
            for (String databaseName : new TreeSet<>(listDatabaseNames())) {
                MongoDatabase database = resolveDatabase(databaseName);
                List<CollectionView> collections = new ArrayList<>();
                List<Document> indexDescriptions = new ArrayList<>();
                view.add(new DatabaseView(databaseName, collections, indexDescriptions));
                for (String collectionName : collectionNames(database)) {
                    JournaledCollection collection = (JournaledCollection) database.resolveCollection(collectionName, true);
                    collections.add(new CollectionView(databaseName, collectionName, collection, collection.beginCapture()));
                }
                MongoCollection<?> indexes = database.resolveCollection(JournaledDatabase.INDEXES, false);
                if (indexes != null) {
                    for (Document indexDescription : indexes.queryAll()) {
                        boolean primaryKeyIndex = "_id_".equals(indexDescription.get("name"));
                        if (!primaryKeyIndex) {
                            // a later rename updates the stored description in place
                            indexDescriptions.add(indexDescription.cloneDeeply());
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            endSnapshot(view);
            throw e;
        }
        return view;
    }

    /** Stops every capture of the view that is still running (idempotent). */
    static void endSnapshot(List<DatabaseView> view) {
        for (DatabaseView database : view) {
            for (CollectionView collection : database.collections()) {
                collection.collection().endCapture(collection.capture());
            }
        }
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
