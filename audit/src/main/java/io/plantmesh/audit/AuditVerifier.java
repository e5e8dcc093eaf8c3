package io.plantmesh.audit;

import java.util.Optional;

import org.bson.Document;

/**
 * Checks the whole chain of an {@link AuditStore} and names the first broken record: one that was changed (its hash
 * does not match its content), removed (its number is missing), or replaced or moved (it does not name the hash of
 * the record before it), and records missing at the end (the head document names a newer record than the last
 * one). An optional anchor (a sequence number and hash kept outside the database, e.g. from an earlier
 * verification) also catches the removal of the newest records together with the head document.
 */
public final class AuditVerifier {

    private AuditVerifier() {
    }

    /** A sequence number and hash known from outside the database. */
    public record Anchor(long sequence, String hash) {

        /** Parses {@code <sequence>:<hash>}. */
        public static Anchor parse(final String text) {
            final int colon = text.indexOf(':');
            try {
                if (colon > 0) {
                    final long sequence = Long.parseLong(text.substring(0, colon).strip());
                    final String hash = text.substring(colon + 1).strip().toLowerCase(java.util.Locale.ROOT);
                    if (sequence > 0 && hash.matches("[0-9a-f]{64}")) {
                        return new Anchor(sequence, hash);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("An anchor is <sequence>:<64 hex digits of SHA-256>, as 'audit verify'"
                    + " prints it, e.g. 1200:3f9a...; was '" + text + "'.");
        }
    }

    /**
     * The outcome of a verification.
     *
     * @param records how many records were checked
     * @param firstSequence the number the check started at (above 1 when retention removed older records)
     * @param lastSequence the last record's number (0 if there is none)
     * @param lastHash the last record's hash (the genesis hash if there is none): an anchor for later checks
     * @param firstBroken the number of the first broken record, or 0 if the chain is intact
     * @param problem what is wrong with it (null if intact)
     */
    public record Result(long records, long firstSequence, long lastSequence, String lastHash, long firstBroken,
            String problem) {

        public boolean intact() {
            return firstBroken == 0;
        }

        /** One line for people. */
        public String describe() {
            if (intact()) {
                return "The audit log is intact: " + records + " records" + (firstSequence > 1 ? " (from record "
                        + firstSequence + "; older ones were removed by retention)" : "") + ", the last is "
                        + lastSequence
                        + " with hash " + lastHash + " (keep '" + lastSequence + ":" + lastHash + "' to check later"
                        + " with --anchor that nothing before it is removed).";
            }
            return "The audit log is broken at record " + firstBroken + ": " + problem;
        }
    }

    /** Reads every record in order and checks the chain. */
    public static Result verify(final AuditStore store, final Anchor anchor) {
        final Optional<AuditStore.Head> head = store.head();
        final Check check = new Check(anchor, head.map(AuditStore.Head::prunedThrough).orElse(0L),
                head.map(AuditStore.Head::prunedHash).orElse(AuditRecord.GENESIS));
        store.scan(check::next);
        return check.finish(head);
    }

    /** The state of one pass over the records. */
    private static final class Check {

        private final Anchor anchor;
        private long count;
        private long lastSequence;
        private String lastHash;
        private long firstBroken;
        private String problem;
        private boolean anchorSeen;

        private final long prunedThrough;

        /** Starts after the last record removed by retention (0 and the genesis hash if none was). */
        Check(final Anchor anchor, final long prunedThrough, final String prunedHash) {
            this.anchor = anchor != null && anchor.sequence() > prunedThrough ? anchor : null;
            this.prunedThrough = prunedThrough;
            this.lastSequence = prunedThrough;
            this.lastHash = prunedHash;
        }

        void next(final Document document) {
            if (firstBroken != 0) {
                return;
            }
            if (document.get("_id") instanceof Number id && id.longValue() <= prunedThrough) {
                return; // removed by retention, the deletion did not finish
            }
            final long expected = lastSequence + 1;
            final AuditRecord record;
            try {
                record = AuditStore.fromDocument(document);
            } catch (IllegalArgumentException e) {
                final Object id = document.get("_id");
                final long at = id instanceof Number n ? n.longValue() : expected;
                broken(at, "the stored document (_id " + id + ") is not an audit record: " + e.getMessage()
                        + ". It was changed.");
                return;
            }
            count++;
            if (record.sequence() < expected) {
                broken(record.sequence(), "it appears twice or out of order after record " + lastSequence + ".");
                return;
            }
            if (record.sequence() > expected) {
                broken(expected, expected == prunedThrough + 1
                        ? "it is missing: the log starts at record " + record.sequence() + ". Records were removed."
                        : "it is missing: the chain goes from record " + lastSequence + " to record "
                        + record.sequence() + ". Records were removed.");
                return;
            }
            if (!record.previousHash().equals(lastHash)) {
                broken(record.sequence(), "it does not follow record " + lastSequence + ": it names "
                        + record.previousHash() + " as the previous hash, but record " + lastSequence + " has "
                        + lastHash + ". Records were removed, reordered or replaced.");
                return;
            }
            if (!record.hashMatches()) {
                broken(record.sequence(), "its content does not match its hash " + record.hash()
                        + ". The record was changed.");
                return;
            }
            if (anchor != null && record.sequence() == anchor.sequence()) {
                anchorSeen = true;
                if (!record.hash().equals(anchor.hash())) {
                    broken(record.sequence(), "its hash " + record.hash() + " is not the anchored " + anchor.hash()
                            + ". The chain up to here was rewritten.");
                    return;
                }
            }
            lastSequence = record.sequence();
            lastHash = record.hash();
        }

        private void broken(final long at, final String why) {
            firstBroken = at;
            problem = why;
        }

        Result finish(final Optional<AuditStore.Head> head) {
            if (firstBroken == 0 && head.isPresent() && head.get().sequence() > lastSequence) {
                broken(lastSequence + 1, "it is missing: the head document says the log reached record "
                        + head.get().sequence() + ", the last stored record is " + lastSequence
                        + ". The newest records were removed.");
            }
            if (firstBroken == 0 && head.isPresent() && head.get().sequence() == lastSequence
                    && !head.get().hash().equals(lastHash)) {
                broken(lastSequence, "its hash " + lastHash + " is not the one the head document names ("
                        + head.get().hash() + "). The record or the head document was changed.");
            }
            if (firstBroken == 0 && anchor != null && !anchorSeen) {
                broken(Math.min(anchor.sequence(), lastSequence + 1), "it is missing: the anchor names record "
                        + anchor.sequence() + ", the last stored record is " + lastSequence
                        + ". The newest records were removed.");
            }
            return new Result(count, prunedThrough + 1, lastSequence, lastHash, firstBroken, problem);
        }
    }
}
