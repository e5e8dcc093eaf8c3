package io.plantmesh.mes.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;

/**
 * {@link LeaseStore} on PlantMesh's durable embedded store (what {@code ./plantmesh up} runs): acquisition, refusal,
 * takeover, racing acquirers, and the epoch surviving a restart of the store.
 */
class LeaseStoreOnEmbeddedStoreIT {

    private static final Duration TTL = Duration.ofSeconds(15);
    private static final String LINE = "plant1:line-1";

    @TempDir
    Path dataDir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T08:00:00Z"));

    @Test
    void acquiresRefusesAndTakesOverAndTheEpochSurvivesARestart() {
        Lease taken;
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                LeaseStore store = LeaseStore.create(client.getDatabase("mes"), clock);

                Lease first = store.tryAcquire(LINE, "instance-a", TTL).orElseThrow();
                assertThat(first.epoch()).isEqualTo(1);
                assertThat(store.tryAcquire(LINE, "instance-b", TTL)).isEmpty();
                clock.advance(Duration.ofSeconds(5));
                Lease renewed = store.renew(first, TTL).orElseThrow();
                assertThat(renewed.epoch()).isEqualTo(first.epoch());

                clock.advance(TTL);
                taken = store.tryAcquire(LINE, "instance-b", TTL).orElseThrow();
                assertThat(taken.owner()).isEqualTo("instance-b");
                assertThat(taken.epoch()).isGreaterThan(first.epoch());
                assertThat(store.renew(renewed, TTL)).isEmpty();
                assertThat(store.release(LINE, "instance-a")).isFalse();
                assertThat(store.current(LINE)).contains(taken);
            }
        }

        try (EmbeddedMongoServer restarted = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            restarted.start();
            try (MongoClient client = MongoClients.create(restarted.connectionString())) {
                LeaseStore store = LeaseStore.create(client.getDatabase("mes"), clock);

                assertThat(store.current(LINE)).as("the lease after a restart of the store").contains(taken);
                assertThat(store.release(LINE, "instance-b")).isTrue();
                Lease next = store.tryAcquire(LINE, "instance-a", TTL).orElseThrow();
                assertThat(next.epoch()).as("fencing token after restart and release").isEqualTo(taken.epoch() + 1);
            }
        }
    }

    @Test
    void exactlyOneOfManyConcurrentAcquirersWins() throws Exception {
        int contenders = 6;
        List<MongoClient> clients = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(contenders);
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            List<LeaseStore> instances = new ArrayList<>();
            for (int c = 0; c < contenders; c++) {
                MongoClient client = MongoClients.create(server.connectionString());
                clients.add(client);
                instances.add(LeaseStore.create(client.getDatabase("mes"), clock));
            }
            for (int round = 0; round < 10; round++) {
                String resource = "plant1:line-race-" + round;
                if (round % 2 == 1) {
                    // odd rounds race for an expired lease instead of a missing document
                    instances.get(0).tryAcquire(resource, "previous", TTL).orElseThrow();
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
                assertThat(instances.get(0).current(resource)).contains(winners.get(0));
            }
        } finally {
            threads.shutdownNow();
            clients.forEach(MongoClient::close);
        }
    }
}
