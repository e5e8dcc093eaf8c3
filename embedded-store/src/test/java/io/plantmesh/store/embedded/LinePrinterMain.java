package io.plantmesh.store.embedded;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child process of {@link KilledChildJvmTest}: prints {@code count} lines ("line 0", "line 1", ...) the way
 * {@link AcknowledgingWriterMain} prints acknowledgements (one flushed {@code println} each), then a fragment without
 * its newline, then creates the marker file and waits to be killed.
 * Arguments: markerFile count.
 */
public final class LinePrinterMain {

    static final String TORN_FRAGMENT = "torn";

    private LinePrinterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path marker = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            out.println("line " + i);
            out.flush();
        }
        out.print(TORN_FRAGMENT);
        out.flush();
        Files.createFile(marker);
        // bounded: the test kills it within seconds; if the test died instead, this ends on its own
        Thread.sleep(120_000);
    }
}
