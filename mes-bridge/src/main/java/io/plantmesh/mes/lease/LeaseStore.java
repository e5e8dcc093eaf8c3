package io.plantmesh.mes.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;

import org.bson.Document;
import org.bson.conversions.Bson;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoServerException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;

/**
 * Leases in MongoDB: one document per resource in collection {@value #COLLECTION},
 * {@code {_id: <resource>, owner, acquiredAt, renewedAt, expiresAt, epoch}} (plus {@code releasedAt} once released).
 * <p>
 * Every change is one atomic conditional write whose filter states the precondition, so two instances racing for
 * a resource cannot both win, on a real MongoDB as on the embedded store:
 * <ul>
 *   <li>first acquisition: {@code insertOne} with epoch 1; a duplicate-key error means another instance inserted
 *       first, i.e. holds it;</li>
 *   <li>acquisition after expiry or release: {@code findOneAndUpdate} filtered on {@code _id, expiresAt <= now},
 *       {@code $inc epoch}; no match means another instance holds it;</li>
 *   <li>renewal: {@code findOneAndUpdate} filtered on {@code _id, owner == me, expiresAt > now} (and the epoch, in
 *       {@link #renew}); the epoch stays.</li>
 * </ul>
 * {@link #tryAcquire} first reads the document to choose which of these writes to try; the read decides nothing.
 * (Not one {@code findOneAndUpdate} on {@code owner == me OR expired} with upsert: a renewal and a new acquisition
 * must change the epoch differently, which one update without an aggregation pipeline cannot express; and a
 * refused upsert, a duplicate-key error on every round of every standby instance, makes mongo-java-server log an
 * ERROR with a stack trace each time.)
 * <p>
 * Release keeps the document (owner removed, {@code expiresAt} set to 1970) so the epoch never goes back; never delete
 * documents from this collection, or fencing tokens restart at 1. A lease is live while {@code now < expiresAt},
 * and free from {@code expiresAt} on.
 * <p>
 * Time comes from the {@link Clock} given here (millisecond precision, as BSON dates); see {@link LeaseSettings} for
 * how far apart the clocks of instances may be. Methods block on MongoDB: call them off the event loop.
 * Thread-safe.
 */
public final class LeaseStore {

    /** The collection holding the leases. */
    public static final String COLLECTION = "mes_leases";

    private static final String OWNER = "owner";
    private static final String ACQUIRED_AT = "acquiredAt";
    private static final String RENEWED_AT = "renewedAt";
    private static final String EXPIRES_AT = "expiresAt";
    private static final String RELEASED_AT = "releasedAt";
    private static final String EPOCH = "epoch";

    private static final FindOneAndUpdateOptions RETURN_UPDATED =
        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER);

    private final MongoCollection<Document> leases;
    private final Clock clock;

    private LeaseStore(MongoDatabase database, Clock clock) {
        this.leases = database.getCollection(COLLECTION);
        this.clock = clock;
    }

    /** Leases in {@code database}.{@value #COLLECTION}, timed by {@code clock}. */
    public static LeaseStore create(MongoDatabase database, Clock clock) {
        return new LeaseStore(Objects.requireNonNull(database, "database"), Objects.requireNonNull(clock, "clock"));
    }

    /** Leases in {@code database}.{@value #COLLECTION}, timed by the system clock (UTC). */
    public static LeaseStore create(MongoDatabase database) {
        return create(database, Clock.systemUTC());
    }

    /** The clock every expiry is computed and compared with. */
    public Clock clock() {
        return clock;
    }

    /**
     * Acquires {@code resource} for {@code owner} if it is free, expired or released, with a new, higher epoch; or
     * renews it, keeping its epoch, if {@code owner} holds it already and it has not expired.
     *
     * @return the lease, valid until its {@code expiresAt}; empty if another owner holds a live lease on it
     * @throws com.mongodb.MongoException if MongoDB cannot be reached or refuses for another reason
     */
    public Optional<Lease> tryAcquire(String resource, String owner, Duration ttl) {
        requireId(resource, "resource");
        requireId(owner, "owner");
        requireTtl(ttl);
        Instant now = now();
        // the read only picks which conditional write to try; the writes alone decide who holds the lease
        Document existing = leases.find(Filters.eq("_id", resource)).first();
        if (existing == null) {
            return insertFirstLease(resource, owner, now, ttl);
        }
        Date expiresAt = existing.getDate(EXPIRES_AT);
        boolean live = expiresAt != null && expiresAt.toInstant().isAfter(now);
        boolean ours = owner.equals(existing.getString(OWNER));
        if (live && !ours) {
            return Optional.empty();
        }
        if (live) {
            Bson liveAndOurs = Filters.and(Filters.eq("_id", resource), Filters.eq(OWNER, owner),
                Filters.gt(EXPIRES_AT, Date.from(now)));
            Document renewed = leases.findOneAndUpdate(liveAndOurs, renewal(now, ttl), RETURN_UPDATED);
            if (renewed != null) {
                return Optional.of(toLease(renewed));
            }
        }
        Bson expired = Filters.and(Filters.eq("_id", resource), Filters.lte(EXPIRES_AT, Date.from(now)));
        Bson acquisition = Updates.combine(
            Updates.set(OWNER, owner),
            Updates.set(ACQUIRED_AT, Date.from(now)),
            Updates.set(RENEWED_AT, Date.from(now)),
            Updates.set(EXPIRES_AT, Date.from(now.plus(ttl))),
            Updates.unset(RELEASED_AT),
            Updates.inc(EPOCH, 1L));
        Document taken = leases.findOneAndUpdate(expired, acquisition, RETURN_UPDATED);
        return Optional.ofNullable(taken).map(LeaseStore::toLease);
    }

    private Optional<Lease> insertFirstLease(String resource, String owner, Instant now, Duration ttl) {
        Document first = new Document("_id", resource)
            .append(OWNER, owner)
            .append(ACQUIRED_AT, Date.from(now))
            .append(RENEWED_AT, Date.from(now))
            .append(EXPIRES_AT, Date.from(now.plus(ttl)))
            .append(EPOCH, 1L);
        try {
            leases.insertOne(first);
            return Optional.of(toLease(first));
        } catch (MongoServerException e) {
            boolean insertedByAnother = ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY;
            if (insertedByAnother) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Extends {@code lease} by {@code ttl} from now if it is still the same tenure (owner and epoch) and has not
     * expired.
     *
     * @return the renewed lease (same epoch, later {@code expiresAt}); empty if it expired, was released or was taken
     *     over, in which case its holder must stop acting on the resource
     * @throws com.mongodb.MongoException if MongoDB cannot be reached or refuses for another reason
     */
    public Optional<Lease> renew(Lease lease, Duration ttl) {
        Objects.requireNonNull(lease, "lease");
        requireTtl(ttl);
        Instant now = now();
        Bson sameTenureAndLive = Filters.and(Filters.eq("_id", lease.resource()), Filters.eq(OWNER, lease.owner()),
            Filters.eq(EPOCH, lease.epoch()), Filters.gt(EXPIRES_AT, Date.from(now)));
        Document renewed = leases.findOneAndUpdate(sameTenureAndLive, renewal(now, ttl), RETURN_UPDATED);
        return Optional.ofNullable(renewed).map(LeaseStore::toLease);
    }

    /**
     * Gives {@code resource} up if {@code owner} holds it (expired or not), so that another instance can take it at
     * once, whatever its clock says. The epoch is kept, so the next holder gets a higher one.
     *
     * @return whether {@code owner} held it
     * @throws com.mongodb.MongoException if MongoDB cannot be reached or refuses for another reason
     */
    public boolean release(String resource, String owner) {
        requireId(resource, "resource");
        requireId(owner, "owner");
        Bson ours = Filters.and(Filters.eq("_id", resource), Filters.eq(OWNER, owner));
        Bson giveUp = Updates.combine(
            Updates.unset(OWNER),
            Updates.set(EXPIRES_AT, Date.from(Instant.EPOCH)),
            Updates.set(RELEASED_AT, Date.from(now())));
        return leases.updateOne(ours, giveUp).getMatchedCount() > 0;
    }

    /**
     * The live lease on {@code resource} by this store's clock.
     *
     * @return empty if nobody holds it, or its lease expired or was released
     * @throws com.mongodb.MongoException if MongoDB cannot be reached or refuses for another reason
     */
    public Optional<Lease> current(String resource) {
        requireId(resource, "resource");
        Document document = leases.find(Filters.eq("_id", resource)).first();
        boolean held = document != null && document.getString(OWNER) != null;
        if (!held) {
            return Optional.empty();
        }
        Lease lease = toLease(document);
        return lease.expiresAt().isAfter(now()) ? Optional.of(lease) : Optional.empty();
    }

    private Instant now() {
        // BSON dates carry milliseconds; truncating keeps what is compared equal to what is stored
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Bson renewal(Instant now, Duration ttl) {
        return Updates.combine(
            Updates.set(RENEWED_AT, Date.from(now)),
            Updates.set(EXPIRES_AT, Date.from(now.plus(ttl))));
    }

    private static Lease toLease(Document document) {
        Object epoch = document.get(EPOCH);
        if (!(epoch instanceof Number number)) {
            throw new IllegalStateException("Lease document " + document.toJson() + " in " + COLLECTION
                + " has no numeric epoch; it was not written by LeaseStore. Remove it only if no instance runs.");
        }
        return new Lease(document.getString("_id"), document.getString(OWNER), number.longValue(),
            document.getDate(EXPIRES_AT).toInstant());
    }

    private static void requireId(String value, String what) {
        boolean given = value != null && !value.isBlank();
        if (!given) {
            throw new IllegalArgumentException(what + " must be a non-blank id, was '" + value + "'");
        }
    }

    private static void requireTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        boolean longEnough = ttl.toMillis() > 0;
        if (!longEnough) {
            throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
        }
    }
}
