package io.plantmesh.mes.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

import io.vertx.core.Vertx;

/** {@link LeaseKeeper}s on real Vert.x instances over one in-memory MongoDB, with short leases. */
class LeaseKeeperTest {

    private static final List<String> LINES = List.of("plant1:line-1", "plant1:line-2", "plant1:line-3");
    private static final LeaseSettings SHORT = new LeaseSettings(
        Duration.ofMillis(600), Duration.ofMillis(200), Duration.ofMillis(150));
    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final Duration CLOCK_SKEW = Duration.ofMillis(120);

    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<LeaseKeeper> keepers = new ArrayList<>();
    private InMemoryMongo mongo;

    @BeforeEach
    void startMongo() {
        mongo = new InMemoryMongo();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (LeaseKeeper keeper : keepers) {
            keeper.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        for (Vertx vertx : vertxes) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        mongo.close();
    }

    @Test
    void twoInstancesNeverHoldTheSameLineAndOneTakesOverFromACrashedOne() {
        RecordingListener heardByA = new RecordingListener();
        RecordingListener heardByB = new RecordingListener();
        // instance-b's clock runs ahead of instance-a's by less than the safety margin, so it sees instance-a's
        // leases expire early; it polls every 100 ms, so it acquires inside that window (and a keeper without the
        // margin would be caught holding a line together with it)
        LeaseSettings polling = new LeaseSettings(SHORT.ttl(), Duration.ofMillis(100), SHORT.safetyMargin());
        Clock ahead = Clock.offset(Clock.systemUTC(), CLOCK_SKEW);
        LeaseKeeper a = startKeeper("instance-a", LINES, polling, heardByA, Clock.systemUTC());
        await("instance-a holds every line").atMost(BOUND).until(() -> a.heldResources().size() == LINES.size());
        LeaseKeeper b = startKeeper("instance-b", LINES, polling, heardByB, ahead);
        ExclusivitySampler sampler = new ExclusivitySampler(a, b);
        sampler.start();
        try {
            // a few ttls of renewals and competing acquisitions, sampled all along
            sampleFor(SHORT.ttl().multipliedBy(4));
            await("every line held by exactly one instance").atMost(BOUND)
                .until(() -> LINES.stream().allMatch(line -> a.holds(line) ^ b.holds(line)));

            // instance-a, unless load made it lose every line to instance-b meanwhile
            boolean aHoldsSome = !a.heldResources().isEmpty();
            LeaseKeeper victim = aHoldsSome ? a : b;
            LeaseKeeper survivor = aHoldsSome ? b : a;
            RecordingListener heardByVictim = aHoldsSome ? heardByA : heardByB;
            Map<String, Lease> victimLeases = new HashMap<>();
            for (String line : LINES) {
                victim.lease(line).ifPresent(lease -> victimLeases.put(line, lease));
            }
            assertThat(victimLeases).isNotEmpty();

            victim.crash();

            await("the survivor holds every line").atMost(BOUND)
                .until(() -> LINES.stream().allMatch(survivor::holds));
            LeaseStore observer = LeaseStore.create(mongo.newDatabase());
            for (Map.Entry<String, Lease> taken : victimLeases.entrySet()) {
                String line = taken.getKey();
                assertThat(victim.holds(line)).isFalse();
                assertThat(survivor.lease(line).orElseThrow().epoch())
                    .as("fencing token of %s after the takeover", line).isGreaterThan(taken.getValue().epoch());
                assertThat(observer.current(line)).map(Lease::owner).contains(survivor.owner());
                await("the crashed instance hears it lost " + line).atMost(BOUND)
                    .until(() -> !heardByVictim.losses(line).isEmpty());
                List<RecordingListener.Event> losses = heardByVictim.losses(line);
                assertThat(losses.get(losses.size() - 1).why()).contains("not renewed before");
            }
        } finally {
            sampler.stop();
        }
        assertThat(sampler.violations()).as("moments at which both instances held a line").isEmpty();
        assertThat(sampler.samples()).isGreaterThan(100);
        List<RecordingListener.Event> all = new ArrayList<>(heardByA.events());
        all.addAll(heardByB.events());
        assertThat(all).isNotEmpty().allMatch(RecordingListener.Event::onEventLoop, "called on an event loop");
        for (String line : LINES) {
            assertAlternates(heardByA, line);
            assertAlternates(heardByB, line);
        }
    }

    @Test
    void closeReleasesSoAnotherInstanceNeedNotWaitForExpiry() {
        LeaseSettings slow = LeaseSettings.ofTtl(Duration.ofSeconds(60));
        RecordingListener heardByA = new RecordingListener();
        LeaseKeeper a = startKeeper("instance-a", LINES, slow, heardByA);
        await().atMost(BOUND).until(() -> a.heldResources().size() == LINES.size());
        Map<String, Long> epochs = new HashMap<>();
        LINES.forEach(line -> epochs.put(line, a.lease(line).orElseThrow().epoch()));

        a.close().toCompletionStage().toCompletableFuture().join();

        LeaseStore observer = LeaseStore.create(mongo.newDatabase());
        for (String line : LINES) {
            assertThat(a.holds(line)).isFalse();
            assertThat(observer.current(line)).as("lease on %s after close", line).isEmpty();
            assertThat(heardByA.losses(line)).singleElement()
                .satisfies(loss -> assertThat(loss.why()).contains("closing"));
        }
        LeaseKeeper b = startKeeper("instance-b", LINES, slow, new RecordingListener());
        await("instance-b takes every line well before a 60 s lease would expire").atMost(BOUND)
            .until(() -> b.heldResources().size() == LINES.size());
        LINES.forEach(line -> assertThat(b.lease(line).orElseThrow().epoch()).isEqualTo(epochs.get(line) + 1));
    }

    @Test
    void aRefusedRenewalIsALossAtOnce() {
        // a far safety deadline, so only the refusal can end the lease within the test's bound
        LeaseSettings farDeadline = new LeaseSettings(
            Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(10));
        String line = LINES.get(0);
        RecordingListener heard = new RecordingListener();
        LeaseKeeper a = startKeeper("instance-a", List.of(line), farDeadline, heard);
        await().atMost(BOUND).until(() -> a.holds(line));

        // someone else took the line over (e.g. an operator forced it): expire the lease and acquire it
        mongo.newDatabase().getCollection(LeaseStore.COLLECTION)
            .updateOne(Filters.eq("_id", line), Updates.set("expiresAt", new java.util.Date(0)));
        LeaseStore intruder = LeaseStore.create(mongo.newDatabase());
        Lease taken = intruder.tryAcquire(line, "intruder", Duration.ofSeconds(60)).orElseThrow();

        await("instance-a hears it lost " + line).atMost(BOUND).until(() -> !heard.losses(line).isEmpty());
        assertThat(heard.losses(line).get(0).why()).contains("renewal refused");
        assertThat(a.holds(line)).isFalse();
        assertThat(intruder.current(line)).contains(taken);
    }

    @Test
    void unreachableMongoEndsTheLeaseAtTheSafetyDeadline() {
        RecordingListener heard = new RecordingListener();
        LeaseStore store = LeaseStore.create(mongo.newDatabase(100));
        Vertx vertx = newVertx();
        LeaseKeeper a = LeaseKeeper.create(vertx, store, "instance-a", LINES, SHORT, heard);
        keepers.add(a);
        a.start();
        await().atMost(BOUND).until(() -> a.heldResources().size() == LINES.size());

        mongo.stopServer();

        await("every lease ends although MongoDB never refused").atMost(BOUND)
            .until(() -> LINES.stream().noneMatch(line -> heard.losses(line).isEmpty()));
        assertThat(a.heldResources()).isEmpty();
        for (String line : LINES) {
            assertThat(heard.losses(line).get(0).why()).contains("not renewed before");
        }
    }

    @Test
    void reacquiresWhatItHeldOnceNobodyElseHasIt() {
        LeaseStore store = LeaseStore.create(mongo.newDatabase());
        String line = LINES.get(0);
        RecordingListener heard = new RecordingListener();
        LeaseKeeper a = startKeeper("instance-a", List.of(line), SHORT, heard);
        await().atMost(BOUND).until(() -> a.holds(line));
        long first = a.lease(line).orElseThrow().epoch();

        store.release(line, "instance-a");

        await("lost and acquired again").atMost(BOUND).until(() -> heard.acquisitions(line).size() == 2);
        assertThat(heard.losses(line)).hasSize(1);
        assertThat(a.lease(line).orElseThrow().epoch()).isGreaterThan(first);
    }

    private LeaseKeeper startKeeper(String owner, List<String> lines, LeaseSettings settings, LeaseListener listener) {
        return startKeeper(owner, lines, settings, listener, Clock.systemUTC());
    }

    private LeaseKeeper startKeeper(String owner, List<String> lines, LeaseSettings settings, LeaseListener listener,
                                    Clock clock) {
        // one Vert.x and one MongoDB client per instance, as separate processes would have
        LeaseStore store = LeaseStore.create(mongo.newDatabase(), clock);
        LeaseKeeper keeper = LeaseKeeper.create(newVertx(), store, owner, lines, settings, listener);
        keepers.add(keeper);
        keeper.start();
        return keeper;
    }

    private Vertx newVertx() {
        Vertx vertx = Vertx.vertx();
        vertxes.add(vertx);
        return vertx;
    }

    private static void sampleFor(Duration duration) {
        AtomicLong until = new AtomicLong(System.nanoTime() + duration.toNanos());
        await().pollInterval(Duration.ofMillis(50)).atMost(duration.plus(BOUND))
            .until(() -> System.nanoTime() >= until.get());
    }

    private static void assertAlternates(RecordingListener heard, String line) {
        List<RecordingListener.Event> events = heard.events().stream()
            .filter(event -> event.resource().equals(line)).toList();
        for (int i = 0; i < events.size(); i++) {
            boolean shouldBeLoss = i % 2 == 1;
            assertThat(events.get(i).isLoss()).as("event %d for %s: %s", i, line, events).isEqualTo(shouldBeLoss);
        }
    }

    /**
     * Samples both keepers' {@link LeaseKeeper#holds} on every line, reading X, Y, X: a violation needs X before and
     * after Y, so one instance's tenure ending just before the other's starts cannot look like an overlap.
     */
    private static final class ExclusivitySampler {

        private final LeaseKeeper a;
        private final LeaseKeeper b;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong samples = new AtomicLong();
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private final Thread thread;

        ExclusivitySampler(LeaseKeeper a, LeaseKeeper b) {
            this.a = a;
            this.b = b;
            this.thread = new Thread(this::run, "lease-exclusivity-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                boolean aOutside = samples.get() % 2 == 0;
                LeaseKeeper x = aOutside ? a : b;
                LeaseKeeper y = aOutside ? b : a;
                for (String line : LINES) {
                    boolean xBefore = x.holds(line);
                    boolean yBetween = y.holds(line);
                    boolean xAfter = x.holds(line);
                    if (xBefore && yBetween && xAfter) {
                        violations.add(line + " held by " + x.owner() + " " + x.lease(line) + " and " + y.owner()
                            + " " + y.lease(line));
                    }
                }
                samples.incrementAndGet();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void stop() {
            running.set(false);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long samples() {
            return samples.get();
        }

        List<String> violations() {
            return List.copyOf(violations);
        }
    }
}
