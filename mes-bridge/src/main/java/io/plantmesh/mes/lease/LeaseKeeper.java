package io.plantmesh.mes.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Keeps one instance's leases on a fixed set of resources (the lines it is configured for): every
 * {@link LeaseSettings#renewInterval()} it renews what it holds and tries to acquire what it does not, and tells a
 * {@link LeaseListener} when it gains or loses a resource.
 * <p>
 * A held lease counts as lost as soon as a renewal is refused, or when it was not renewed before
 * {@code expiresAt - safetyMargin} (MongoDB slow or unreachable: errors alone do not give a lease up early), so this
 * instance stops before any other instance can take the resource over. {@link #holds(String)} answers from this
 * keeper's own state and clock with the same margin, without a round trip; callers check it before each action.
 * <p>
 * Threads: MongoDB calls run on a dedicated worker thread of the keeper, never on an event loop, one round at a
 * time (a round still running when the next is due makes that one skip). State changes and listener calls happen on
 * the keeper's context: the Vert.x context {@link #create} was called on, or a new event-loop context when it was
 * called outside Vert.x. {@link #holds}, {@link #lease} and {@link #heldResources} may be called from any thread.
 * <p>
 * The owner id must be unique per running instance (e.g. host, pid and a random part): two keepers with the same owner
 * would renew each other's leases.
 */
public final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Vertx vertx;
    private final Context context;
    private final LeaseStore store;
    private final String owner;
    private final List<String> resources;
    private final LeaseSettings settings;
    private final LeaseListener listener;
    private final Clock clock;
    private final WorkerExecutor worker;

    /** Written on the context only; read from any thread. */
    private final Map<String, Lease> held = new ConcurrentHashMap<>();

    // everything below: context only
    private final Map<String, Long> deadlineTimers = new HashMap<>();
    private long roundTimer = -1;
    private Future<Void> roundInFlight = Future.succeededFuture();
    private boolean started;
    private boolean renewing;
    private boolean storeFailing;
    private Future<Void> closing;

    private LeaseKeeper(Vertx vertx, LeaseStore store, String owner, List<String> resources, LeaseSettings settings,
                        LeaseListener listener) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.store = store;
        this.owner = owner;
        this.resources = resources;
        this.settings = settings;
        this.listener = listener;
        this.clock = store.clock();
        this.worker = vertx.createSharedWorkerExecutor("plantmesh-lease-keeper-" + owner, 1);
    }

    /**
     * Returns an unstarted keeper; call {@link #start()}, and {@link #close()} when done (also if start failed).
     *
     * @param owner     this instance's id, unique among running instances
     * @param resources the resources (line thing ids) this instance is configured for
     * @param listener  called on the keeper's context (see the class comment)
     */
    public static LeaseKeeper create(Vertx vertx, LeaseStore store, String owner, Collection<String> resources,
                                     LeaseSettings settings, LeaseListener listener) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(resources, "resources");
        boolean ownerGiven = owner != null && !owner.isBlank();
        if (!ownerGiven) {
            throw new IllegalArgumentException("owner must be a non-blank instance id, was '" + owner + "'");
        }
        Set<String> distinct = new LinkedHashSet<>(resources);
        boolean allNamed = distinct.stream().allMatch(resource -> resource != null && !resource.isBlank());
        if (distinct.isEmpty() || !allNamed) {
            throw new IllegalArgumentException("resources must be one or more non-blank ids (line thing ids), were "
                + resources);
        }
        return new LeaseKeeper(vertx, store, owner, List.copyOf(distinct), settings, listener);
    }

    /** Starts the first round at once and then one every renew interval. Idempotent. */
    public void start() {
        context.runOnContext(ignored -> {
            if (started || closing != null) {
                return;
            }
            started = true;
            renewing = true;
            log.info("Lease keeper {} started for {} (ttl {}, renewal every {}, safety margin {})",
                owner, resources, settings.ttl(), settings.renewInterval(), settings.safetyMargin());
            runRound();
            roundTimer = vertx.setPeriodic(settings.renewInterval().toMillis(), id -> runRound());
        });
    }

    /** This instance's id. */
    public String owner() {
        return owner;
    }

    /** Whether this instance holds {@code resource} now, with the safety margin; any thread, no round trip. */
    public boolean holds(String resource) {
        return lease(resource).isPresent();
    }

    /**
     * The lease this instance holds on {@code resource} now, with the safety margin (its epoch is the fencing token to
     * stamp decisions with); any thread, no round trip.
     */
    public Optional<Lease> lease(String resource) {
        Lease lease = held.get(resource);
        boolean usable = lease != null && clock.instant().isBefore(deadline(lease));
        return usable ? Optional.of(lease) : Optional.empty();
    }

    /** The resources {@link #holds(String)} is true for now. */
    public Set<String> heldResources() {
        Set<String> result = new LinkedHashSet<>();
        for (String resource : resources) {
            if (holds(resource)) {
                result.add(resource);
            }
        }
        return result;
    }

    /**
     * Stops renewing, tells the listener every held resource is lost, then releases every lease of this owner on the
     * configured resources (best effort: failures are logged; an unreleased lease expires after its ttl) so another
     * instance can take them over at once. Idempotent. Call it before closing the Vert.x instance: it runs on the
     * keeper's context.
     *
     * @return completed when the releases were attempted and the keeper's worker thread is gone; never failed
     */
    public Future<Void> close() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(ignored -> {
            if (closing == null) {
                closing = shutDown();
            }
            closing.onComplete(done);
        });
        return done.future();
    }

    /**
     * Tests only: stops renewing and releases nothing, as if this instance froze or lost MongoDB; held leases then run
     * out at their safety deadline as they would in such an instance ({@link #holds} turns false, the listener hears
     * of the loss). {@link #close()} still works afterwards.
     */
    public void crash() {
        context.runOnContext(ignored -> {
            renewing = false;
            vertx.cancelTimer(roundTimer);
            log.info("Lease keeper {} stops renewing (simulated crash)", owner);
        });
    }

    private Future<Void> shutDown() {
        renewing = false;
        vertx.cancelTimer(roundTimer);
        for (String resource : List.copyOf(held.keySet())) {
            lose(resource, "released: the keeper is closing");
        }
        // after the round in flight, so nothing it acquires stays behind unreleased
        Promise<Void> released = Promise.promise();
        roundInFlight.onComplete(ignored -> worker.<Void>executeBlocking(() -> {
            releaseAll();
            return null;
        }, true).onComplete(releasing -> {
            worker.close().onComplete(closed -> {
                log.info("Lease keeper {} closed", owner);
                released.complete();
            });
        }));
        return released.future();
    }

    private void releaseAll() {
        for (String resource : resources) {
            try {
                store.release(resource, owner);
            } catch (RuntimeException e) {
                log.warn("Lease keeper {} could not release its lease on {} ({}); it expires after the ttl of {} instead",
                    owner, resource, e.toString(), settings.ttl());
            }
        }
    }

    private void runRound() {
        if (!renewing) {
            return;
        }
        if (!roundInFlight.isComplete()) {
            log.debug("Lease keeper {}: the previous round is still running, skipping this one", owner);
            return;
        }
        Map<String, Lease> before = Map.copyOf(held);
        roundInFlight = worker.executeBlocking(() -> contactStore(before), true)
            .map(firstFailure -> {
                reportStoreHealth(firstFailure.orElse(null));
                return (Void) null;
            })
            .recover(failure -> {
                log.error("Lease keeper {}: a round failed unexpectedly; the next one retries", owner, failure);
                return Future.succeededFuture();
            });
    }

    /**
     * Worker thread: one call per resource, renewing what was held when the round started and acquiring the rest;
     * each answer goes to the context at once (a renewal must not wait for the other resources' calls).
     *
     * @return the first failure of this round, if any
     */
    private Optional<RuntimeException> contactStore(Map<String, Lease> before) {
        RuntimeException firstFailure = null;
        for (String resource : resources) {
            Lease mine = before.get(resource);
            try {
                Optional<Lease> result = mine != null
                    ? store.renew(mine, settings.ttl())
                    : store.tryAcquire(resource, owner, settings.ttl());
                context.runOnContext(ignored -> applyOne(new Outcome(resource, mine, result)));
            } catch (RuntimeException e) {
                // not a loss by itself: the safety deadline decides, as the lease may still be ours in the store
                firstFailure = firstFailure == null ? e : firstFailure;
            }
        }
        return Optional.ofNullable(firstFailure);
    }

    private void applyOne(Outcome outcome) {
        if (!renewing) {
            // closing or crashed: close() releases whatever the store gave this round
            return;
        }
        String resource = outcome.resource();
        Lease current = held.get(resource);
        boolean stillTheLeaseRenewed = current != null && outcome.before() != null
            && current.epoch() == outcome.before().epoch();
        if (outcome.result().isEmpty()) {
            if (stillTheLeaseRenewed) {
                lose(resource, "renewal refused: the lease was taken over, released or had expired in the store");
            }
            return;
        }
        Lease lease = outcome.result().get();
        boolean usable = clock.instant().isBefore(deadline(lease));
        if (!usable) {
            // the answer took so long that the lease is past its safety deadline already
            if (current != null) {
                lose(resource, "the store answered after the safety deadline of epoch " + lease.epoch());
            }
            return;
        }
        boolean sameTenure = current != null && current.epoch() == lease.epoch();
        if (sameTenure) {
            held.put(resource, lease);
            watchDeadline(lease);
            return;
        }
        if (current != null) {
            lose(resource, "superseded by epoch " + lease.epoch());
        }
        held.put(resource, lease);
        watchDeadline(lease);
        log.info("Lease acquired: owner {} resource {} epoch {} (expires {})", owner, resource, lease.epoch(),
            lease.expiresAt());
        try {
            listener.onAcquired(lease);
        } catch (RuntimeException e) {
            log.error("Lease listener of {} failed in onAcquired for {}", owner, resource, e);
        }
    }

    private void watchDeadline(Lease lease) {
        Long previous = deadlineTimers.remove(lease.resource());
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
        long delay = Math.max(1, Duration.between(clock.instant(), deadline(lease)).toMillis() + 1);
        long timer = vertx.setTimer(delay, id -> {
            deadlineTimers.remove(lease.resource(), id);
            Lease current = held.get(lease.resource());
            boolean sameLease = current != null && current.epoch() == lease.epoch()
                && current.expiresAt().equals(lease.expiresAt());
            if (!sameLease) {
                return;
            }
            if (clock.instant().isBefore(deadline(current))) {
                // timers and the clock may disagree by a millisecond or so
                watchDeadline(current);
                return;
            }
            lose(lease.resource(), "not renewed before expiresAt " + current.expiresAt() + " minus the safety margin "
                + settings.safetyMargin() + " (is MongoDB reachable?)");
        });
        deadlineTimers.put(lease.resource(), timer);
    }

    private void lose(String resource, String why) {
        Lease lease = held.remove(resource);
        Long timer = deadlineTimers.remove(resource);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        if (lease == null) {
            return;
        }
        log.info("Lease lost: owner {} resource {} epoch {} ({})", owner, resource, lease.epoch(), why);
        try {
            listener.onLost(resource, why);
        } catch (RuntimeException e) {
            log.error("Lease listener of {} failed in onLost for {}", owner, resource, e);
        }
    }

    private void reportStoreHealth(RuntimeException firstFailure) {
        if (firstFailure != null && !storeFailing) {
            log.warn("Lease keeper {} cannot reach the lease store ({}); held leases count as lost at expiresAt - {} "
                + "unless renewed; check the MongoDB connection", owner, firstFailure.toString(), settings.safetyMargin());
        } else if (firstFailure == null && storeFailing) {
            log.info("Lease keeper {} reaches the lease store again", owner);
        }
        storeFailing = firstFailure != null;
    }

    private Instant deadline(Lease lease) {
        return lease.expiresAt().minus(settings.safetyMargin());
    }

    private record Outcome(String resource, Lease before, Optional<Lease> result) {
    }
}
