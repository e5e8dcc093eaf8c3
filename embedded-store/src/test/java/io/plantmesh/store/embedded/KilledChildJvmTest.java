package io.plantmesh.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression test for a false alarm of {@link SigkillDurabilityTest}: the crash test must see every line the child
 * printed before SIGKILL, also the ones it had not read yet when it killed the child. It used to read the child's
 * stdout pipe in a thread and kill with {@link Process#destroyForcibly()}, which closes that pipe at once, so the
 * unread lines were dropped; a dropped "X id" (printed before deleting an acknowledged insert) made the delete look
 * like a lost insert.
 */
class KilledChildJvmTest {

    /** About 100 KB: more than a pipe holds (64 KiB on Linux), so a child writing to an unread pipe would stall. */
    private static final int LINES = 10_000;

    @TempDir
    Path directory;

    @Test
    void everyLinePrintedBeforeTheKillIsReadEvenIfNoneWasReadBefore() throws Exception {
        Path marker = directory.resolve("all-printed");
        KilledChildJvm child = KilledChildJvm.start(directory, "printer", LinePrinterMain.class,
            marker.toString(), Integer.toString(LINES));

        // nothing of the output is consumed before the kill: the largest possible lag of a reader
        await("the child printing all its lines").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
            .until(() -> Files.exists(marker));
        List<String> lines = child.killAndReadOutput();

        assertThat(lines).as("complete lines after SIGKILL, without the fragment that has no newline yet")
            .containsExactlyElementsOf(IntStream.range(0, LINES).mapToObj(i -> "line " + i).toList());
        child.deleteFiles();
    }
}
