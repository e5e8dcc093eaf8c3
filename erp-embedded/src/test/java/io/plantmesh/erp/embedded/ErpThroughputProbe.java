package io.plantmesh.erp.embedded;

import static io.plantmesh.erp.embedded.TestPlant.DOCUMENTS;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;

/**
 * Not a test (not run by the build): prints goods-movement postings per second against the ERP on the durable
 * embedded store. Run: {@code mvn -o -q test -pl erp-embedded -Dtest=ErpThroughputProbe}.
 */
class ErpThroughputProbe {

    @TempDir
    Path dataDir;

    @Test
    void postingsPerSecond() throws Exception {
        int senders = Integer.getInteger("senders", 16);
        int perSender = Integer.getInteger("postings", 200);
        boolean memory = Boolean.getBoolean("memory");
        try (EmbeddedMongoServer store = EmbeddedMongoServer.create(EmbeddedStoreConfig.defaults(dataDir));
                InMemoryMongo inMemory = new InMemoryMongo()) {
            String uri = memory ? inMemory.uri() : connect(store);
            ErpConfig config = TestPlant.config(uri, new MutableClock(TestPlant.START))
                .material(MaterialMaster.of("RM-BULK", TestPlant.PLANT, "PC", BigDecimal.ONE)
                    .withInitialStock(new BigDecimal("1000000")))
                .build();
            try (EmbeddedErp erp = EmbeddedErp.create(config).start()) {
                ExecutorService threads = Executors.newFixedThreadPool(senders);
                long cpuBefore = processCpuNanos();
                long start = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int s = 0; s < senders; s++) {
                    int sender = s;
                    ErpClient client = ErpClient.of(erp);
                    done.add(threads.submit(() -> {
                        for (int i = 0; i < perSender; i++) {
                            ErpClient.Response response = client.post(DOCUMENTS,
                                TestPlant.goodsIssue("RM-BULK", "1"), "probe-" + sender + "-" + i);
                            if (response.status() != 201) {
                                throw new IllegalStateException(response.text());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.MINUTES);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuMs = (processCpuNanos() - cpuBefore) / 1e6;
                System.out.printf("PROBE (%s) %d postings from %d senders in %.2f s: %.0f postings/s; process CPU "
                    + "%.2f ms per posting (clients included); load average %.2f%n", memory ? "in-memory"
                    : "embedded store", senders * perSender, senders, seconds, senders * perSender / seconds,
                    cpuMs / (senders * perSender), java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
                threads.shutdownNow();
            }
        }
    }

    private static long processCpuNanos() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static String connect(EmbeddedMongoServer store) {
        store.start();
        return store.connectionString();
    }
}
