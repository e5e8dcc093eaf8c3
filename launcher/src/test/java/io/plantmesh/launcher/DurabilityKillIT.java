package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged twin writes survive SIGKILL. A child JVM runs the embedded store and the twin server on a temporary
 * data directory; four writer threads PUT increasing counter values to their own thing and create new things over
 * HTTP, recording each write as acknowledged when its 2xx arrives; the child is killed ({@code destroyForcibly},
 * SIGKILL on Linux) at a seeded random moment and restarted on the same directory. Every acknowledged counter must
 * be there with at least its acknowledged value (and at most the last value sent), every acknowledged creation must
 * exist. Three kill rounds. Seed: {@code -Ddurability.seed=...} (printed on failure).
 */
class DurabilityKillIT {

    private static final int WRITERS = 4;
    private static final int ROUNDS = 3;
    private static final long SEED = Long.getLong("durability.seed", 20261126L);

    @TempDir
    Path dataDir;

    private Child child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.process.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void acknowledgedWritesSurviveSigkill() throws Exception {
        Random random = new Random(SEED);
        AtomicLongArray acknowledged = new AtomicLongArray(WRITERS);
        AtomicLongArray sent = new AtomicLongArray(WRITERS);
        Set<String> createdAndAcknowledged = ConcurrentHashMap.newKeySet();
        long totalAcknowledged = 0;

        child = Child.start(dataDir);
        TwinHttp http = new TwinHttp(child.port);
        for (int w = 0; w < WRITERS; w++) {
            HttpResponse<String> created = http.put("/things/" + counterThing(w), "{\"attributes\":{\"counter\":0}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }

        for (int round = 1; round <= ROUNDS; round++) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong acksThisRound = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                int thisRound = round;
                TwinHttp client = http;
                Thread t = new Thread(() -> write(client, writer, thisRound, stop, acknowledged, sent,
                        createdAndAcknowledged, acksThisRound), "writer-" + w);
                t.setDaemon(true);
                writers.add(t);
                t.start();
            }
            // let some writes be acknowledged, then kill at a random moment
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (acksThisRound.get() < 50 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(acksThisRound.get()).as("acknowledged writes before the kill in round %d", round)
                    .isGreaterThanOrEqualTo(50);
            long killAfterMs = 200 + random.nextInt(2300);
            Thread.sleep(killAfterMs);
            child.process.destroyForcibly();
            assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            for (Thread t : writers) {
                t.join(15_000);
                assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
            }
            totalAcknowledged += acksThisRound.get();

            child = Child.start(dataDir);
            http = new TwinHttp(child.port);
            for (int w = 0; w < WRITERS; w++) {
                HttpResponse<String> response = http.get("/things/" + counterThing(w) + "/attributes/counter");
                assertThat(response.statusCode()).isEqualTo(200);
                long value = Long.parseLong(response.body());
                assertThat(value).as("seed %d, round %d: counter of %s (acknowledged %d, last sent %d)", SEED, round,
                        counterThing(w), acknowledged.get(w), sent.get(w))
                        .isGreaterThanOrEqualTo(acknowledged.get(w))
                        .isLessThanOrEqualTo(sent.get(w));
            }
            System.out.printf("round %d: killed %d ms after the 50th acknowledgement, %d writes acknowledged this round,"
                    + " counters acknowledged %s, sent %s; %d creations acknowledged so far%n", round, killAfterMs,
                    acksThisRound.get(), acknowledged, sent, createdAndAcknowledged.size());
            for (String id : createdAndAcknowledged) {
                assertThat(http.get("/things/" + id).statusCode()).as("seed %d, round %d: created %s", SEED, round, id)
                        .isEqualTo(200);
            }
        }
        assertThat(totalAcknowledged).isGreaterThanOrEqualTo(ROUNDS * 50L);
        assertThat(createdAndAcknowledged).isNotEmpty();
    }

    /** One writer: sequential PUTs of increasing values to its own thing, every 10th write also a creation. */
    private static void write(TwinHttp http, int writer, int round, AtomicBoolean stop, AtomicLongArray acknowledged,
            AtomicLongArray sent, Set<String> created, AtomicLong acks) {
        int n = 0;
        while (!stop.get()) {
            try {
                long value = sent.get(writer) + 1;
                sent.set(writer, value);
                HttpResponse<String> r = http.put("/things/" + counterThing(writer) + "/attributes/counter",
                        Long.toString(value));
                if (r.statusCode() / 100 != 2) {
                    throw new AssertionError("write of " + value + " answered " + r.statusCode() + " " + r.body());
                }
                acknowledged.set(writer, value);
                acks.incrementAndGet();
                if (++n % 10 == 0) {
                    String id = "plant1:c-" + round + "-" + writer + "-" + n;
                    HttpResponse<String> c = http.put("/things/" + id, "{\"attributes\":{\"n\":" + n + "}}");
                    if (c.statusCode() != 201) {
                        throw new AssertionError("creation of " + id + " answered " + c.statusCode() + " " + c.body());
                    }
                    created.add(id);
                    acks.incrementAndGet();
                }
            } catch (IOException e) {
                return; // the child was killed: this write is not acknowledged
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String counterThing(int writer) {
        return "plant1:k-" + writer;
    }

    /** The child JVM running {@link ChildPlantMeshMain}; its output is drained and the last lines kept. */
    private static final class Child {

        private final Process process;
        private final int port;

        private Child(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Child start(Path dataDir) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), ChildPlantMeshMain.class.getName(),
                    dataDir.toString()).redirectErrorStream(true);
            Process process = builder.start();
            CompletableFuture<Integer> ready = new CompletableFuture<>();
            Deque<String> lastLines = new ArrayDeque<>();
            Thread drain = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (lastLines) {
                            lastLines.addLast(line);
                            if (lastLines.size() > 40) {
                                lastLines.removeFirst();
                            }
                        }
                        if (line.startsWith(ChildPlantMeshMain.READY)) {
                            ready.complete(Integer.parseInt(line.substring(ChildPlantMeshMain.READY.length()).trim()));
                        }
                    }
                } catch (IOException e) {
                    // the child died; the wait below reports it
                }
                ready.completeExceptionally(new IllegalStateException("child exited before it was ready"));
            }, "child-output");
            drain.setDaemon(true);
            drain.start();
            try {
                return new Child(process, ready.get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                process.destroyForcibly();
                synchronized (lastLines) {
                    throw new AssertionError("the child PlantMesh did not start: " + e + "\n"
                            + String.join("\n", lastLines), e);
                }
            }
        }
    }
}
