package io.plantmesh.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
            Path log = dataDir.getParent().resolve(dataDir.getFileName() + "-child-" + run + ".log");
            Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                AcknowledgingWriterMain.class.getName(),
                dataDir.toString(), Integer.toString(run), Long.toString(SNAPSHOT_THRESHOLD))
                .redirectError(log.toFile())
                .start();
            CountDownLatch ready = new CountDownLatch(1);
            long[] lines = {0};
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.startsWith("READY")) {
                            ready.countDown();
                        } else if (line.startsWith("U ")) {
                            String[] parts = line.split(" ");
                            acknowledgedValues.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                            lines[0]++;
                        } else if (line.startsWith("I ")) {
                            acknowledgedInserts.add(line.substring(2));
                            lines[0]++;
                        } else if (line.startsWith("X ")) {
                            attemptedDeletes.add(line.substring(2));
                        } else if (line.startsWith("D ")) {
                            acknowledgedDeletes.add(line.substring(2));
                            lines[0]++;
                        } else if (line.startsWith("B ")) {
                            String[] parts = line.split(" ");
                            acknowledgedBulkValues.merge(parts[1], Long.parseLong(parts[2]), Math::max);
                            lines[0]++;
                        }
                    }
                } catch (java.io.IOException e) {
                    // the pipe breaks when the child dies
                }
            });
            reader.start();
            try {
                assertThat(ready.await(60, TimeUnit.SECONDS)).as("child started, see %s", log).isTrue();
                if (run % 2 == 0) {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(700, 2000));
                } else {
                    Thread.sleep(300);
                    awaitSnapshotBeingWritten();
                    Thread.sleep(ThreadLocalRandom.current().nextLong(0, 15));
                }
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
                reader.join(5000);
            }
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            assertThat(lines[0]).as("child acknowledged writes before the kill").isGreaterThan(0);
            totalAcknowledged += lines[0];
            List<String> left = files();
            if (left.stream().anyMatch(name -> name.endsWith(".bson.tmp"))) {
                killsWhileWritingASnapshot++;
            }
            if (left.stream().filter(name -> name.matches("journal-\\d+\\.log")).count() > 1) {
                killsBetweenSwitchAndCleanUp++;
            }

            verifyAcknowledgedWritesSurvived(acknowledgedValues, acknowledgedInserts, attemptedDeletes, acknowledgedDeletes,
                acknowledgedBulkValues);
            new File(log.toString()).delete();
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
