package io.plantmesh.store.embedded;

import java.util.Objects;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One state change of the store: a resulting document or a catalog change, never a command to re-evaluate.
 * Encoded as one type byte followed by one BSON document (written with mongo-java-server's own wire codec,
 * so every value the server can hold round-trips).
 */
record JournalRecord(Type type, Document body) {

    enum Type {
        CREATE_COLLECTION(1),
        DROP_COLLECTION(2),
        CREATE_INDEX(3),
        DROP_INDEX(4),
        RENAME_COLLECTION(5),
        DROP_DATABASE(6),
        INSERT(10),
        UPDATE(11),
        DELETE(12),
        SNAPSHOT_END(20);

        final byte code;

        Type(int code) {
            this.code = (byte) code;
        }

        static Type fromCode(byte code) {
            for (Type type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown journal record type " + code);
        }
    }

    static final String DB = "db";
    static final String COLLECTION = "c";
    static final String DOCUMENT = "doc";
    static final String ID = "id";
    static final String INDEX = "index";
    static final String TO = "to";

    JournalRecord {
        Objects.requireNonNull(type);
        Objects.requireNonNull(body);
    }

    static JournalRecord createCollection(String db, String collection) {
        return new JournalRecord(Type.CREATE_COLLECTION, new Document(DB, db).append(COLLECTION, collection));
    }

    static JournalRecord dropCollection(String db, String collection) {
        return new JournalRecord(Type.DROP_COLLECTION, new Document(DB, db).append(COLLECTION, collection));
    }

    static JournalRecord createIndex(String db, Document indexDescription) {
        return new JournalRecord(Type.CREATE_INDEX, new Document(DB, db).append(INDEX, indexDescription));
    }

    static JournalRecord dropIndex(String db, String collection, String indexName) {
        return new JournalRecord(Type.DROP_INDEX, new Document(DB, db).append(COLLECTION, collection).append(INDEX, indexName));
    }

    static JournalRecord renameCollection(String fromNamespace, String toNamespace) {
        return new JournalRecord(Type.RENAME_COLLECTION, new Document(COLLECTION, fromNamespace).append(TO, toNamespace));
    }

    static JournalRecord dropDatabase(String db) {
        return new JournalRecord(Type.DROP_DATABASE, new Document(DB, db));
    }

    static JournalRecord insert(String db, String collection, Document document) {
        return new JournalRecord(Type.INSERT, new Document(DB, db).append(COLLECTION, collection).append(DOCUMENT, document));
    }

    static JournalRecord update(String db, String collection, Document document) {
        return new JournalRecord(Type.UPDATE, new Document(DB, db).append(COLLECTION, collection).append(DOCUMENT, document));
    }

    static JournalRecord delete(String db, String collection, Object id) {
        return new JournalRecord(Type.DELETE, new Document(DB, db).append(COLLECTION, collection).append(ID, id));
    }

    static JournalRecord snapshotEnd(long records) {
        return new JournalRecord(Type.SNAPSHOT_END, new Document("records", records));
    }

    String db() {
        return (String) body.get(DB);
    }

    String collection() {
        return (String) body.get(COLLECTION);
    }

    Document document() {
        return (Document) body.get(DOCUMENT);
    }

    /** The payload: type byte + BSON. The document is serialised now, so later in-place changes do not leak in. */
    byte[] encode() {
        ByteBuf buffer = Unpooled.buffer(256);
        try {
            buffer.writeByte(type.code);
            BsonEncoder.encodeDocument(body, buffer);
            byte[] payload = new byte[buffer.readableBytes()];
            buffer.readBytes(payload);
            return payload;
        } finally {
            buffer.release();
        }
    }

    static JournalRecord decode(byte[] payload) {
        ByteBuf buffer = Unpooled.wrappedBuffer(payload);
        Type type = Type.fromCode(buffer.readByte());
        Document body = BsonDecoder.decodeBson(buffer);
        if (buffer.isReadable()) {
            throw new IllegalArgumentException(buffer.readableBytes() + " trailing bytes after journal record " + type);
        }
        return new JournalRecord(type, body);
    }
}
