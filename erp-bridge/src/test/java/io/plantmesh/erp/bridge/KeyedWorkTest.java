package io.plantmesh.erp.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

class KeyedWorkTest {

    private static final ThingId A = ThingId.of("plant1:wo-000001");
    private static final ThingId B = ThingId.of("plant1:wo-000002");
    private static final ThingId C = ThingId.of("plant1:wo-000003");

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Runs {@code action} on the context and waits for it. */
    private void onContext(final Runnable action) throws Exception {
        final Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            action.run();
            done.complete();
        });
        done.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Work whose runs stay open until the test completes them; counts runs and overlaps per twin. */
    private static final class HeldWork implements Function<ThingId, Future<Duration>> {
        final Map<ThingId, AtomicInteger> runs = new ConcurrentHashMap<>();
        final Map<ThingId, AtomicInteger> concurrent = new ConcurrentHashMap<>();
        final AtomicInteger maxConcurrentPerTwin = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final List<Promise<Duration>> open = new CopyOnWriteArrayList<>();
        final List<ThingId> started = new CopyOnWriteArrayList<>();

        @Override
        public Future<Duration> apply(final ThingId id) {
            final int now = concurrent.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            maxConcurrentPerTwin.accumulateAndGet(now, Math::max);
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            started.add(id);
            final Promise<Duration> promise = Promise.promise();
            open.add(promise);
            return promise.future().onComplete(done -> {
                concurrent.get(id).decrementAndGet();
                running.decrementAndGet();
            });
        }

        /** Completes every open run with "nothing to do". */
        void finishAll(final Context context) {
            final List<Promise<Duration>> now = new ArrayList<>(open);
            open.removeAll(now);
            context.runOnContext(v -> now.forEach(p -> p.complete(null)));
        }
    }

    @Test
    void submissionsDuringARunMakeExactlyOneMoreRunAndTwinsRunInParallel() throws Exception {
        final HeldWork held = new HeldWork();
        final KeyedWork[] work = new KeyedWork[1];
        onContext(() -> work[0] = new KeyedWork("test", held, context, 4, Duration.ofMillis(10)));

        onContext(() -> {
            work[0].submit(A);
            work[0].submit(B);
        });
        assertThat(held.running).as("A and B run at the same time").hasValue(2);
        onContext(() -> {
            for (int i = 0; i < 20; i++) {
                work[0].submit(A);
            }
        });
        held.finishAll(context);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.runs.get(A).get() == 2);
        held.finishAll(context);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.running.get() == 0);

        assertThat(held.runs.get(A)).as("20 submissions during a run: one more run").hasValue(2);
        assertThat(held.runs.get(B)).hasValue(1);
        assertThat(held.maxConcurrentPerTwin).hasValue(1);
    }

    @Test
    void atMostTheLimitRunsAtATimeAndTheRestWaitInLine() throws Exception {
        final HeldWork held = new HeldWork();
        final KeyedWork[] work = new KeyedWork[1];
        onContext(() -> work[0] = new KeyedWork("test", held, context, 2, Duration.ofMillis(10)));

        onContext(() -> {
            work[0].submit(A);
            work[0].submit(B);
            work[0].submit(C);
            work[0].submit(C); // waiting already: still one run
        });
        assertThat(held.started).containsExactly(A, B);
        held.finishAll(context);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.started.size() == 3);
        held.finishAll(context);
        await().atMost(Duration.ofSeconds(10)).until(() -> held.running.get() == 0);

        assertThat(held.started).containsExactly(A, B, C);
        assertThat(held.maxRunning).hasValue(2);
    }

    @Test
    void aRetryDurationRunsTheTwinAgainLaterAndAFailureIsRetried() throws Exception {
        final AtomicInteger runs = new AtomicInteger();
        final KeyedWork[] work = new KeyedWork[1];
        onContext(() -> work[0] = new KeyedWork("test", id -> {
            final int run = runs.incrementAndGet();
            if (run == 1) {
                return Future.failedFuture(new IllegalStateException("simulated failure"));
            }
            return Future.succeededFuture(run < 4 ? Duration.ofMillis(20) : null);
        }, context, 4, Duration.ofMillis(10)));

        onContext(() -> work[0].submit(A));

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 4);
    }
}
