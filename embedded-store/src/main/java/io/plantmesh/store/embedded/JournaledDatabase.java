package io.plantmesh.store.embedded;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * A memory database that journals catalog changes (collections, indexes, renames) after they succeeded.
 * Its bookkeeping collections ({@code system.namespaces}, {@code system.indexes}) are not journaled: replaying the
 * catalog changes rebuilds them.
 */
final class JournaledDatabase extends MemoryDatabase {

    static final String NAMESPACES = "system.namespaces";
    static final String INDEXES = "system.indexes";

    /** Null while the superclass constructor opens the bookkeeping collections. */
    private final MutationRecorder recorder;

    JournaledDatabase(String databaseName, CursorRegistry cursorRegistry, MutationRecorder recorder) {
        super(databaseName, cursorRegistry);
        this.recorder = recorder;
    }

    @Override
    protected MemoryCollection openOrCreateCollection(String collectionName, CollectionOptions options) {
        if (recorder == null || isBookkeeping(collectionName)) {
            return super.openOrCreateCollection(collectionName, options);
        }
        // the library implements neither capped collections nor autoIndexId=false, so options are always defaults
        recorder.record(JournalRecord.createCollection(databaseName, collectionName));
        return new JournaledCollection(this, collectionName, options, cursorRegistry, recorder);
    }

    @Override
    public void dropCollection(String collectionName, Oplog oplog) {
        recorder.withoutRecording(() -> super.dropCollection(collectionName, oplog));
        if (!isBookkeeping(collectionName)) {
            recorder.record(JournalRecord.dropCollection(databaseName, collectionName));
        }
    }

    @Override
    protected void addIndex(Document indexDescription) {
        super.addIndex(indexDescription);
        Document key = (Document) indexDescription.get("key");
        // the _id index comes with every collection; replaying the collection creates it
        if (!isPrimaryKeyIndex(key)) {
            recorder.record(JournalRecord.createIndex(databaseName, indexDescription));
        }
    }

    @Override
    protected void dropIndex(MongoCollection<Integer> collection, String indexName) {
        super.dropIndex(collection, indexName);
        recorder.record(JournalRecord.dropIndex(databaseName, collection.getCollectionName(), indexName));
    }

    @Override
    public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection, String newCollectionName) {
        String fromNamespace = collection.getFullName();
        recorder.withoutRecording(() -> super.moveCollection(oldDatabase, collection, newCollectionName));
        recorder.record(JournalRecord.renameCollection(fromNamespace, databaseName + "." + newCollectionName));
    }

    void replayAddIndex(Document indexDescription) {
        addIndex(indexDescription);
    }

    static boolean isBookkeeping(String collectionName) {
        return collectionName.startsWith("system.");
    }
}
