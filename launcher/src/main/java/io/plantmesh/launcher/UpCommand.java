package io.plantmesh.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code plantmesh up}: runs the embedded footprint in the foreground until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        versionProvider = PlantMeshCommand.Version.class,
        description = {
                "Runs PlantMesh on this machine: the embedded MongoDB-compatible store, the Eclipse Ditto compatible"
                        + " twin server, and the demo plant (namespace plant1: 5 lines, 50 machines, 40 work orders,"
                        + " 20 materials). Ctrl-C stops it; data survives restarts.",
                "Every option can also be set by the environment variable named in its description."})
final class UpCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(UpCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_HTTP_PORT:-8080}",
            description = "Port of the twin API and WebSocket (default 8080, 0 = a free one; env PLANTMESH_HTTP_PORT).")
    int httpPort;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${env:PLANTMESH_HOST:-127.0.0.1}",
            description = "Address the twin server binds (default 127.0.0.1; 0.0.0.0 for every interface;"
                    + " env PLANTMESH_HOST).")
    String host;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:PLANTMESH_DATA_DIR:-./.plantmesh/data}",
            description = "Data directory (default ./.plantmesh/data under the working directory; the embedded store"
                    + " keeps its files in DIR/store; env PLANTMESH_DATA_DIR).")
    Path dataDir;

    @Option(names = "--store-port", paramLabel = "PORT", defaultValue = "${env:PLANTMESH_STORE_PORT:-0}",
            description = "Port of the embedded store's MongoDB wire protocol on 127.0.0.1 (default 0 = a free one;"
                    + " env PLANTMESH_STORE_PORT).")
    int storePort;

    @Option(names = "--mongo-uri", paramLabel = "URI", defaultValue = "${env:PLANTMESH_MONGO_URI}",
            description = "Use this MongoDB instead of the embedded store, e.g. mongodb://user:pw@host:27017/"
                    + "?authSource=admin (env PLANTMESH_MONGO_URI).")
    String mongoUri;

    @Option(names = "--users-file", paramLabel = "FILE", defaultValue = "${env:PLANTMESH_USERS_FILE}",
            description = "Additional basic-auth users, one 'name:password' or 'name:sha256:<hex>' per line; user"
                    + " NAME gets subject nginx:NAME. The dev user ditto/ditto is always there"
                    + " (env PLANTMESH_USERS_FILE).")
    Path usersFile;

    @Option(names = "--no-demo", description = "Do not provision the demo plant.")
    boolean noDemo;

    @Option(names = "--demo-seed", paramLabel = "SEED", defaultValue = "42",
            description = "Seed of the demo plant's random choices (default 42). Only used when the plant is"
                    + " provisioned the first time on a data directory.")
    long demoSeed;

    @Override
    public Integer call() throws InterruptedException {
        checkPort("--http-port", httpPort);
        checkPort("--store-port", storePort);
        LaunchOptions options = new LaunchOptions(host, httpPort, dataDir, storePort, blankToNull(mongoUri),
                usersFile, !noDemo, demoSeed);
        PrintStream out = System.out;
        ConsoleListener console = new ConsoleListener(out);
        RunningPlantMesh running;
        try {
            running = PlantMeshLauncher.start(options, console);
        } catch (LaunchException e) {
            console.endProgress();
            LOG.debug("start failed", e);
            System.err.println("plantmesh: " + e.getMessage());
            return 1;
        }
        console.endProgress();
        if (options.demo()) {
            out.println(running.provisioning().summary());
        }
        out.println();
        out.println("PlantMesh is up. Ctrl-C stops it.");
        console.printServices();
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "plantmesh-shutdown"));
        stopped.await();
        return 0;
    }

    private void checkPort(String option, int port) {
        boolean valid = port >= 0 && port <= 65535;
        if (!valid) {
            throw new ParameterException(spec.commandLine(), option + " must be a port number 0..65535, was " + port);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
