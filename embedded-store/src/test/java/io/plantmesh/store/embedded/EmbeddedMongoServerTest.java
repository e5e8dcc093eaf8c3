package io.plantmesh.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.RenameCollectionOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;

class EmbeddedMongoServerTest {

    @TempDir
    Path dataDir;

    @Test
    void keepsEveryKindOfWriteAcrossARestart() {
        Map<String, List<String>> before;
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                writeAllKinds(client.getDatabase("plant"));
                before = StoreState.read(client);
            }
        }

        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            assertThat(StoreState.read(server.connectionString())).isEqualTo(before);
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoCollection<Document> machines = client.getDatabase("plant").getCollection("machines");
                // the unique index still holds after replay
                assertThatThrownBy(() -> machines.insertOne(new Document("_id", "m-new").append("serial", "S-2")))
                    .isInstanceOf(MongoWriteException.class)
                    .hasMessageContaining("duplicate key");
            }
        }
    }

    @Test
    void restoresFromASnapshotAndTheJournalAfterIt() throws IOException {
        Map<String, List<String>> before;
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                writeAllKinds(client.getDatabase("plant"));
                server.snapshotNow();
                assertThat(files()).contains("snapshot-0000000001.bson", "journal-0000000001.log")
                    .doesNotContain("journal-0000000000.log");
                before = StoreState.read(client);
            }
        }
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            assertThat(StoreState.read(server.connectionString())).isEqualTo(before);
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoCollection<Document> machines = client.getDatabase("plant").getCollection("machines");
                machines.updateOne(Filters.eq("_id", "m-1"), Updates.inc("cycles", 5));
                machines.deleteOne(Filters.eq("_id", "m-3"));
                machines.insertOne(new Document("_id", "m-9").append("serial", "S-9"));
                client.getDatabase("plant").getCollection("orders").drop();
                before = StoreState.read(client);
            }
        }
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            assertThat(StoreState.read(server.connectionString())).isEqualTo(before);
        }
    }

    @Test
    void snapshotsByItselfWhenTheJournalPassesTheThreshold() throws Exception {
        EmbeddedStoreConfig smallJournal = new EmbeddedStoreConfig(dataDir, "127.0.0.1", 0, 64 * 1024, true);
        Map<String, List<String>> before;
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(smallJournal)) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoCollection<Document> readings = client.getDatabase("plant").getCollection("readings");
                for (int round = 0; round < 20; round++) {
                    List<Document> batch = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        batch.add(new Document("_id", round * 50 + i).append("payload", "x".repeat(200)));
                    }
                    readings.insertMany(batch);
                    readings.updateMany(Filters.lt("_id", 100), Updates.inc("round", 1));
                }
                waitUntil(() -> snapshotGenerations() >= 2);
                before = StoreState.read(client);
            }
        }
        // the journal grows to the larger of the threshold and the newest snapshot, plus at most a few batches
        long newestSnapshot = Files.size(dataDir.resolve(latestSnapshot()));
        assertThat(Files.size(dataDir.resolve(latestJournal())))
            .isLessThan(Math.max(64 * 1024, newestSnapshot) + 3L * 64 * 1024);
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(smallJournal)) {
            server.start();
            assertThat(StoreState.read(server.connectionString())).isEqualTo(before);
        }
    }

    @Test
    void letsTheJournalGrowAsLargeAsTheNewestSnapshotBeforeTheNext() throws Exception {
        EmbeddedStoreConfig smallJournal = new EmbeddedStoreConfig(dataDir, "127.0.0.1", 0, 16 * 1024, true);
        long snapshotBytes;
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(smallJournal)) {
            server.start();
            assertThat(server.snapshotThresholdBytes()).isEqualTo(16 * 1024);
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoCollection<Document> readings = client.getDatabase("plant").getCollection("readings");
                List<Document> batch = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    batch.add(new Document("_id", i).append("payload", "x".repeat(200)));
                }
                readings.insertMany(batch); // about 90 KB: a store larger than the threshold
                server.snapshotNow();
                snapshotBytes = Files.size(dataDir.resolve(latestSnapshot()));
                assertThat(snapshotBytes).isGreaterThan(16 * 1024);
                assertThat(server.snapshotThresholdBytes()).isEqualTo(snapshotBytes);
                long generation = snapshotGenerations();
                // more journal than the configured threshold but less than the snapshot: no new snapshot
                readings.updateMany(Filters.lt("_id", 150), Updates.set("payload", "y".repeat(200)));
                assertThat(Files.size(dataDir.resolve(latestJournal()))).isGreaterThan(16 * 1024).isLessThan(snapshotBytes);
                Thread.sleep(300);
                assertThat(snapshotGenerations()).isEqualTo(generation);
                // past the snapshot's size: the next one comes by itself
                for (int round = 0; round < 4; round++) {
                    readings.updateMany(Filters.gte("_id", 0), Updates.inc("round", 1));
                }
                waitUntil(() -> snapshotGenerations() > generation);
            }
        }
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(smallJournal)) {
            server.start();
            // after a restart the rule follows the snapshot it recovered from
            assertThat(server.snapshotThresholdBytes()).isEqualTo(Files.size(dataDir.resolve(latestSnapshot())));
        }
    }

    @Test
    void cutsATornJournalTailAndKeepsTheRecordsBeforeIt() throws IOException {
        Map<String, List<String>> before;
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoCollection<Document> machines = client.getDatabase("plant").getCollection("machines");
                for (int i = 0; i < 20; i++) {
                    machines.insertOne(new Document("_id", i).append("state", "IDLE"));
                }
                before = StoreState.read(client);
            }
        }
        Path journal = dataDir.resolve("journal-0000000000.log");
        long intact = Files.size(journal);
        // half a frame: a length and checksum, then fewer payload bytes than announced
        Files.write(journal, new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 9, 9, 9}, StandardOpenOption.APPEND);

        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            assertThat(StoreState.read(server.connectionString())).isEqualTo(before);
            assertThat(Files.size(journal)).isEqualTo(intact);
            assertThat(files()).contains("journal-0000000000.log.tail-" + intact);
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                client.getDatabase("plant").getCollection("machines").insertOne(new Document("_id", 20));
            }
        }
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                assertThat(client.getDatabase("plant").getCollection("machines").countDocuments()).isEqualTo(21);
            }
        }
    }

    @Test
    void refusesADirectoryThatAnotherServerHolds() {
        try (EmbeddedMongoServer first = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir));
             EmbeddedMongoServer second = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            first.start();
            assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dataDir.toAbsolutePath().normalize().toString())
                .hasMessageContaining("in use by another server");
            // closing after a failed start is allowed and must not release the first server's lock
        }
        try (EmbeddedMongoServer again = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            again.start();
            assertThat(again.connectionString()).startsWith("mongodb://127.0.0.1:");
        }
    }

    @Test
    void closeIsIdempotentAndAllowedBeforeStart() {
        EmbeddedMongoServer neverStarted = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir));
        neverStarted.close();
        neverStarted.close();
        EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir));
        server.start();
        server.close();
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    /** Writes that cover the write commands and the values a server computes itself. */
    private static void writeAllKinds(MongoDatabase plant) {
        MongoCollection<Document> machines = plant.getCollection("machines");
        machines.createIndex(Indexes.ascending("serial"), new IndexOptions().unique(true));
        machines.createIndex(Indexes.ascending("line"));
        machines.insertMany(IntStream.range(1, 6)
            .mapToObj(i -> new Document("_id", "m-" + i).append("serial", "S-" + i).append("line", i % 2).append("cycles", 0))
            .toList());
        machines.insertOne(new Document("serial", "S-generated-id"));
        machines.updateOne(Filters.eq("_id", "m-1"), Updates.combine(Updates.inc("cycles", 3), Updates.currentDate("touchedAt")));
        machines.updateMany(Filters.eq("line", 0), Updates.set("hall", "B"));
        machines.replaceOne(Filters.eq("_id", "m-2"), new Document("serial", "S-2").append("state", "MAINTENANCE"));
        machines.updateOne(Filters.eq("_id", "m-7"), Updates.set("serial", "S-7"), new UpdateOptions().upsert(true));
        machines.updateOne(Filters.eq("serial", "S-8"), Updates.set("state", "NEW"), new UpdateOptions().upsert(true));
        machines.replaceOne(Filters.eq("_id", "m-10"), new Document("serial", "S-10"), new ReplaceOptions().upsert(true));
        machines.deleteOne(Filters.eq("_id", "m-5"));
        machines.findOneAndUpdate(Filters.eq("_id", "m-3"), Updates.push("alarms", new Document("code", 17)),
            new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER));
        machines.findOneAndDelete(Filters.eq("_id", "m-4"));
        assertThatThrownBy(() -> machines.insertOne(new Document("_id", "m-dup").append("serial", "S-1")))
            .isInstanceOf(MongoWriteException.class);

        MongoCollection<Document> orders = plant.getCollection("orders");
        List<WriteModel<Document>> ordered = List.of(
            new InsertOneModel<>(new Document("_id", 1).append("qty", 10)),
            new InsertOneModel<>(new Document("_id", 1).append("qty", 11)),
            new InsertOneModel<>(new Document("_id", 2).append("qty", 12)));
        assertThatThrownBy(() -> orders.bulkWrite(ordered, new BulkWriteOptions().ordered(true)))
            .isInstanceOf(MongoBulkWriteException.class);
        List<WriteModel<Document>> unordered = List.of(
            new InsertOneModel<>(new Document("_id", 3).append("qty", 13)),
            new InsertOneModel<>(new Document("_id", 1).append("qty", 99)),
            new InsertOneModel<>(new Document("_id", 4).append("qty", 14)),
            new UpdateOneModel<>(Filters.eq("_id", 3), Updates.inc("qty", 1)));
        assertThatThrownBy(() -> orders.bulkWrite(unordered, new BulkWriteOptions().ordered(false)))
            .isInstanceOf(MongoBulkWriteException.class);
        assertThat(orders.find().map(d -> d.get("_id")).into(new ArrayList<>())).containsExactlyInAnyOrder(1, 3, 4);

        MongoCollection<Document> scratch = plant.getCollection("scratch");
        scratch.insertMany(Stream.of("a", "b", "c").map(id -> new Document("_id", id)).toList());
        scratch.createIndex(Indexes.ascending("tmp"), new IndexOptions().unique(true).sparse(true));
        scratch.dropIndex("tmp_1");
        scratch.renameCollection(new com.mongodb.MongoNamespace("plant", "archive"), new RenameCollectionOptions());
        plant.getCollection("gone").insertOne(new Document("_id", new ObjectId()));
        plant.getCollection("gone").drop();
        plant.getCollection("orders").deleteMany(Filters.gt("qty", 13));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private long snapshotGenerations() {
        try {
            return files().stream().filter(name -> name.startsWith("snapshot-") && name.endsWith(".bson"))
                .mapToLong(name -> Long.parseLong(name.substring(9, 19))).max().orElse(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String latestSnapshot() throws IOException {
        return files().stream().filter(name -> name.startsWith("snapshot-") && name.endsWith(".bson")).reduce((a, b) -> b).orElseThrow();
    }

    private String latestJournal() throws IOException {
        return files().stream().filter(name -> name.startsWith("journal-") && name.endsWith(".log")).reduce((a, b) -> b).orElseThrow();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
