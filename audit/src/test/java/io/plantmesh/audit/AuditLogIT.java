package io.plantmesh.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;

/** The audit log against a MongoDB wire-protocol server on 127.0.0.1: chaining, restarts, tampering, overflow. */
class AuditLogIT {

    private static final String DATABASE = "plantmesh";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private MongoServer mongo;
    private String uri;
    private MongoClient client;

    @BeforeEach
    void startMongo() {
        mongo = new MongoServer(new MemoryBackend());
        mongo.bind("127.0.0.1", 0);
        final InetSocketAddress address = mongo.getLocalAddress();
        uri = "mongodb://127.0.0.1:" + address.getPort();
        client = MongoClients.create(uri);
    }

    @AfterEach
    void stopMongo() {
        client.close();
        mongo.shutdownNow();
    }

    @Test
    void entriesFromManyThreadsFormOneGaplessChain() throws Exception {
        final int threads = 8;
        final int each = 250;
        try (AuditLog log = AuditLog.start(AuditStore.open(uri, DATABASE), 10_000)) {
            final ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                final List<Future<?>> all = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    final int thread = t;
                    all.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            assertThat(log.append(entry("plant1:machine-" + thread, i))).isTrue();
                        }
                    }));
                }
                for (final Future<?> f : all) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(log.awaitWritten(WAIT)).isTrue();
            assertThat(log.dropped()).isZero();
        }
        try (AuditStore store = AuditStore.open(uri, DATABASE)) {
            final AuditVerifier.Result result = AuditVerifier.verify(store, null);
            assertThat(result.intact()).as(result.describe()).isTrue();
            assertThat(result.records()).isEqualTo(threads * each);
            assertThat(result.lastSequence()).isEqualTo(threads * each);
            // each thread's entries keep their order
            for (int t = 0; t < threads; t++) {
                final String entity = "plant1:machine-" + t;
                final List<Long> revisions = store.page(1, threads * each).stream()
                        .filter(r -> r.entry().entity().equals(entity)).map(r -> r.entry().revision()).toList();
                assertThat(revisions).hasSize(each).isSorted();
            }
            assertThat(store.head()).hasValue(new AuditStore.Head(result.lastSequence(), result.lastHash(), 0,
                    AuditRecord.GENESIS));
        }
    }

    @Test
    void theChainContinuesAcrossARestartOfTheLogAndOfTheEmbeddedStore(@TempDir final Path dir) throws Exception {
        final EmbeddedStoreConfig config = new EmbeddedStoreConfig(dir, "127.0.0.1", 0,
                EmbeddedStoreConfig.DEFAULT_SNAPSHOT_THRESHOLD_BYTES, true);
        String firstHash;
        try (EmbeddedMongoServer store = EmbeddedMongoServer.create(config)) {
            store.start();
            try (AuditLog log = AuditLog.start(AuditStore.open(store.connectionString(), DATABASE), 100)) {
                for (int i = 1; i <= 5; i++) {
                    log.append(entry("plant1:wo-000001", i));
                }
                assertThat(log.awaitWritten(WAIT)).isTrue();
            }
            try (AuditStore audit = AuditStore.open(store.connectionString(), DATABASE)) {
                firstHash = audit.record(5).orElseThrow().hash();
            }
        }
        try (EmbeddedMongoServer store = EmbeddedMongoServer.create(config)) {
            store.start();
            try (AuditLog log = AuditLog.start(AuditStore.open(store.connectionString(), DATABASE), 100)) {
                log.append(entry("plant1:wo-000001", 6));
                assertThat(log.awaitWritten(WAIT)).isTrue();
            }
            try (AuditStore audit = AuditStore.open(store.connectionString(), DATABASE)) {
                final AuditRecord sixth = audit.record(6).orElseThrow();
                assertThat(sixth.previousHash()).isEqualTo(firstHash);
                assertThat(sixth.entry().revision()).isEqualTo(6L);
                final AuditVerifier.Result result = AuditVerifier.verify(audit, null);
                assertThat(result.intact()).as(result.describe()).isTrue();
                assertThat(result.records()).isEqualTo(6);
            }
        }
    }

    @Test
    void aChangedFieldIsDetectedAtThatRecord() throws Exception {
        writeTen();
        records().updateOne(Filters.eq("_id", 5L), new Document("$set", new Document("outcome", "DENIED")
                .append("status", 403)));
        assertBrokenAt(5, "changed");
    }

    @Test
    void aRemovedRecordIsDetectedByItsNumber() throws Exception {
        writeTen();
        records().deleteOne(Filters.eq("_id", 5L));
        assertBrokenAt(5, "missing");
    }

    @Test
    void twoSwappedRecordsAreDetectedAtTheFirstOfThem() throws Exception {
        writeTen();
        final Document fifth = records().find(Filters.eq("_id", 5L)).first();
        final Document sixth = records().find(Filters.eq("_id", 6L)).first();
        records().replaceOne(Filters.eq("_id", 5L), withId(sixth, 5L));
        records().replaceOne(Filters.eq("_id", 6L), withId(fifth, 6L));
        assertBrokenAt(5, "does not follow record 4");
    }

    @Test
    void aRecordRechainedAfterAChangeIsDetectedAtTheNextOne() throws Exception {
        writeTen();
        // a forger who recomputes the hash of the changed record still breaks the link of the one after it
        final AuditRecord fifth = AuditStore.fromDocument(records().find(Filters.eq("_id", 5L)).first());
        final AuditEntry e = fifth.entry();
        final AuditEntry forged = new AuditEntry(e.time(), List.of("keycloak:someone-else"), e.action(), e.entity(),
                e.resource(), e.outcome(), e.status(), e.error(), e.correlationId(), e.revision(), e.detail());
        records().replaceOne(Filters.eq("_id", 5L),
                AuditStore.toDocument(AuditRecord.chain(5, forged, fifth.previousHash())));
        assertBrokenAt(6, "does not follow record 5");
    }

    @Test
    void removedNewestRecordsAreDetectedByTheHeadDocumentOrAnAnchor() throws Exception {
        writeTen();
        final AuditVerifier.Result before;
        try (AuditStore store = AuditStore.open(uri, DATABASE)) {
            before = AuditVerifier.verify(store, null);
        }
        assertThat(before.intact()).isTrue();
        records().deleteMany(Filters.gte("_id", 9L));
        assertBrokenAt(9, "head document says the log reached record 10");
        // removing the head document too is only caught with an anchor kept elsewhere
        client.getDatabase(DATABASE).getCollection(AuditStore.HEAD).deleteMany(new Document());
        try (AuditStore store = AuditStore.open(uri, DATABASE)) {
            assertThat(AuditVerifier.verify(store, null).intact()).isTrue();
            final AuditVerifier.Result anchored = AuditVerifier.verify(store,
                    AuditVerifier.Anchor.parse(before.lastSequence() + ":" + before.lastHash()));
            assertThat(anchored.intact()).isFalse();
            assertThat(anchored.firstBroken()).isEqualTo(9);
            assertThat(anchored.problem()).contains("anchor names record 10");
        }
    }

    @Test
    void droppedEntriesAreCountedAndRecordedInTheChain() throws Exception {
        long dropped;
        try (AuditLog log = AuditLog.start(AuditStore.open(uri, DATABASE), 1)) {
            // a queue of one cannot hold a burst: most of it is dropped; bounded attempts in case the writer keeps up
            for (int burst = 0; burst < 50 && log.dropped() == 0; burst++) {
                for (int i = 0; i < 1000; i++) {
                    log.append(entry("plant1:machine-1-01", i));
                }
            }
            assertThat(log.dropped()).isPositive();
            assertThat(log.awaitWritten(WAIT)).isTrue();
            dropped = log.dropped();
        }
        try (AuditStore store = AuditStore.open(uri, DATABASE)) {
            final AuditVerifier.Result result = AuditVerifier.verify(store, null);
            assertThat(result.intact()).as(result.describe()).isTrue();
            long recorded = 0;
            for (final AuditRecord r : store.page(1, (int) result.lastSequence())) {
                if (r.entry().action().equals("audit.overflow")) {
                    recorded += Long.parseLong(r.entry().detail().split(" ")[0]);
                    assertThat(r.entry().error()).isEqualTo("plantmesh:audit.overflow");
                }
            }
            assertThat(recorded).isEqualTo(dropped);
        }
    }

    @Test
    void retentionKeepsTheNewestRecordsAndTheRestStaysVerifiable() throws Exception {
        try (AuditLog log = AuditLog.start(AuditStore.open(uri, DATABASE), 100, 20)) {
            for (int i = 1; i <= 100; i++) {
                log.append(entry("plant1:wo-000001", i));
                if (i % 10 == 0) {
                    assertThat(log.awaitWritten(WAIT)).isTrue(); // several batches, so retention runs in between
                }
            }
        }
        final long kept = records().countDocuments();
        assertThat(kept).isBetween(20L, 22L);
        try (AuditStore store = AuditStore.open(uri, DATABASE)) {
            final AuditVerifier.Result result = AuditVerifier.verify(store, null);
            assertThat(result.intact()).as(result.describe()).isTrue();
            assertThat(result.lastSequence()).isEqualTo(100);
            assertThat(result.firstSequence()).isEqualTo(100 - kept + 1);
            assertThat(result.describe()).contains("older ones were removed by retention");
        }
        // removing the oldest kept record is still detected
        final long oldest = 100 - kept + 1;
        records().deleteOne(Filters.eq("_id", oldest));
        assertBrokenAt(oldest, "missing");
    }

    private void writeTen() throws InterruptedException {
        try (AuditLog log = AuditLog.start(AuditStore.open(uri, DATABASE), 100)) {
            for (int i = 1; i <= 10; i++) {
                log.append(entry("plant1:wo-000001", i));
            }
            assertThat(log.awaitWritten(WAIT)).isTrue();
        }
    }

    private void assertBrokenAt(final long sequence, final String why) {
        try (AuditStore store = AuditStore.open(uri, DATABASE)) {
            final AuditVerifier.Result result = AuditVerifier.verify(store, null);
            assertThat(result.intact()).isFalse();
            assertThat(result.firstBroken()).as(result.describe()).isEqualTo(sequence);
            assertThat(result.problem()).contains(why);
            assertThat(result.describe()).startsWith("The audit log is broken at record " + sequence + ":");
        }
    }

    private MongoCollection<Document> records() {
        return client.getDatabase(DATABASE).getCollection(AuditStore.RECORDS);
    }

    private static Document withId(final Document d, final long id) {
        final Document copy = new Document(d);
        copy.put("_id", id);
        return copy;
    }

    private static AuditEntry entry(final String entity, final long revision) {
        return new AuditEntry(Instant.now(), List.of("keycloak:svc-twin-ingestion"), "thing.merge", entity,
                "thing:/features/telemetry/properties", AuditEntry.SUCCEEDED, 204, null, "c-" + revision, revision,
                null);
    }
}
