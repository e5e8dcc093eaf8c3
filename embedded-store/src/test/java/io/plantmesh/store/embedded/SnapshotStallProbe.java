package io.plantmesh.store.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * Not a test: measures how long writes stall while a snapshot of a large store is taken. Loads N documents of
 * ~1 KB, runs W writer threads ({@code updateOne} by random {@code _id}), warms up, measures a baseline window, then
 * takes several snapshots (no automatic ones) and reports, per snapshot, its duration and the latency of the writes
 * that overlapped it. Uses only API that existed before the non-blocking snapshots, to compare both.
 * <p>
 * {@code java -Xmx6g -cp "target/test-classes:target/classes:$(cat cp.txt)" io.plantmesh.store.embedded.SnapshotStallProbe 100000 4}
 */
public final class SnapshotStallProbe {

    private static volatile boolean stop;

    private SnapshotStallProbe() {
    }

    /** One write: when it started and how long it took until acknowledged, in nanoseconds. */
    private static final class Samples {
        long[] starts = new long[1 << 16];
        long[] latencies = new long[1 << 16];
        int size;

        synchronized void add(long start, long latency) {
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                latencies = Arrays.copyOf(latencies, size * 2);
            }
            starts[size] = start;
            latencies[size] = latency;
            size++;
        }

        /** Latencies of writes overlapping [from, to]. */
        synchronized void collect(long from, long to, List<Long> into) {
            for (int i = 0; i < size; i++) {
                if (starts[i] <= to && starts[i] + latencies[i] >= from) {
                    into.add(latencies[i]);
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int writers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int warmupSeconds = Integer.getInteger("probe.warmup", 20);
        Path dataDir = Files.createTempDirectory("snapshot-stall-probe");
        String payload = "x".repeat(1000);
        EmbeddedStoreConfig config = new EmbeddedStoreConfig(dataDir, "127.0.0.1", 0, 1L << 40, true);
        try (EmbeddedMongoServer server = EmbeddedMongoServer.create(config)) {
            server.start();
            try (MongoClient client = MongoClients.create(server.connectionString())) {
                MongoCollection<Document> collection = client.getDatabase("probe").getCollection("twins");
                for (int from = 0; from < documents; from += 1000) {
                    int to = Math.min(documents, from + 1000);
                    collection.insertMany(IntStream.range(from, to)
                        .mapToObj(i -> new Document("_id", i).append("v", 0L).append("payload", payload)).toList());
                }
                Samples samples = new Samples();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < writers; t++) {
                    Thread thread = new Thread(() -> {
                        for (long i = 0; !stop; i++) {
                            int id = ThreadLocalRandom.current().nextInt(documents);
                            long start = System.nanoTime();
                            collection.updateOne(Filters.eq("_id", id), Updates.set("v", i));
                            samples.add(start, System.nanoTime() - start);
                        }
                    });
                    threads.add(thread);
                    thread.start();
                }
                Thread.sleep(warmupSeconds * 1000L);
                // a first snapshot after the load and warm-up, not measured (the JIT compiles the snapshot path)
                server.snapshotNow();
                Thread.sleep(3000);
                long baselineFrom = System.nanoTime();
                Thread.sleep(5000);
                List<Long> baseline = new ArrayList<>();
                samples.collect(baselineFrom, System.nanoTime(), baseline);
                System.out.printf("%d documents (~%d MB BSON), %d writers, fsync on%n", documents,
                    documents * 1040L / 1_000_000, writers);
                System.out.println("without a snapshot, 5 s: " + describe(baseline, 5.0));
                for (int round = 1; round <= 3; round++) {
                    long from = System.nanoTime();
                    server.snapshotNow();
                    long to = System.nanoTime();
                    // writes held up by the snapshot complete after it: collect once they have
                    Thread.sleep(3000);
                    List<Long> during = new ArrayList<>();
                    samples.collect(from, to, during);
                    long snapshotBytes;
                    try (var files = Files.list(dataDir)) {
                        snapshotBytes = files.filter(file -> file.getFileName().toString().endsWith(".bson"))
                            .mapToLong(file -> file.toFile().length()).max().orElse(0);
                    }
                    System.out.printf("snapshot %d: %d ms, %d MB; writes overlapping it: %s%n", round,
                        (to - from) / 1_000_000, snapshotBytes / 1_000_000, describe(during, (to - from) / 1e9));
                }
                stop = true;
                for (Thread thread : threads) {
                    thread.join();
                }
            }
        } finally {
            try (var files = Files.list(dataDir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dataDir);
        }
        System.exit(0);
    }

    private static String describe(List<Long> latencies, double seconds) {
        if (latencies.isEmpty()) {
            return "none";
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("%d acknowledged (%.0f/s), p50 %.2f ms, p99 %.2f ms, max %.1f ms", sorted.length,
            sorted.length / seconds, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
            sorted[sorted.length - 1] / 1e6);
    }
}
