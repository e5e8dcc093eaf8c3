package io.plantmesh.store.embedded;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A memory collection that reports every physical change (document added, replaced in place, removed) with
 * the resulting document, and can re-apply such a change without evaluating anything.
 * The library calls these hooks inside its synchronized collection methods, so per collection the journal
 * order is the execution order; across collections the store's write lock provides it.
 */
final class JournaledCollection extends MemoryCollection {

    private final MutationRecorder recorder;

    JournaledCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                        CursorRegistry cursorRegistry, MutationRecorder recorder) {
        super(database, collectionName, options, cursorRegistry);
        this.recorder = recorder;
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
        Integer position = super.addDocumentInternal(document);
        // the _id is already generated here, so replay inserts exactly this document
        recorder.record(JournalRecord.insert(getDatabaseName(), getCollectionName(), document));
        return position;
    }

    @Override
    protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument);
        recorder.record(JournalRecord.update(getDatabaseName(), getCollectionName(), newDocument));
    }

    @Override
    protected void removeDocument(Integer position) {
        Object id = getDocument(position).get(getIdField());
        super.removeDocument(position);
        recorder.record(JournalRecord.delete(getDatabaseName(), getCollectionName(), id));
    }

    synchronized void replayInsert(Document document) {
        addDocument(document);
    }

    /** Replaces the stored document in place, exactly as the library's update path does, keeping its position. */
    synchronized void replayUpdate(Document newDocument) {
        Integer position = positionOf(newDocument.get(getIdField()));
        Document stored = getDocument(position);
        Document oldDocument = stored.cloneDeeply();
        for (Index<Integer> index : getIndexes()) {
            index.checkUpdate(oldDocument, newDocument, this);
        }
        for (Index<Integer> index : getIndexes()) {
            index.updateInPlace(oldDocument, newDocument, position, this);
        }
        updateDataSize(bsonSize(newDocument) - bsonSize(oldDocument));
        // same field order as the original in-place update: kept fields stay, new ones are appended
        stored.keySet().retainAll(newDocument.keySet());
        stored.putAll(newDocument);
    }

    synchronized void replayDelete(Object id) {
        Integer position = positionOf(id);
        removeDocument(getDocument(position));
    }

    private Integer positionOf(Object id) {
        Index<Integer> idIndex = getIndexes().stream()
            .filter(index -> index.getKeys().size() == 1 && index.getKeys().get(0).getKey().equals(getIdField()))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException(getFullName() + " has no _id index"));
        Integer position = idIndex.getPosition(new Document(getIdField(), id));
        if (position == null) {
            throw new IllegalStateException("journal refers to a missing document " + id + " in " + getFullName());
        }
        return position;
    }

    private static int bsonSize(Document document) {
        ByteBuf buffer = Unpooled.buffer();
        try {
            BsonEncoder.encodeDocument(document, buffer);
            return buffer.writerIndex();
        } finally {
            buffer.release();
        }
    }
}
