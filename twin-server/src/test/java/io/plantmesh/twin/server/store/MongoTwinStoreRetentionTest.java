package io.plantmesh.twin.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/** The journal keeps what {@link EventRetention} says, also across a restart of the store. */
class MongoTwinStoreRetentionTest {

    private static final String THING = "plant.a:machine-01";
    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    private MongoServer mongo;
    private String uri;

    @BeforeEach
    void startMongo() {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        uri = "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort();
    }

    @AfterEach
    void stopMongo() {
        mongo.shutdownNow();
    }

    @Test
    void eventsOfTheLastAgeAreKeptBeyondTheNewestUpToTheMaximum() throws Exception {
        // newest 2, the last 10 minutes, at most 5
        EventRetention retention = new EventRetention(2, Duration.ofMinutes(10), 5);
        try (MongoTwinStore store = MongoTwinStore.open(uri, "plantmesh", retention)) {
            // one event a minute: at minute 12, the events of minutes 2..12 are within the age, but only 5 stay
            for (int minute = 1; minute <= 12; minute++) {
                write(store, minute, T0.plus(Duration.ofMinutes(minute)));
            }
            assertThat(revisions(store)).containsExactly(8L, 9L, 10L, 11L, 12L);

            // 30 minutes later: everything beyond the newest 2 is older than 10 minutes
            write(store, 13, T0.plus(Duration.ofMinutes(42)));
            assertThat(revisions(store)).containsExactly(12L, 13L);
        }
    }

    @Test
    void aRestartedStoreGoesOnExpiringWhatItKeptBefore() throws Exception {
        try (MongoTwinStore store = MongoTwinStore.open(uri, "plantmesh", EventRetention.newest(10))) {
            for (int r = 1; r <= 8; r++) {
                write(store, r, T0.plusSeconds(r));
            }
        }
        // a smaller retention after the restart: applied at the thing's next event, oldest first, by exact key
        try (MongoTwinStore store = MongoTwinStore.open(uri, "plantmesh", EventRetention.newest(3))) {
            assertThat(revisions(store)).hasSize(8);
            write(store, 9, T0.plusSeconds(9));
            assertThat(revisions(store)).containsExactly(7L, 8L, 9L);
            assertThat(store.eventTimes(THING, 1, 100)).extracting(EventJournal.EventTime::timestamp)
                    .containsExactly(T0.plusSeconds(7), T0.plusSeconds(8), T0.plusSeconds(9));
        }
    }

    private static void write(MongoTwinStore store, long revision, Instant at) throws Exception {
        StoredEntity thing = new StoredEntity(THING, revision, false, "{\"thingId\":\"" + THING + "\"}", T0, at);
        EventRecord event = new EventRecord(THING, revision, at, "{\"topic\":\"plant.a/machine-01/things/twin/"
                + "events/modified\",\"path\":\"/attributes/n\",\"value\":" + revision + "}");
        store.write(WriteSet.of(List.of(), List.of(new EntityWrite(thing, revision - 1)), List.of(event)))
                .get(10, TimeUnit.SECONDS);
    }

    private static List<Long> revisions(MongoTwinStore store) {
        return store.events(THING, 1, 1000).stream().map(EventRecord::revision).toList();
    }
}
