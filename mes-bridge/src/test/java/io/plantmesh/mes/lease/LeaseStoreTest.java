package io.plantmesh.mes.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.mongodb.client.MongoDatabase;

/** {@link LeaseStore} against mongo-java-server's in-memory backend, time from a settable clock. */
class LeaseStoreTest {

    private static final Duration TTL = Duration.ofSeconds(15);
    private static final String LINE = "plant1:line-1";

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T08:00:00Z"));
    private InMemoryMongo mongo;
    private MongoDatabase database;
    private LeaseStore store;

    @BeforeEach
    void startMongo() {
        mongo = new InMemoryMongo();
        database = mongo.newDatabase();
        store = LeaseStore.create(database, clock);
    }

    @AfterEach
    void stopMongo() {
        mongo.close();
    }

    @Test
    void acquiresAFreeResourceWithEpochOne() {
        Optional<Lease> lease = store.tryAcquire(LINE, "a", TTL);

        assertThat(lease).contains(new Lease(LINE, "a", 1, clock.instant().plus(TTL)));
        assertThat(store.current(LINE)).isEqualTo(lease);
        Document stored = database.getCollection(LeaseStore.COLLECTION).find().first();
        assertThat(stored).isNotNull();
        assertThat(stored.getString("_id")).isEqualTo(LINE);
        assertThat(stored.getDate("acquiredAt").toInstant()).isEqualTo(clock.instant());
        assertThat(stored.getDate("renewedAt").toInstant()).isEqualTo(clock.instant());
    }

    @Test
    void refusesASecondOwnerWhileTheLeaseIsHeld() {
        store.tryAcquire(LINE, "a", TTL).orElseThrow();
        clock.advance(TTL.minusMillis(1));

        assertThat(store.tryAcquire(LINE, "b", TTL)).isEmpty();
        assertThat(store.current(LINE)).map(Lease::owner).contains("a");
    }

    @Test
    void anotherOwnerTakesOverAfterExpiryWithAHigherEpoch() {
        Lease first = store.tryAcquire(LINE, "a", TTL).orElseThrow();
        clock.advance(TTL.minusMillis(1));
        assertThat(store.tryAcquire(LINE, "b", TTL)).as("live until expiresAt").isEmpty();
        clock.advance(Duration.ofMillis(1));

        Lease second = store.tryAcquire(LINE, "b", TTL).orElseThrow();

        assertThat(second.owner()).isEqualTo("b");
        assertThat(second.epoch()).isGreaterThan(first.epoch());
        assertThat(second.expiresAt()).isEqualTo(clock.instant().plus(TTL));
        assertThat(store.current(LINE)).contains(second);
    }

    @Test
    void theHolderRenewsKeepingItsEpoch() {
        Lease acquired = store.tryAcquire(LINE, "a", TTL).orElseThrow();
        clock.advance(Duration.ofSeconds(5));

        Lease renewed = store.renew(acquired, TTL).orElseThrow();
        clock.advance(Duration.ofSeconds(5));
        Lease reacquired = store.tryAcquire(LINE, "a", TTL).orElseThrow();

        assertThat(renewed.epoch()).isEqualTo(acquired.epoch());
        assertThat(renewed.expiresAt()).isEqualTo(acquired.expiresAt().plusSeconds(5));
        assertThat(reacquired.epoch()).as("tryAcquire by the live holder renews").isEqualTo(acquired.epoch());
        assertThat(reacquired.expiresAt()).isEqualTo(clock.instant().plus(TTL));
        clock.advance(TTL.minusSeconds(1));
        assertThat(store.tryAcquire(LINE, "b", TTL)).as("renewal moved the expiry").isEmpty();
    }

    @Test
    void renewalIsRefusedAfterATakeover() {
        Lease old = store.tryAcquire(LINE, "a", TTL).orElseThrow();
        clock.advance(TTL);
        Lease taken = store.tryAcquire(LINE, "b", TTL).orElseThrow();

        assertThat(store.renew(old, TTL)).isEmpty();
        assertThat(store.tryAcquire(LINE, "a", TTL)).isEmpty();
        assertThat(store.current(LINE)).contains(taken);
    }

    @Test
    void renewalIsRefusedAfterExpiryEvenWithoutATakeover() {
        Lease old = store.tryAcquire(LINE, "a", TTL).orElseThrow();
        clock.advance(TTL);

        assertThat(store.renew(old, TTL)).isEmpty();
        assertThat(store.current(LINE)).isEmpty();
        Lease again = store.tryAcquire(LINE, "a", TTL).orElseThrow();
        assertThat(again.epoch()).as("a new tenure after expiry").isGreaterThan(old.epoch());
    }

    @Test
    void renewalOfAnOlderTenureOfTheSameOwnerIsRefused() {
        Lease first = store.tryAcquire(LINE, "a", TTL).orElseThrow();
        store.release(LINE, "a");
        Lease second = store.tryAcquire(LINE, "a", TTL).orElseThrow();

        assertThat(store.renew(first, TTL)).isEmpty();
        assertThat(store.renew(second, TTL)).isPresent();
    }

    @Test
    void releaseFreesTheResourceAtOnceAndKeepsTheEpochGrowing() {
        Lease first = store.tryAcquire(LINE, "a", TTL).orElseThrow();

        assertThat(store.release(LINE, "b")).as("only the owner releases").isFalse();
        assertThat(store.current(LINE)).contains(first);
        assertThat(store.release(LINE, "a")).isTrue();

        assertThat(store.current(LINE)).isEmpty();
        assertThat(store.renew(first, TTL)).isEmpty();
        Lease next = store.tryAcquire(LINE, "b", TTL).orElseThrow();
        assertThat(next.epoch()).isEqualTo(first.epoch() + 1);
        assertThat(store.release(LINE, "a")).as("a's release must not free b's lease").isFalse();
        assertThat(store.current(LINE)).contains(next);
    }

    @Test
    void resourcesAreIndependent() {
        store.tryAcquire(LINE, "a", TTL).orElseThrow();

        assertThat(store.tryAcquire("plant1:line-2", "b", TTL)).map(Lease::owner).contains("b");
        assertThat(store.tryAcquire("plant1:line-2", "a", TTL)).isEmpty();
    }

    @Test
    void exactlyOneOfManyConcurrentAcquirersWins() throws Exception {
        int contenders = 8;
        ExecutorService threads = Executors.newFixedThreadPool(contenders);
        List<LeaseStore> instances = new ArrayList<>();
        for (int c = 0; c < contenders; c++) {
            instances.add(LeaseStore.create(mongo.newDatabase(), clock));
        }
        try {
            for (int round = 0; round < 20; round++) {
                String resource = "plant1:line-race-" + round;
                if (round % 2 == 1) {
                    // odd rounds race for an expired lease instead of a missing document
                    store.tryAcquire(resource, "previous", TTL).orElseThrow();
                    clock.advance(TTL);
                }
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Optional<Lease>>> results = new ArrayList<>();
                for (int c = 0; c < contenders; c++) {
                    String owner = "instance-" + c;
                    LeaseStore own = instances.get(c);
                    results.add(threads.submit(() -> {
                        go.await();
                        return own.tryAcquire(resource, owner, TTL);
                    }));
                }
                go.countDown();
                List<Lease> winners = new ArrayList<>();
                for (Future<Optional<Lease>> result : results) {
                    result.get(30, TimeUnit.SECONDS).ifPresent(winners::add);
                }
                assertThat(winners).as("winners of %s", resource).hasSize(1);
                assertThat(store.current(resource)).contains(winners.get(0));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void rejectsMeaninglessArguments() {
        assertThatThrownBy(() -> store.tryAcquire(" ", "a", TTL)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("resource");
        assertThatThrownBy(() -> store.tryAcquire(LINE, "", TTL)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("owner");
        assertThatThrownBy(() -> store.tryAcquire(LINE, "a", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ttl");
    }
}
