package io.plantmesh.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;

/**
 * Kills a writing child JVM with SIGKILL and checks, after each kill, that a fresh server on the same directory
 * holds every write the child saw acknowledged. Even runs are killed at a random moment; odd runs while a snapshot
 * is being written (as soon as its {@code .bson.tmp} appears, plus a few random milliseconds), with writers running.
 * What the child saw acknowledged is read from its stdout only after it is dead, completely ({@link KilledChildJvm}):
 * a line missed there would turn into a false alarm (a missed "X id" makes a deleted insert look lost).
 */
class SigkillDurabilityTest {

    private static final int KILLS = 6;
    /** Small, so snapshots and journal switches happen all the time while the child is being killed. */
    private static final long SNAPSHOT_THRESHOLD = 256 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void noAcknowledgedWriteIsLostWhenTheProcessIsKilled() throws Exception {
        Map<String, Long> acknowledgedValues = new ConcurrentHashMap<>();
        Set<String> acknowledgedInserts = ConcurrentHashMap.newKeySet();
        Set<String> acknowledgedDeletes = ConcurrentHashMap.newKeySet();
        Set<String> attemptedDeletes = ConcurrentHashMap.newKeySet();
        Map<String, Long> acknowledgedBulkValues = new ConcurrentHashMap<>();
        long totalAcknowledged = 0;
        int killsWhileWritingASnapshot = 0;
        int killsBetweenSwitchAndCleanUp = 0;

        for (int run = 0; run < KILLS; run++) {
            KilledChildJvm child = KilledChildJvm.start(dataDir.getParent(), dataDir.getFileName() + "-child-" + run,
                AcknowledgingWriterMain.class, dataDir.toString(), Integer.toString(run), Long.toString(SNAPSHOT_THRESHOLD));
            List<String> output;
            try (child) {
                child.awaitLine("READY", Duration.ofSeconds(60));
                // the kill moments below count from the first acknowledgement: on a busy machine the first writes can
                // take seconds (new connections, a snapshot of the freshly loaded collection), and a run that
                // acknowledged nothing checks nothing
                child.awaitLine("U ", Duration.ofSeconds(60));
                if (run % 2 == 0) {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(700, 2000));
                } else {
                    Thread.sleep(300);
                    awaitSnapshotBeingWritten();
                    Thread.sleep(ThreadLocalRandom.current().nextLong(0, 15));
                }
                // every line the child printed before it died, also the last ones before the signal
                output = child.killAndReadOutput();
            }
            long acknowledged = 0;
            for (String line : output) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "U" -> acknowledgedValues.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                    case "I" -> acknowledgedInserts.add(parts[1]);
                    case "D" -> acknowledgedDeletes.add(parts[1]);
                    case "B" -> acknowledgedBulkValues.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                    case "X" -> {
                        attemptedDeletes.add(parts[1]);
                        continue; // an attempt, not an acknowledgement
                    }
                    default -> {
                        continue; // READY, or anything the JVM itself prints
                    }
                }
                acknowledged++;
            }
            assertThat(acknowledged).as("child acknowledged writes before the kill, see %s", child.log()).isGreaterThan(0);
            totalAcknowledged += acknowledged;
            List<String> left = files();
            if (left.stream().anyMatch(name -> name.endsWith(".bson.tmp"))) {
                killsWhileWritingASnapshot++;
            }
            if (left.stream().filter(name -> name.matches("journal-\\d+\\.log")).count() > 1) {
                killsBetweenSwitchAndCleanUp++;
            }

            verifyAcknowledgedWritesSurvived(acknowledgedValues, acknowledgedInserts, attemptedDeletes, acknowledgedDeletes,
                acknowledgedBulkValues);
            child.deleteFiles();
        }
        System.out.printf("%d kills (%d while a snapshot was being written, %d between a journal switch and the"
            + " clean-up of the old generation), %d acknowledged writes, all present%n", KILLS, killsWhileWritingASnapshot,
            killsBetweenSwitchAndCleanUp, totalAcknowledged);
        assertThat(killsWhileWritingASnapshot).as("kills that landed while a snapshot was being written").isGreaterThan(0);
    }

    /** Waits until a snapshot file is being written (its journal switch has happened, writers go on). */
    private void awaitSnapshotBeingWritten() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (files().stream().anyMatch(name -> name.endsWith(".bson.tmp"))) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no snapshot started within 20 s");
    }

    private List<String> files() throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dataDir)) {
            return files.map(file -> file.getFileName().toString()).toList();
        } catch (java.nio.file.NoSuchFileException e) {
            return List.of(); // a file vanished while listing
        }
    }

    private void verifyAcknowledgedWritesSurvived(Map<String, Long> acknowledgedValues, Set<String> acknowledgedInserts,
                                                  Set<String> attemptedDeletes, Set<String> acknowledgedDeletes, Map<String, Long> acknowledgedBulkValues) {
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir))) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                Map<String, Long> stored = new ConcurrentHashMap<>();
                client.getDatabase("crash").getCollection("counters").find()
                    .forEach(document -> stored.put(document.getString("_id"), document.getLong("v")));
                List<String> lost = new ArrayList<>();
                acknowledgedValues.forEach((id, value) -> {
                    Long storedValue = stored.get(id);
                    if (storedValue == null || storedValue < value) {
                        lost.add(id + " acknowledged " + value + " stored " + storedValue);
                    }
                });
                Set<Object> storedInserts = new HashSet<>();
                client.getDatabase("crash").getCollection("events").find().projection(new Document("_id", 1))
                    .forEach(document -> storedInserts.add(document.get("_id")));
                acknowledgedInserts.stream().filter(id -> !storedInserts.contains(id) && !attemptedDeletes.contains(id))
                    .forEach(id -> lost.add("insert " + id));
                acknowledgedDeletes.stream().filter(storedInserts::contains).forEach(id -> lost.add("delete " + id));
                Map<String, Long> bulk = new ConcurrentHashMap<>();
                client.getDatabase("crash").getCollection("bulk").find().projection(new Document("v", 1))
                    .forEach(document -> bulk.put(document.getString("_id"), document.getLong("v")));
                assertThat(bulk).as("bulk documents").hasSize(AcknowledgingWriterMain.BULK_DOCUMENTS);
                acknowledgedBulkValues.forEach((id, value) -> {
                    if (bulk.get(id) < value) {
                        lost.add("bulk " + id + " acknowledged " + value + " stored " + bulk.get(id));
                    }
                });
                assertThat(lost).as("acknowledged writes missing after SIGKILL").isEmpty();
                assertThat(client.getDatabase("crash").getCollection("counters").countDocuments(Filters.exists("v")))
                    .isEqualTo(stored.size());
            }
        }
    }
}
