package io.plantmesh.store.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Manual throughput check behind the README numbers (not a test): 10k documents of ~1 KB, then updateOne by _id
 * from 1, 8 and 32 threads, then insertMany in batches of 1000, each for a few seconds.
 * Run: java -cp "target/test-classes:target/classes:$(cat cp.txt)" io.plantmesh.store.embedded.ThroughputProbe [seconds]
 */
public final class ThroughputProbe {

    private static final int DOCUMENTS = 10_000;

    private ThroughputProbe() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("embedded-store-probe");
        boolean fsync = Boolean.parseBoolean(System.getProperty("probe.fsync", "true"));
        EmbeddedStoreConfig config = new EmbeddedStoreConfig(dir, "127.0.0.1", 0, EmbeddedStoreConfig.DEFAULT_SNAPSHOT_THRESHOLD_BYTES, fsync);
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(config)) {
            server.start();
            MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(server.connectionString()))
                .applyToConnectionPoolSettings(pool -> pool.maxSize(64))
                .build();
            try (MongoClient client = MongoClients.create(settings)) {
                MongoCollection<Document> machines = client.getDatabase("probe").getCollection("machines");
                String filler = "x".repeat(1000);
                List<Document> seed = new ArrayList<>();
                for (int i = 0; i < DOCUMENTS; i++) {
                    seed.add(new Document("_id", "m-" + i).append("counter", 0).append("filler", filler));
                    if (seed.size() == 1000) {
                        machines.insertMany(seed);
                        seed = new ArrayList<>();
                    }
                }
                // let the JIT finish first: on 2 cores the C2 compiler otherwise takes a core for ~10 s
                run(8, Integer.getInteger("probe.warmup", 10), () -> machines.updateOne(
                    Filters.eq("_id", "m-" + ThreadLocalRandom.current().nextInt(DOCUMENTS)), Updates.inc("counter", 1)));
                int[] threadCounts = java.util.Arrays.stream(System.getProperty("probe.threads", "1,8,32").split(","))
                    .mapToInt(Integer::parseInt).toArray();
                for (int threads : threadCounts) {
                    double rate = run(threads, seconds, () -> machines.updateOne(
                        Filters.eq("_id", "m-" + ThreadLocalRandom.current().nextInt(DOCUMENTS)), Updates.inc("counter", 1)));
                    System.out.printf("updateOne by _id, %2d threads: %8.0f ops/s (%s)%n", threads, rate, server.journalStatistics());
                }
                MongoCollection<Document> events = client.getDatabase("probe").getCollection("events");
                AtomicLong next = new AtomicLong();
                double batches = run(4, seconds, () -> {
                    List<Document> batch = new ArrayList<>(1000);
                    for (int i = 0; i < 1000; i++) {
                        batch.add(new Document("_id", next.incrementAndGet()).append("filler", filler));
                    }
                    events.insertMany(batch);
                });
                System.out.printf("insertMany 1000 x 1 KB, 4 threads: %8.0f docs/s%n", batches * 1000);
            }
        }
        long started = System.nanoTime();
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dir))) {
            server.start();
            System.out.printf("restart (snapshot + journal replay): %d ms%n", (System.nanoTime() - started) / 1_000_000);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static double run(int threads, int seconds, Runnable operation) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    operation.run();
                    done.incrementAndGet();
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return done.get() / (double) seconds;
    }
}
