package io.plantmesh.launcher;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.plantmesh.audit.AuditStore;
import io.plantmesh.audit.AuditVerifier;
import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code plantmesh audit}: the audit log of twin writes and denied requests. Subcommand: {@code verify}. */
@Command(name = "audit", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        versionProvider = PlantMeshCommand.Version.class,
        description = "The audit log of every twin write and every denied request (hash-chained, in MongoDB).",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code plantmesh audit verify}: checks the whole chain and names the first broken record. Exit code 0 if the log
     * is intact, 1 if it is broken, 2 if it could not be checked.
     */
    @Command(name = "verify", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
            versionProvider = PlantMeshCommand.Version.class,
            description = {"Checks the audit log's hash chain and names the first broken record: changed, removed or"
                    + " reordered. Exit code 0: intact; 1: broken; 2: could not check.",
                    "Reads the MongoDB given by --mongo-uri, or else the embedded store of --data-dir (only while no"
                            + " 'plantmesh up' runs on it; while one does, give --mongo-uri with the store URL it"
                            + " printed)."})
    static final class Verify implements Callable<Integer> {

        private static final Logger LOG = LoggerFactory.getLogger(Verify.class);

        @Spec
        CommandSpec spec;

        @Option(names = "--mongo-uri", paramLabel = "URI", defaultValue = "${env:PLANTMESH_MONGO_URI}",
                description = "The MongoDB holding the audit log, e.g. the store URL 'plantmesh up' printed"
                        + " (env PLANTMESH_MONGO_URI).")
        String mongoUri;

        @Option(names = "--data-dir", paramLabel = "DIR",
                defaultValue = "${env:PLANTMESH_DATA_DIR:-./.plantmesh/data}",
                description = "Data directory of a stopped embedded footprint, used without --mongo-uri (default"
                        + " ./.plantmesh/data; env PLANTMESH_DATA_DIR).")
        Path dataDir;

        @Option(names = "--database", paramLabel = "NAME", defaultValue = "plantmesh",
                description = "The twin server's database (default plantmesh).")
        String database;

        @Option(names = "--anchor", paramLabel = "SEQ:HASH",
                description = "A record number and hash printed by an earlier verification and kept elsewhere: also"
                        + " catches the removal of the newest records together with the head document.")
        String anchor;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AuditVerifier.Anchor anchored;
            try {
                anchored = anchor == null ? null : AuditVerifier.Anchor.parse(anchor);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--anchor: " + e.getMessage());
            }
            boolean embedded = mongoUri == null || mongoUri.isBlank();
            EmbeddedMongoServer store = null;
            try {
                String uri = mongoUri;
                if (embedded) {
                    Path storeDir = dataDir.resolve(PlantMeshLauncher.STORE_DIRECTORY);
                    if (!Files.isDirectory(storeDir)) {
                        err.println("plantmesh: there is no embedded store in " + storeDir.toAbsolutePath().normalize()
                                + ". Give the data directory of 'plantmesh up' with --data-dir, or a MongoDB with"
                                + " --mongo-uri.");
                        return 2;
                    }
                    store = EmbeddedMongoServer.create(new EmbeddedStoreConfig(storeDir, "127.0.0.1", 0,
                            EmbeddedStoreConfig.DEFAULT_SNAPSHOT_THRESHOLD_BYTES, true));
                    try {
                        store.start();
                    } catch (RuntimeException e) {
                        err.println("plantmesh: " + storeUnavailable(storeDir, e));
                        LOG.debug("embedded store did not start", e);
                        return 2;
                    }
                    uri = store.connectionString();
                }
                AuditVerifier.Result result;
                try (AuditStore audit = AuditStore.open(uri, database)) {
                    result = AuditVerifier.verify(audit, anchored);
                }
                out.println(result.describe());
                out.flush();
                return result.intact() ? 0 : 1;
            } catch (RuntimeException e) {
                LOG.debug("audit verify failed", e);
                err.println("plantmesh: could not read the audit log from "
                        + (embedded ? "the embedded store in " + dataDir : StartupErrors.redacted(mongoUri)) + ": "
                        + e.getMessage() + ". Check --mongo-uri (host, port, credentials) and --database.");
                return 2;
            } finally {
                if (store != null) {
                    store.close();
                }
            }
        }

        private static String storeUnavailable(Path storeDir, RuntimeException e) {
            String why = String.valueOf(e.getMessage());
            if (why.contains("in use by another server")) {
                return "the embedded store in " + storeDir.toAbsolutePath().normalize() + " is in use by a running"
                        + " 'plantmesh up'. Verify through it instead: plantmesh audit verify --mongo-uri <the store"
                        + " URL it printed, mongodb://127.0.0.1:<port>>.";
            }
            return "the embedded store in " + storeDir.toAbsolutePath().normalize() + " could not start: " + why;
        }
    }
}
