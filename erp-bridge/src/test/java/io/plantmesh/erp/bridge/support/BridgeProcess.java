package io.plantmesh.erp.bridge.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.plantmesh.erp.bridge.ErpBridge;
import io.plantmesh.erp.bridge.ErpBridgeConfig;

/**
 * An ERP bridge in a JVM of its own, so that a test can kill it with SIGKILL at any point. {@link #main} runs the
 * bridge until the process dies.
 */
public final class BridgeProcess {

    private BridgeProcess() {
    }

    /** Args: twin WebSocket URL, ERP OData base URL, ERP user, ERP password. */
    public static void main(final String[] args) throws InterruptedException {
        final ErpBridgeConfig config = ErpBridgeConfig.defaults(URI.create(args[0]), URI.create(args[1]))
                .withErpUser(args[2], args[3])
                .withIntervals(Duration.ofSeconds(1), Duration.ofMillis(300))
                .withRetryBackoff(Duration.ofMillis(100), Duration.ofMillis(500));
        ErpBridge.create(config).start();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts {@link #main} in a new JVM on this test's class path; output goes to {@code log}. */
    public static Process launch(final URI twinWs, final URI erpBase, final String user, final String password,
            final Path log) throws IOException {
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), BridgeProcess.class.getName(), twinWs.toString(),
                erpBase.toString(), user, password));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return builder.start();
    }
}
