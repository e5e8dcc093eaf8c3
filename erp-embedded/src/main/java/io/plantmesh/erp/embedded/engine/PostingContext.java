package io.plantmesh.erp.embedded.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

import org.bson.Document;

/**
 * What a command executes against: the head state, the settings, the plant time of the posting, the user, and the
 * write set that becomes the posting's journal entry.
 */
public final class PostingContext {

    /** One document to store (replacing the one with the same {@code _id}). */
    record Write(String collection, Document document) {
    }

    private final ErpState state;
    private final ErpSettings settings;
    private final Instant now;
    private final String user;
    private final long sequence;
    private final List<Write> writes = new ArrayList<>();

    PostingContext(ErpState state, ErpSettings settings, Instant now, String user, long sequence) {
        this.state = state;
        this.settings = settings;
        this.now = now;
        this.user = user;
        this.sequence = sequence;
    }

    public ErpState state() {
        return state;
    }

    public ErpSettings settings() {
        return settings;
    }

    /** The plant time of this posting. */
    public Instant now() {
        return now;
    }

    /** {@link #now()} as a BSON date. */
    public Date nowDate() {
        return Date.from(now);
    }

    /** The posting day (UTC). */
    public LocalDate today() {
        return now.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** The time of day of the posting (UTC). */
    public LocalTime timeOfDay() {
        return now.atOffset(ZoneOffset.UTC).toLocalTime();
    }

    /** The user who posts (SAP's {@code CreatedByUser}). */
    public String user() {
        return user;
    }

    /** The journal sequence this posting gets if it is committed. */
    public long sequence() {
        return sequence;
    }

    /** Stores {@code document} in {@code collection} when the posting commits (replacing by {@code _id}). */
    public void write(String collection, Document document) {
        Objects.requireNonNull(document.get("_id"), "document _id");
        writes.add(new Write(collection, document));
    }

    /** The next number of {@code counter}, starting at {@code first}; never handed out twice, also across restarts. */
    public long nextNumber(String counter, long first) {
        long next = state.counter(counter, first) + 1;
        state.putCounter(counter, next);
        write(ErpStore.COUNTERS, new Document("_id", counter).append("value", next));
        return next;
    }

    List<Write> writes() {
        return writes;
    }
}
