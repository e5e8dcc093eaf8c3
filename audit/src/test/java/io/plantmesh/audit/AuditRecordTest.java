package io.plantmesh.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class AuditRecordTest {

    private static final AuditEntry ENTRY = new AuditEntry(Instant.parse("2026-11-26T13:00:00.123Z"),
            List.of("keycloak:u-1", "keycloak:it-admin"), "thing.merge", "plant1:wo-000001",
            "thing:/features/status/properties", AuditEntry.SUCCEEDED, 204, null, "c-\"1\"\n", 7L, null);

    @Test
    void theCanonicalFormIsFixedJsonWithEveryFieldInOrder() {
        assertThat(AuditRecord.canonicalForm(3, ENTRY, AuditRecord.GENESIS)).isEqualTo("{\"seq\":3,"
                + "\"time\":\"2026-11-26T13:00:00.123Z\",\"subjects\":[\"keycloak:u-1\",\"keycloak:it-admin\"],"
                + "\"action\":\"thing.merge\",\"entity\":\"plant1:wo-000001\","
                + "\"resource\":\"thing:/features/status/properties\",\"outcome\":\"SUCCEEDED\",\"status\":204,"
                + "\"error\":null,\"correlationId\":\"c-\\\"1\\\"\\n\",\"revision\":7,\"detail\":null,"
                + "\"prev\":\"" + "0".repeat(64) + "\"}");
    }

    @Test
    void theHashCoversEveryFieldTheSequenceAndThePreviousHash() {
        final AuditRecord record = AuditRecord.chain(3, ENTRY, AuditRecord.GENESIS);
        assertThat(record.hash()).matches("[0-9a-f]{64}");
        assertThat(record.hashMatches()).isTrue();
        final List<AuditRecord> changed = List.of(
                new AuditRecord(4, ENTRY, record.previousHash(), record.hash()),
                new AuditRecord(3, ENTRY, "1".repeat(64), record.hash()),
                new AuditRecord(3, with(AuditEntry.DENIED, 403), record.previousHash(), record.hash()),
                new AuditRecord(3, new AuditEntry(ENTRY.time(), List.of("keycloak:u-1"), ENTRY.action(),
                        ENTRY.entity(), ENTRY.resource(), ENTRY.outcome(), ENTRY.status(), null,
                        ENTRY.correlationId(), 7L, null), record.previousHash(), record.hash()),
                new AuditRecord(3, new AuditEntry(ENTRY.time(), ENTRY.subjects(), ENTRY.action(), ENTRY.entity(),
                        ENTRY.resource(), ENTRY.outcome(), ENTRY.status(), null, ENTRY.correlationId(), 8L, null),
                        record.previousHash(), record.hash()));
        changed.forEach(c -> assertThat(c.hashMatches()).as(c.toString()).isFalse());
    }

    private static AuditEntry with(final String outcome, final int status) {
        return new AuditEntry(ENTRY.time(), ENTRY.subjects(), ENTRY.action(), ENTRY.entity(), ENTRY.resource(),
                outcome, status, null, ENTRY.correlationId(), ENTRY.revision(), null);
    }
}
