package io.plantmesh.store.embedded;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

/**
 * Child process of {@link SigkillDurabilityTest}: starts a store on the given directory and writes until it is
 * killed, printing every write the moment it is acknowledged ("U id value" for upserts, "I id" for inserts,
 * "X id" before and "D id" after deleting an inserted id, "B id value" for updates of the bulk collection).
 * The first run loads {@link #BULK_DOCUMENTS} documents of ~1 KB into {@code crash.bulk}, so that every snapshot
 * takes long enough for kills to land inside it.
 * Arguments: dataDir runNumber snapshotThresholdBytes.
 */
public final class AcknowledgingWriterMain {

    private static final int UPSERT_THREADS = 4;
    private static final int KEYS_PER_THREAD = 50;
    static final int BULK_DOCUMENTS = 8000;

    private AcknowledgingWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String run = args[1];
        long snapshotThreshold = Long.parseLong(args[2]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        EmbeddedMongoServer server = EmbeddedMongoServer.create(new EmbeddedStoreConfig(dataDir, "127.0.0.1", 0, snapshotThreshold, true));
        server.start();
        MongoClient client = MongoClients.create(server.connectionString());
        MongoCollection<Document> counters = client.getDatabase("crash").getCollection("counters");
        MongoCollection<Document> events = client.getDatabase("crash").getCollection("events");
        MongoCollection<Document> bulk = client.getDatabase("crash").getCollection("bulk");
        if (bulk.countDocuments() < BULK_DOCUMENTS) {
            for (int from = 0; from < BULK_DOCUMENTS; from += 500) {
                List<Document> documents = new ArrayList<>();
                for (int i = from; i < from + 500; i++) {
                    documents.add(new Document("_id", "k" + i).append("v", 0L).append("payload", "b".repeat(1000)));
                }
                bulk.insertMany(documents);
            }
        }
        // values only grow across runs, so "at least the acknowledged value" is meaningful
        AtomicLong clock = new AtomicLong(System.currentTimeMillis() * 1000);
        synchronized (out) {
            out.println("READY " + server.connectionString());
            out.flush();
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < UPSERT_THREADS; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (long i = 0; ; i++) {
                    String id = "t" + thread + "-" + (i % KEYS_PER_THREAD);
                    long value = clock.incrementAndGet();
                    counters.updateOne(Filters.eq("_id", id),
                        Updates.combine(Updates.set("v", value), Updates.inc("n", 1)), new UpdateOptions().upsert(true));
                    synchronized (out) {
                        out.println("U " + id + " " + value);
                        out.flush();
                    }
                }
            }));
        }
        threads.add(new Thread(() -> {
            java.util.Random random = new java.util.Random();
            while (true) {
                String id = "k" + random.nextInt(BULK_DOCUMENTS);
                long value = clock.incrementAndGet();
                bulk.updateOne(Filters.eq("_id", id), Updates.set("v", value));
                synchronized (out) {
                    out.println("B " + id + " " + value);
                    out.flush();
                }
            }
        }));
        threads.add(new Thread(() -> {
            for (int batch = 0; ; batch++) {
                List<Document> documents = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String id = "r" + run + "-b" + batch + "-" + i;
                    ids.add(id);
                    documents.add(new Document("_id", id).append("payload", "p".repeat(300)));
                }
                events.insertMany(documents);
                synchronized (out) {
                    for (String id : ids) {
                        out.println("I " + id);
                    }
                    out.flush();
                }
                if (batch >= 3) {
                    // frees a slot that a later insert reuses
                    String deleted = "r" + run + "-b" + (batch - 3) + "-0";
                    synchronized (out) {
                        // from now on this insert may be gone: the delete can be durable before its reply
                        out.println("X " + deleted);
                        out.flush();
                    }
                    events.deleteOne(Filters.eq("_id", deleted));
                    synchronized (out) {
                        out.println("D " + deleted);
                        out.flush();
                    }
                }
            }
        }));
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
