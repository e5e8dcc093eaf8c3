package io.plantmesh.store.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the in-memory state on start: the newest complete snapshot, then every journal of that generation or
 * later, in order. A journal that ends in a torn or corrupt frame is cut back to its last intact record (the cut
 * bytes are kept beside it for inspection); that is expected after a crash and never stops the start, because a
 * record is only acknowledged once it and everything before it were forced.
 */
final class StoreRecovery {

    private static final Logger log = LoggerFactory.getLogger(StoreRecovery.class);

    /**
     * The journal to continue appending to, positioned after its last intact record; {@code snapshotBytes} is the size
     * of the snapshot it was recovered from (0 without one).
     */
    record Recovered(long generation, FileChannel journalChannel, long records, long bytes, long snapshotBytes) {
    }

    private StoreRecovery() {
    }

    static Recovered recover(DataDirectory directory, JournaledBackend backend) throws IOException {
        directory.deleteLeftoverTemporaryFiles();
        TreeSet<Long> snapshots = directory.snapshotGenerations();
        long snapshotGeneration = snapshots.isEmpty() ? 0 : snapshots.last();
        TreeSet<Long> journals = new TreeSet<>(directory.journalGenerations().tailSet(snapshotGeneration));
        log.info("Replaying embedded store {}: {} and {} journal file(s)", directory.root(),
            snapshots.isEmpty() ? "no snapshot" : "snapshot generation " + snapshotGeneration, journals.size());
        long started = System.nanoTime();
        long records = 0;
        long bytes = 0;
        long snapshotBytes = 0;

        if (!snapshots.isEmpty()) {
            Path snapshot = directory.snapshot(snapshotGeneration);
            SnapshotLoad load = new SnapshotLoad(backend);
            RecordFraming.ReadResult result = RecordFraming.readAll(snapshot, (payload, end) -> load.accept(payload));
            if (!result.intact() || !load.complete) {
                String problem = result.intact() ? "it has no end marker" : result.problem();
                throw new IllegalStateException("The embedded store snapshot " + snapshot + " is damaged (" + problem
                    + "). Snapshots are forced to disk before they replace the journal, so this points at the disk."
                    + " Restore the data directory from a backup.");
            }
            records += result.records();
            bytes += result.fileBytes();
            snapshotBytes = result.fileBytes();
        }

        for (long generation : journals) {
            Path journal = directory.journal(generation);
            RecordFraming.ReadResult result = RecordFraming.readAll(journal, (payload, end) -> {
                JournalRecord record = decode(payload, journal, end);
                try {
                    backend.apply(record);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("Cannot re-apply journal record " + record.type() + " ending at offset "
                        + end + " of " + journal + ": " + e.getMessage(), e);
                }
            });
            records += result.records();
            bytes += result.validBytes();
            if (!result.intact()) {
                cutTornTail(journal, result);
            }
        }

        long activeGeneration = journals.isEmpty() ? snapshotGeneration : journals.last();
        deleteOlderGenerations(directory, snapshotGeneration);
        Path activeJournal = directory.journal(activeGeneration);
        boolean newJournal = !Files.exists(activeJournal);
        FileChannel channel = FileChannel.open(activeJournal, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.position(channel.size());
        if (newJournal) {
            directory.sync();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("Replayed embedded store {}: {} records, {} bytes in {} ms", directory.root(), records, bytes, millis);
        return new Recovered(activeGeneration, channel, records, bytes, snapshotBytes);
    }

    private static JournalRecord decode(byte[] payload, Path file, long end) {
        try {
            return JournalRecord.decode(payload);
        } catch (RuntimeException e) {
            // the checksum matched, so this is not a torn write but a record this version cannot read
            throw new IllegalStateException("Unreadable record ending at offset " + end + " of " + file + ": " + e.getMessage(), e);
        }
    }

    private static void cutTornTail(Path journal, RecordFraming.ReadResult result) throws IOException {
        long cutBytes = result.fileBytes() - result.validBytes();
        Path kept = journal.resolveSibling(journal.getFileName() + ".tail-" + result.validBytes());
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel copy = FileChannel.open(kept, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                 StandardOpenOption.WRITE)) {
            channel.transferTo(result.validBytes(), cutBytes, copy);
            copy.force(true);
            channel.truncate(result.validBytes());
            channel.force(true);
        }
        log.warn("Journal {} ended in an incomplete record ({}); cut {} bytes after the last intact record at offset {}"
            + " (kept in {}). Only unacknowledged writes can be in such a tail.", journal, result.problem(), cutBytes,
            result.validBytes(), kept.getFileName());
    }

    private static void deleteOlderGenerations(DataDirectory directory, long snapshotGeneration) throws IOException {
        for (long generation : directory.snapshotGenerations().headSet(snapshotGeneration)) {
            Files.deleteIfExists(directory.snapshot(generation));
        }
        for (long generation : directory.journalGenerations().headSet(snapshotGeneration)) {
            Files.deleteIfExists(directory.journal(generation));
        }
    }

    /** Applies snapshot records and checks that the snapshot ends with its marker. */
    private static final class SnapshotLoad {
        private final JournaledBackend backend;
        private long applied;
        private boolean complete;

        SnapshotLoad(JournaledBackend backend) {
            this.backend = backend;
        }

        void accept(byte[] payload) {
            JournalRecord record = JournalRecord.decode(payload);
            if (record.type() == JournalRecord.Type.SNAPSHOT_END) {
                long expected = ((Number) record.body().get("records")).longValue();
                complete = expected == applied;
                return;
            }
            backend.apply(record);
            applied++;
        }
    }
}
