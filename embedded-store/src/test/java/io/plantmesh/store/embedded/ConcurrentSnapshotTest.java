package io.plantmesh.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoNamespace;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * Snapshots run beside writers: writes keep being acknowledged while a snapshot reads the collections, and the
 * snapshot is still exactly the state at its journal switch (the journal after it replays over it strictly).
 */
class ConcurrentSnapshotTest {

    private static final String PAYLOAD = "p".repeat(1000);

    @TempDir
    Path dataDir;

    @Test
    void writersKeepGettingAcknowledgementsWhileASnapshotIsWritten() throws Exception {
        int documents = 20_000; // ~20 MB of BSON, a few hundred chunks
        Map<String, List<String>> live;
        AtomicLong acknowledged = new AtomicLong();
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoCollection<Document> big = client.getDatabase("plant").getCollection("big");
                for (int from = 0; from < documents; from += 1000) {
                    big.insertMany(IntStream.range(from, from + 1000)
                        .mapToObj(i -> new Document("_id", i).append("v", 0L).append("payload", PAYLOAD)).toList());
                }

                AtomicBoolean stop = new AtomicBoolean();
                AtomicReference<Throwable> writerFailure = new AtomicReference<>();
                List<Thread> writers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    writers.add(new Thread(() -> {
                        try {
                            MongoCollection<Document> events = client.getDatabase("plant").getCollection("events");
                            for (long i = 0; !stop.get(); i++) {
                                // the whole range: slots the snapshot has read and slots it has not reached yet
                                int id = ThreadLocalRandom.current().nextInt(documents);
                                big.updateOne(Filters.eq("_id", id), Updates.combine(Updates.set("v", i), Updates.inc("n", 1)));
                                events.insertOne(new Document("_id", thread + "-" + i).append("big", id));
                                acknowledged.incrementAndGet();
                            }
                        } catch (Throwable e) {
                            writerFailure.set(e);
                        }
                    }));
                }
                writers.forEach(Thread::start);

                // in the middle of the snapshot (after its first chunk, no lock held), writers must progress
                AtomicLong progressDuringSnapshot = new AtomicLong(-1);
                AtomicBoolean first = new AtomicBoolean(true);
                server.onSnapshotChunk(() -> {
                    if (first.getAndSet(false)) {
                        long before = acknowledged.get();
                        long deadline = System.nanoTime() + 30_000_000_000L;
                        while (acknowledged.get() < before + 200 && System.nanoTime() < deadline && writerFailure.get() == null) {
                            Thread.onSpinWait();
                        }
                        progressDuringSnapshot.set(acknowledged.get() - before);
                    }
                });
                long beforeSnapshot = acknowledged.get();
                server.snapshotNow();
                long duringSnapshot = acknowledged.get() - beforeSnapshot;
                stop.set(true);
                for (Thread writer : writers) {
                    writer.join();
                }
                assertThat(writerFailure.get()).isNull();
                assertThat(progressDuringSnapshot.get()).as("writes acknowledged while the snapshot was paused mid-way")
                    .isGreaterThanOrEqualTo(200);
                assertThat(duringSnapshot).isGreaterThanOrEqualTo(200);
                assertThat(files()).contains("snapshot-0000000001.bson", "journal-0000000001.log")
                    .doesNotContain("journal-0000000000.log", "snapshot-0000000001.bson.tmp");
                live = StoreState.read(client);
            }
        }
        // snapshot 1 (state at its switch) + journal 1 (everything after) == what the clients saw
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            assertThat(StoreState.read(server.connectionString())).isEqualTo(live);
        }
    }

    @Test
    void aSnapshotIsTheStateAtItsJournalSwitchWhateverChangesWhileItIsWritten() throws Exception {
        Map<String, List<String>> live;
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoDatabase plant = client.getDatabase("plant");
                MongoCollection<Document> machines = plant.getCollection("machines");
                machines.createIndex(Indexes.ascending("serial"), new IndexOptions().unique(true));
                // ~3 MB: the snapshot reads it in many chunks, so changes land on read and unread slots
                for (int from = 0; from < 3000; from += 500) {
                    machines.insertMany(IntStream.range(from, from + 500).mapToObj(i -> new Document("_id", i)
                        .append("serial", "S-" + i).append("payload", PAYLOAD)).toList());
                }
                plant.getCollection("doomed").insertMany(List.of(new Document("_id", 1), new Document("_id", 2)));
                plant.getCollection("renamed").insertOne(new Document("_id", "r").append("x", 1));
                plant.getCollection("indexed").insertOne(new Document("_id", "i").append("k", 1));
                client.getDatabase("other").getCollection("c").insertOne(new Document("_id", 1));

                AtomicBoolean first = new AtomicBoolean(true);
                server.onSnapshotChunk(() -> {
                    if (!first.getAndSet(false)) {
                        return;
                    }
                    // the snapshot has read the first chunk of plant.machines and nothing else
                    machines.updateOne(Filters.eq("_id", 1), Updates.set("v", "read slot changed"));
                    machines.updateOne(Filters.eq("_id", 2900), Updates.set("v", "unread slot changed"));
                    machines.updateOne(Filters.eq("_id", 2900), Updates.set("v", "unread slot changed twice"));
                    machines.deleteOne(Filters.eq("_id", 2950));
                    machines.deleteOne(Filters.eq("_id", 3));
                    // fill the freed slots (one read, one unread) and append
                    machines.insertOne(new Document("_id", "new-1").append("serial", "S-new-1"));
                    machines.insertOne(new Document("_id", "new-2").append("serial", "S-new-2"));
                    machines.insertOne(new Document("_id", "new-3").append("serial", "S-new-3"));
                    // swap unique keys between an unread and a read document through a free value
                    machines.updateOne(Filters.eq("_id", 2800), Updates.set("serial", "S-tmp"));
                    machines.updateOne(Filters.eq("_id", 5), Updates.set("serial", "S-2800"));
                    machines.updateOne(Filters.eq("_id", 2800), Updates.set("serial", "S-5"));
                    machines.replaceOne(Filters.eq("_id", 2700), new Document("serial", "S-2700").append("replaced", true));
                    machines.updateOne(Filters.eq("_id", "upserted"), Updates.set("serial", "S-up"), new UpdateOptions().upsert(true));
                    // catalog changes after the switch
                    plant.getCollection("doomed").drop();
                    plant.getCollection("renamed").renameCollection(new MongoNamespace("plant", "renamed-later"));
                    plant.getCollection("renamed-later").updateOne(Filters.eq("_id", "r"), Updates.inc("x", 1));
                    plant.getCollection("indexed").createIndex(Indexes.ascending("k"), new IndexOptions().unique(true));
                    plant.getCollection("fresh").insertOne(new Document("_id", "f"));
                    client.getDatabase("other").drop();
                });
                server.snapshotNow();
                assertThat(first.get()).as("the hook ran").isFalse();
                machines.updateOne(Filters.eq("_id", 2900), Updates.set("v", "after the snapshot"));
                live = StoreState.read(client);
            }
        }
        assertThat(files()).contains("snapshot-0000000001.bson").doesNotContain("journal-0000000000.log");
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            assertThat(StoreState.read(server.connectionString())).isEqualTo(live);
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoCollection<Document> machines = client.getDatabase("plant").getCollection("machines");
                assertThat(machines.find(Filters.eq("_id", 5)).first().getString("serial")).isEqualTo("S-2800");
                assertThatThrownBy(() -> machines.insertOne(new Document("_id", "dup").append("serial", "S-5")))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
                // and the snapshot on its own (no journal after it) is the state at the switch
                server.snapshotNow();
            }
        }
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            assertThat(StoreState.read(server.connectionString())).isEqualTo(live);
        }
    }

    /**
     * The interleaving of the kill test's one failure report, without a child process: inserts acknowledged before
     * the journal switch, one of them deleted after it, an {@code insertMany} after it that reuses the freed slots,
     * and the process dying while the snapshot file is half written. A SIGKILL leaves every completed write in the
     * page cache, so a copy of the directory at that moment is what the restart after the kill finds.
     */
    @Test
    void aKillWhileASnapshotIsWrittenLosesNoAcknowledgedWrite(@TempDir Path crashImage) throws Exception {
        Set<String> acknowledgedEvents = new HashSet<>();
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoCollection<Document> big = client.getDatabase("plant").getCollection("big");
                MongoCollection<Document> events = client.getDatabase("plant").getCollection("events");
                // ~3 MB, created first: the snapshot reads it in many chunks before it reaches the events
                for (int from = 0; from < 3000; from += 500) {
                    big.insertMany(IntStream.range(from, from + 500)
                        .mapToObj(i -> new Document("_id", i).append("v", 0L).append("payload", PAYLOAD)).toList());
                }
                acknowledgedEvents.addAll(insertBatch(events, "b0"));
                acknowledgedEvents.addAll(insertBatch(events, "b1"));
                events.deleteOne(Filters.eq("_id", "b0-5"));
                acknowledgedEvents.remove("b0-5");

                AtomicBoolean first = new AtomicBoolean(true);
                AtomicReference<Throwable> hookFailure = new AtomicReference<>();
                server.onSnapshotChunk(() -> {
                    if (!first.getAndSet(false)) {
                        return;
                    }
                    try {
                        // after the switch: all of this is in journal 1 only, acknowledged before the "kill"
                        events.deleteOne(Filters.eq("_id", "b1-0"));
                        acknowledgedEvents.remove("b1-0");
                        acknowledgedEvents.addAll(insertBatch(events, "b2"));
                        big.updateOne(Filters.eq("_id", 2999), Updates.set("v", 1L));
                        copyDirectory(dataDir, crashImage);
                    } catch (Throwable e) {
                        hookFailure.set(e);
                    }
                });
                server.snapshotNow();
                assertThat(first.get()).as("the hook ran").isFalse();
                assertThat(hookFailure.get()).isNull();
            }
        }
        try (Stream<Path> image = Files.list(crashImage)) {
            assertThat(image.map(file -> file.getFileName().toString()))
                .as("killed between the journal switch and the snapshot's rename")
                .contains("snapshot-0000000001.bson.tmp", "journal-0000000000.log", "journal-0000000001.log")
                .doesNotContain("snapshot-0000000001.bson");
        }
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(crashImage))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                Set<Object> events = new HashSet<>();
                client.getDatabase("plant").getCollection("events").find().forEach(document -> events.add(document.get("_id")));
                assertThat(events).isEqualTo(acknowledgedEvents);
                assertThat(StoreState.byId(client, "plant", "big", 2999).getLong("v")).isEqualTo(1L);
                assertThat(client.getDatabase("plant").getCollection("big").countDocuments()).isEqualTo(3000);
            }
        }
    }

    private static List<String> insertBatch(MongoCollection<Document> events, String batch) {
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> batch + "-" + i).toList();
        events.insertMany(ids.stream().map(id -> new Document("_id", id).append("payload", "p".repeat(300))).toList());
        return ids;
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
