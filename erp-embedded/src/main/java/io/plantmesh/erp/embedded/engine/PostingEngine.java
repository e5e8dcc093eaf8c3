package io.plantmesh.erp.embedded.engine;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.erp.embedded.odata.ODataError;
import io.plantmesh.erp.embedded.odata.Repeatability;
import io.vertx.core.json.JsonObject;

/**
 * The single writer of the ERP's books. Commands are queued; one thread takes everything queued (up to
 * {@value #MAX_BATCH}), executes the commands one after the other on the in-memory head state, and commits the
 * resulting journal entries together with one insert into the journal (group commit, see {@link ErpStore}); once
 * that insert is acknowledged (the embedded store acknowledges a write only when it is forced to disk) the commands
 * are answered, and a second thread applies the entries to the collections in sequence order, many batches at a
 * time. One durable write per batch on the answer's path, no reads: request ids are checked against memory (recent
 * requests, and a hash of every id ever executed; only a hash hit is looked up in the store). One posting thread
 * means stock checks and number assignment need no locks and no compare-and-set; a read of the collections waits
 * until everything committed before it is applied ({@link ReadBarrier}), so a GET after a 201 sees the posting.
 * <p>
 * Repeatability: a command whose {@code Repeatability-Request-ID} was executed before (in this batch, recently, or
 * ever, per the {@value ErpStore#REPEATABILITY} collection) is not executed again; it gets the original response. A
 * refused command (400) leaves no record, so repeating it executes it anew.
 * <p>
 * If MongoDB fails while committing, the batch's callers get 503 (their postings may or may not be committed: a
 * repeat with the same request id tells), and before the next batch the engine stops applying, applies the journal
 * again and reloads the head state (and the id hashes) from the store. A failed apply is retried until it succeeds
 * (the entries are durable in the journal); reads wait meanwhile, at most 30 s.
 */
public final class PostingEngine implements AutoCloseable {

    static final int MAX_BATCH = 512;
    /** Collections written in parallel when entries are applied. */
    private static final int WRITERS = 6;
    /** The journal is pruned when it holds this many applied entries. */
    private static final int PRUNE_EVERY = 1000;
    /** Most entries applied in one go (the applier catches up in large steps when it fell behind). */
    private static final int MAX_APPLY = 4096;
    private static final int MAX_QUEUED = 20_000;
    private static final int RECENT_REPEATS = 20_000;
    private static final long APPLY_RETRY_MS = 200;
    private static final Logger LOG = LoggerFactory.getLogger(PostingEngine.class);

    private record Submission(ErpCommand command, String user, CompletableFuture<PostingResult> result) {
    }

    /** A repeatability record: the response of an executed request. */
    private record Executed(String resource, int status, String location, String body) {

        Posted posted() {
            return new Posted(status, location, new JsonObject(body));
        }

        static Executed fromDocument(Document document) {
            return new Executed(document.getString("resource"), document.getInteger("status"),
                document.getString("location"), document.getString("body"));
        }
    }

    /** A committed entry waiting to be applied, with the request id it answers (or null). */
    private record Committed(JournalEntry entry, String requestId) {
    }

    private final ErpStore store;
    private final ErpSettings settings;
    private final Clock clock;
    private final LinkedBlockingQueue<Submission> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    /** Recently executed request ids (posting thread only). */
    private final Map<String, Executed> recent = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Executed> eldest) {
            return size() > RECENT_REPEATS;
        }
    };
    /** Request ids committed but maybe not applied yet: never evicted before they are applied. */
    private final Map<String, Executed> unapplied = new ConcurrentHashMap<>();
    private final Thread thread;
    private final Thread applier;
    private final ExecutorService writers;
    private final ReadBarrier barrier;
    /** Guards {@link #toApply}, {@link #applying} and {@link #applyGeneration}. */
    private final Object applyLock = new Object();
    private final ArrayDeque<Committed> toApply = new ArrayDeque<>();
    private boolean applying;
    private long applyGeneration;
    private long lastPruned;
    private volatile boolean running = true;
    private volatile Runnable faultAfterCommit;
    private ErpState state;
    /** Hashes of every request id with a committed record (posting thread only). */
    private Set<Long> requestIdHashes;
    private boolean stale;

    private PostingEngine(ErpStore store, ErpSettings settings, Clock clock, ErpState state, Set<Long> hashes,
            ExecutorService writers) {
        this.store = store;
        this.writers = writers;
        this.barrier = store.barrier();
        this.lastPruned = state.lastSequence();
        this.settings = settings;
        this.clock = clock;
        this.state = state;
        this.requestIdHashes = hashes;
        this.thread = new Thread(this::run, "erp-posting");
        this.thread.setDaemon(true);
        this.applier = new Thread(this::applyLoop, "erp-apply");
        this.applier.setDaemon(true);
    }

    /**
     * Applies what an interrupted run left in the journal, loads the head state and starts the posting thread.
     * Blocks on MongoDB.
     *
     * @throws com.mongodb.MongoException if the store cannot be read
     */
    public static PostingEngine start(ErpStore store, ErpSettings settings, Clock clock) {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS, runnable -> {
            Thread thread = new Thread(runnable, "erp-store-writer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            long last = store.recover(writers);
            ErpState state = store.load(last);
            Set<Long> hashes = store.requestIdHashes();
            store.barrier().applied(last);
            PostingEngine engine = new PostingEngine(Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(clock, "clock"), state, hashes,
                writers);
            engine.applier.start();
            engine.thread.start();
            return engine;
        } catch (RuntimeException e) {
            writers.shutdownNow();
            throw e;
        }
    }

    /**
     * Queues a command; the future completes (on the posting thread) when it is committed, replayed, refused (with
     * {@link ODataError}) or failed (503).
     */
    public CompletableFuture<PostingResult> submit(ErpCommand command, String user) {
        CompletableFuture<PostingResult> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(unavailable("the ERP is shutting down", null));
            return result;
        }
        boolean queued = queue.offer(new Submission(command, user, result));
        if (!queued) {
            result.completeExceptionally(new ODataError(503, ODataError.UNAVAILABLE, "The ERP has " + MAX_QUEUED
                + " postings waiting; retry in a moment (with the same Repeatability-Request-ID).", "", null));
        }
        return result;
    }

    /** Tests only: runs after a batch's journal entries are committed and before they are answered and applied. */
    public void setFaultAfterCommitForTests(Runnable fault) {
        faultAfterCommit = fault;
    }

    private void run() {
        List<Submission> batch = new ArrayList<>();
        while (running) {
            try {
                Submission first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // a defect: fail what is in hand and start over from the store
                LOG.error("ERP posting thread failed; reloading from the store", e);
                failAll(batch, internal(e));
                stale = true;
            }
        }
        List<Submission> left = new ArrayList<>();
        queue.drainTo(left);
        failAll(left, unavailable("the ERP is shutting down", null));
    }

    private void process(List<Submission> batch) throws InterruptedException {
        if (stale && !reload(batch)) {
            return;
        }
        Map<String, Document> stored;
        try {
            stored = store.repeatabilityRecords(idsToLookUp(batch));
        } catch (RuntimeException e) {
            failAll(batch, unavailable("its database did not answer", e));
            return;
        }
        List<Pending> pending = new ArrayList<>();
        Map<String, Pending> pendingById = new HashMap<>();
        long sequence = state.lastSequence();
        boolean defect = false;
        for (Submission submission : batch) {
            Repeatability repeatability = submission.command().repeatability();
            String id = repeatability == null ? null : repeatability.requestId();
            if (id != null) {
                Pending leader = pendingById.get(id);
                if (leader != null) {
                    if (refuseReuse(submission, leader.executed.resource())) {
                        continue;
                    }
                    leader.followers.add(submission);
                    continue;
                }
                Executed earlier = executedBefore(id, stored);
                if (earlier != null) {
                    if (!refuseReuse(submission, earlier.resource())) {
                        submission.result().complete(new PostingResult(earlier.posted(), true));
                    }
                    continue;
                }
            }
            PostingContext context = new PostingContext(state, settings, clock.instant(), submission.user(),
                sequence + 1);
            Posted posted;
            try {
                posted = submission.command().execute(context);
            } catch (ODataError refusal) {
                submission.result().completeExceptionally(refusal);
                continue;
            } catch (RuntimeException e) {
                LOG.error("ERP command {} failed", submission.command().resource(), e);
                submission.result().completeExceptionally(internal(e));
                defect = true;
                continue;
            }
            if (posted == null) {
                submission.result().complete(new PostingResult(null, false));
                continue;
            }
            sequence++;
            context.write(ErpStore.COUNTERS, new Document("_id", ErpStore.SEQUENCE).append("value", sequence));
            Executed executed = new Executed(submission.command().resource(), posted.status(), posted.location(),
                posted.body().encode());
            if (id != null) {
                context.write(ErpStore.REPEATABILITY, repeatabilityRecord(id, repeatability, executed, context));
            }
            Pending entry = new Pending(submission, id, executed, new JournalEntry(sequence, context.now(),
                context.writes()));
            pending.add(entry);
            if (id != null) {
                pendingById.put(id, entry);
            }
        }
        if (!pending.isEmpty()) {
            commit(pending, sequence);
        }
        if (defect) {
            stale = true;
        }
    }

    /** The earlier execution of a request id: in memory, or (only on a hash hit) in the store; null if none. */
    private Executed executedBefore(String id, Map<String, Document> stored) {
        Executed earlier = recent.get(id);
        if (earlier == null) {
            earlier = unapplied.get(id);
        }
        if (earlier == null && stored.containsKey(id)) {
            earlier = Executed.fromDocument(stored.get(id));
        }
        return earlier;
    }

    private final class Pending {
        final Submission submission;
        final String requestId;
        final Executed executed;
        final JournalEntry entry;
        final List<Submission> followers = new ArrayList<>();

        Pending(Submission submission, String requestId, Executed executed, JournalEntry entry) {
            this.submission = submission;
            this.requestId = requestId;
            this.executed = executed;
            this.entry = entry;
        }
    }

    /** Commits the entries (one durable insert), answers them, and hands them to the applier. */
    private void commit(List<Pending> pending, long lastSequence) {
        List<JournalEntry> entries = new ArrayList<>(pending.size());
        pending.forEach(p -> entries.add(p.entry));
        try {
            store.append(entries);
            Runnable fault = faultAfterCommit;
            if (fault != null) {
                fault.run();
            }
        } catch (RuntimeException e) {
            LOG.warn("ERP could not commit {} postings ({}); what was committed is completed from the journal "
                + "before the next posting", pending.size(), e.toString());
            ODataError failure = unavailable("its database did not confirm the posting", e);
            for (Pending p : pending) {
                p.submission.result().completeExceptionally(failure);
                p.followers.forEach(f -> f.result().completeExceptionally(failure));
            }
            stale = true;
            return;
        }
        state.setLastSequence(lastSequence);
        barrier.committed(lastSequence);
        List<Committed> committed = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            if (p.requestId != null) {
                recent.put(p.requestId, p.executed);
                unapplied.put(p.requestId, p.executed);
                requestIdHashes.add(ErpStore.requestIdHash(p.requestId));
            }
            committed.add(new Committed(p.entry, p.requestId));
        }
        synchronized (applyLock) {
            toApply.addAll(committed);
            applyLock.notifyAll();
        }
        for (Pending p : pending) {
            p.submission.result().complete(new PostingResult(p.executed.posted(), false));
            p.followers.forEach(f -> f.result().complete(new PostingResult(p.executed.posted(), true)));
        }
    }

    /** The applier: applies committed entries to the collections in sequence order, retrying until it succeeds. */
    private void applyLoop() {
        while (running || hasWork()) {
            List<Committed> work = new ArrayList<>();
            long generation;
            synchronized (applyLock) {
                while (toApply.isEmpty() && running) {
                    try {
                        applyLock.wait(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                while (!toApply.isEmpty() && work.size() < MAX_APPLY) {
                    work.add(toApply.poll());
                }
                if (work.isEmpty()) {
                    continue;
                }
                applying = true;
                generation = applyGeneration;
            }
            boolean applied = false;
            try {
                List<JournalEntry> entries = new ArrayList<>(work.size());
                work.forEach(c -> entries.add(c.entry()));
                store.apply(entries, writers);
                long last = entries.get(entries.size() - 1).sequence();
                if (last - lastPruned >= PRUNE_EVERY) {
                    store.prune(last);
                    lastPruned = last;
                }
                applied = true;
                barrier.applied(last);
                for (Committed c : work) {
                    if (c.requestId() != null) {
                        unapplied.remove(c.requestId());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("ERP could not apply {} committed postings to its collections ({}); trying again in {} ms "
                    + "(they are safe in the journal)", work.size(), e.toString(), APPLY_RETRY_MS);
            } finally {
                synchronized (applyLock) {
                    applying = false;
                    if (!applied && generation == applyGeneration) {
                        // again, before anything newer
                        for (int i = work.size() - 1; i >= 0; i--) {
                            toApply.addFirst(work.get(i));
                        }
                    }
                    applyLock.notifyAll();
                }
            }
            if (!applied) {
                try {
                    Thread.sleep(APPLY_RETRY_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private boolean hasWork() {
        synchronized (applyLock) {
            return !toApply.isEmpty();
        }
    }

    /**
     * Stops the applier, re-applies the journal and reloads the head state and the id hashes; on failure fails the
     * batch and returns false.
     */
    private boolean reload(List<Submission> batch) throws InterruptedException {
        try {
            synchronized (applyLock) {
                // nothing may be applied concurrently: an older entry applied after a newer one would undo it
                applyGeneration++;
                toApply.clear();
                while (applying) {
                    applyLock.wait();
                }
                long last = store.recover(writers);
                state = store.load(last);
                requestIdHashes = store.requestIdHashes();
                lastPruned = last;
                recent.clear();
                unapplied.clear();
                barrier.applied(last);
                stale = false;
                LOG.info("ERP head state reloaded from the store at sequence {}", last);
            }
            return true;
        } catch (RuntimeException e) {
            failAll(batch, unavailable("its database is not reachable", e));
            // back off a little so that a down database is not hammered by retries
            Thread.sleep(200);
            return false;
        }
    }

    /** Request ids of the batch whose hash says they may have been executed and that are not in memory. */
    private Set<String> idsToLookUp(List<Submission> batch) {
        Set<String> ids = new LinkedHashSet<>();
        for (Submission submission : batch) {
            Repeatability repeatability = submission.command().repeatability();
            if (repeatability == null) {
                continue;
            }
            String id = repeatability.requestId();
            boolean inMemory = recent.containsKey(id) || unapplied.containsKey(id);
            if (!inMemory && requestIdHashes.contains(ErpStore.requestIdHash(id))) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static boolean refuseReuse(Submission submission, String earlierResource) {
        boolean sameResource = earlierResource.equals(submission.command().resource());
        if (sameResource) {
            return false;
        }
        submission.result().completeExceptionally(new ODataError(422, ODataError.REPEATABILITY,
            Repeatability.REQUEST_ID + " " + submission.command().repeatability().requestId() + " was already used "
                + "for a POST to " + earlierResource + "; use a new id for a different request.",
            Repeatability.REQUEST_ID, null));
        return true;
    }

    private static Document repeatabilityRecord(String id, Repeatability repeatability, Executed executed,
            PostingContext context) {
        return new Document("_id", id)
            .append("resource", executed.resource())
            .append("status", executed.status())
            .append("location", executed.location())
            .append("body", executed.body())
            .append("sequence", context.sequence())
            .append("user", context.user())
            .append("firstSent", repeatability.firstSent() == null ? null : Date.from(repeatability.firstSent()))
            .append("executedAt", context.nowDate());
    }

    private static void failAll(List<Submission> submissions, ODataError failure) {
        for (Submission submission : submissions) {
            submission.result().completeExceptionally(failure);
        }
    }

    private static ODataError unavailable(String why, Throwable cause) {
        return new ODataError(503, ODataError.UNAVAILABLE, "The ERP cannot post now: " + why + ". Retry with the "
            + "same Repeatability-Request-ID; a posting that was committed is then answered, not posted again.", "",
            cause);
    }

    private static ODataError internal(Throwable cause) {
        return new ODataError(500, ODataError.INTERNAL, "Internal error of the PlantMesh embedded ERP: " + cause
            + ". Nothing was posted; report it with the ERP's log.", "", cause);
    }

    /**
     * Stops the posting thread after the batch in hand (queued commands fail with 503) and the applier once it has
     * applied what was committed (what it cannot apply in time is applied from the journal at the next start).
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            synchronized (applyLock) {
                applyLock.notifyAll();
            }
            applier.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        applier.interrupt();
        writers.shutdownNow();
    }
}
