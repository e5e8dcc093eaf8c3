package io.plantmesh.erp.embedded.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bson.Document;

/**
 * One committed posting: every document it writes, under its sequence number. Inserting the entry into collection
 * {@value ErpStore#JOURNAL} is the commit; applying it to the other collections replaces documents by {@code _id}, so
 * it can be repeated after a crash with the same result.
 */
record JournalEntry(long sequence, Instant at, List<PostingContext.Write> writes) {

    Document toDocument() {
        List<Document> stored = new ArrayList<>(writes.size());
        for (PostingContext.Write write : writes) {
            stored.add(new Document("c", write.collection()).append("d", write.document()));
        }
        return new Document("_id", sequence).append("at", Date.from(at)).append("writes", stored);
    }

    static JournalEntry fromDocument(Document document) {
        List<PostingContext.Write> writes = new ArrayList<>();
        for (Document write : document.getList("writes", Document.class)) {
            writes.add(new PostingContext.Write(write.getString("c"), write.get("d", Document.class)));
        }
        long sequence = ((Number) document.get("_id")).longValue();
        return new JournalEntry(sequence, document.getDate("at").toInstant(), writes);
    }
}
