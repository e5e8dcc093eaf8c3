package io.plantmesh.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;

import io.plantmesh.audit.AuditEntry;
import io.plantmesh.audit.AuditLog;
import io.plantmesh.audit.AuditStore;
import io.plantmesh.store.embedded.EmbeddedMongoServer;
import io.plantmesh.store.embedded.EmbeddedStoreConfig;
import picocli.CommandLine;

/** {@code plantmesh audit verify} against the embedded store of a data directory and against a MongoDB URI. */
class AuditVerifyIT {

    @TempDir
    Path dataDir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void verifiesADataDirectoryNamesAChangedRecordAndPointsToMongoUriWhileTheStoreIsInUse() throws Exception {
        try (EmbeddedMongoServer store = store()) {
            store.start();
            try (AuditLog log = AuditLog.start(AuditStore.open(store.connectionString(), "plantmesh"), 100)) {
                for (int i = 1; i <= 5; i++) {
                    log.append(new AuditEntry(Instant.now(), List.of("nginx:ditto"), "thing.modify",
                            "plant1:machine-1-01", "thing:/attributes/name", AuditEntry.SUCCEEDED, 204, null,
                            "c-" + i, (long) i, null));
                }
                assertThat(log.awaitWritten(Duration.ofSeconds(20))).isTrue();
            }
            // while the store runs, the data directory is locked: verify through its URL
            assertThat(run("audit", "verify", "--data-dir", dataDir.toString())).isEqualTo(2);
            assertThat(err.toString()).contains("in use by a running 'plantmesh up'", "--mongo-uri");
            assertThat(run("audit", "verify", "--mongo-uri", store.connectionString())).isZero();
            assertThat(out.toString()).contains("The audit log is intact: 5 records, the last is 5");
        }
        assertThat(run("audit", "verify", "--data-dir", dataDir.toString())).isZero();

        try (EmbeddedMongoServer store = store()) {
            store.start();
            try (MongoClient client = MongoClients.create(store.connectionString())) {
                client.getDatabase("plantmesh").getCollection(AuditStore.RECORDS).updateOne(Filters.eq("_id", 3L),
                        new Document("$set", new Document("subjects", List.of("keycloak:someone-else"))));
            }
        }
        out.getBuffer().setLength(0);
        assertThat(run("audit", "verify", "--data-dir", dataDir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("The audit log is broken at record 3:", "was changed");
    }

    @Test
    void aMissingDataDirectoryOrABadAnchorIsSaidPlainly() {
        assertThat(run("audit", "verify", "--data-dir", dataDir.resolve("nothing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("there is no embedded store in", "--data-dir", "--mongo-uri");
        assertThat(run("audit", "verify", "--anchor", "12")).isEqualTo(2);
        assertThat(err.toString()).contains("--anchor", "<sequence>:<64 hex digits");
    }

    private EmbeddedMongoServer store() {
        return EmbeddedMongoServer.create(new EmbeddedStoreConfig(dataDir.resolve(PlantMeshLauncher.STORE_DIRECTORY),
                "127.0.0.1", 0, EmbeddedStoreConfig.DEFAULT_SNAPSHOT_THRESHOLD_BYTES, true));
    }

    private int run(String... args) {
        CommandLine commandLine = PlantMeshCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
