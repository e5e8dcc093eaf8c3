package io.plantmesh.store.embedded;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p>
 * While a snapshot reads the collection it also keeps, per slot, the state the slot had when the snapshot began
 * (copy-on-write, see {@link Capture}), so the snapshot is a point-in-time view although writers go on.
 */
final class JournaledCollection extends MemoryCollection {

    /** Pre-image of a slot that was empty when the capture began (compared by identity). */
    private static final Document EMPTY_SLOT = new Document();

    private final MutationRecorder recorder;
    /** Slots in the library's document list: it only grows, by appending, and every append passes through here. */
    private int slots;
    /** The snapshot capture in progress, or null; guarded by this collection's monitor like the documents. */
    private Capture capture;

    JournaledCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                        CursorRegistry cursorRegistry, MutationRecorder recorder) {
        super(database, collectionName, options, cursorRegistry);
        this.recorder = recorder;
    }

    @Override
    protected Integer addDocumentInternal(Document document) {
        Integer position = super.addDocumentInternal(document);
        slots = Math.max(slots, position + 1);
        if (capture != null) {
            // the library only ever fills an empty slot or appends one
            capture.beforeChange(position, EMPTY_SLOT);
        }
        // the _id is already generated here, so replay inserts exactly this document
        recorder.record(JournalRecord.insert(getDatabaseName(), getCollectionName(), document));
        return position;
    }

    @Override
    protected void handleUpdate(Integer position, Document oldDocument, Document newDocument) {
        super.handleUpdate(position, oldDocument, newDocument);
        if (capture != null) {
            // oldDocument is the library's deep clone taken before the in-place change, referenced nowhere else
            capture.beforeChange(position, oldDocument);
        }
        recorder.record(JournalRecord.update(getDatabaseName(), getCollectionName(), newDocument));
    }

    @Override
    protected void removeDocument(Integer position) {
        Document removed = getDocument(position);
        Object id = removed.get(getIdField());
        if (capture != null) {
            // once out of the list nothing changes the removed document any more
            capture.beforeChange(position, removed);
        }
        super.removeDocument(position);
        recorder.record(JournalRecord.delete(getDatabaseName(), getCollectionName(), id));
    }

    /**
     * Starts a point-in-time capture: from now until the capture has read a slot, the first change to that slot
     * keeps the slot's previous state for it. Called with the store's write lock held, so no write is half done.
     */
    synchronized Capture beginCapture() {
        if (capture != null) {
            throw new IllegalStateException("a snapshot capture of " + getFullName() + " is already running");
        }
        capture = new Capture(slots);
        return capture;
    }

    /**
     * Encodes the next documents of the capture as snapshot INSERT records (under {@code db.collection}, the names
     * at the capture's start), as they were when it began, until about {@code maxBytes} or {@code maxSlots}.
     * Holds the collection's monitor only for this chunk, so writers wait at most one chunk.
     *
     * @return false once the capture has read every slot (it is then ended)
     */
    synchronized boolean readCaptured(Capture reading, String db, String collection, int maxBytes, int maxSlots,
                                      List<byte[]> out) {
        if (capture != reading) {
            throw new IllegalStateException("the snapshot capture of " + getFullName() + " is no longer running");
        }
        int bytes = 0;
        int end = (int) Math.min(reading.limit, (long) reading.next + maxSlots);
        while (reading.next < end && bytes < maxBytes) {
            int position = reading.next++;
            Document state = reading.preImages.remove(position);
            if (state == null) {
                // unchanged since the capture began (a change would have left its pre-image)
                state = getDocument(position);
            }
            if (state == null || state == EMPTY_SLOT) {
                continue;
            }
            byte[] payload = JournalRecord.insert(db, collection, state).encode();
            out.add(payload);
            bytes += payload.length;
        }
        if (reading.next >= reading.limit) {
            capture = null;
            return false;
        }
        return true;
    }

    /** Ends a capture early (a failed snapshot); idempotent. */
    synchronized void endCapture(Capture ending) {
        if (capture == ending) {
            capture = null;
        }
    }

    /**
     * Slots {@code [0, limit)} existed when the capture began; slots before {@code next} have been read. A slot
     * in {@code [next, limit)} that changes gets its state from before its first change recorded in
     * {@code preImages}, so reading it later still yields the state at the start. Guarded by the collection's monitor.
     */
    static final class Capture {
        private final int limit;
        private int next;
        private final Map<Integer, Document> preImages = new HashMap<>();

        private Capture(int limit) {
            this.limit = limit;
        }

        private void beforeChange(int position, Document previousState) {
            if (position >= next && position < limit) {
                preImages.putIfAbsent(position, previousState);
            }
        }
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
