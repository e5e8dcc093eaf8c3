package io.plantmesh.erp.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyedWorkTest {

    private static final ThingId A = ThingId.of("plant1:wo-000001");
    private static final ThingId B = ThingId.of("plant1:wo-000002");

    private final ExecutorService workers = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        workers.shutdownNow();
        timer.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void submissionsDuringARunMakeExactlyOneMoreRunAndTwinsRunInParallel() throws InterruptedException {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch bothRunning = new CountDownLatch(2);
        final Map<ThingId, AtomicInteger> runs = new ConcurrentHashMap<>();
        final Map<ThingId, AtomicInteger> concurrent = new ConcurrentHashMap<>();
        final AtomicInteger maxConcurrentPerTwin = new AtomicInteger();
        final KeyedWork work = new KeyedWork("test", id -> {
            final int now = concurrent.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            maxConcurrentPerTwin.accumulateAndGet(now, Math::max);
            final int run = runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (run == 1) {
                bothRunning.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            concurrent.get(id).decrementAndGet();
            return null;
        }, workers, timer, Duration.ofMillis(10));

        work.submit(A);
        work.submit(B);
        assertThat(bothRunning.await(10, TimeUnit.SECONDS)).as("A and B run at the same time").isTrue();
        for (int i = 0; i < 20; i++) {
            work.submit(A);
        }
        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get(A).get() == 2);
        Thread.sleep(100); // would a third run follow? (it must not)
        assertThat(runs.get(A)).hasValue(2);
        assertThat(runs.get(B)).hasValue(1);
        assertThat(maxConcurrentPerTwin).hasValue(1);
    }

    @Test
    void aRetryDurationRunsTheTwinAgainLater() {
        final AtomicInteger runs = new AtomicInteger();
        final KeyedWork work = new KeyedWork("test", id -> runs.incrementAndGet() < 3 ? Duration.ofMillis(20) : null,
                workers, timer, Duration.ofMillis(10));

        work.submit(A);

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 3);
    }
}
