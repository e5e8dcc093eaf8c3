package io.plantmesh.twin.server.audit;

import java.util.Set;

/**
 * How the twin server audits.
 *
 * @param enabled append every write and every denied request to the audit log (collections {@code audit},
 *        {@code audit_head} in the twin server's database)
 * @param queueCapacity entries that may wait for MongoDB before new ones are dropped (counted, and recorded in the
 *        log as an {@code audit.overflow} record)
 * @param readers subjects that may read the log through {@code GET /api/2/plantmesh/audit}
 * @param retention how many of the newest records to keep (0 = all); the chain stays verifiable from the oldest kept
 */
public record AuditSettings(boolean enabled, int queueCapacity, Set<String> readers, long retention) {

    /** The subject of the realm role it-admin: the only reader in production. */
    public static final String IT_ADMIN = "keycloak:it-admin";

    public AuditSettings {
        readers = Set.copyOf(readers);
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("The audit queue capacity must be at least 1, was " + queueCapacity
                    + ".");
        }
        if (retention < 0) {
            throw new IllegalArgumentException("The audit retention must be 0 (keep all) or a number of records, was "
                    + retention + ".");
        }
    }

    /** On, 50,000 queued entries at most, readable by it-admin only, every record kept. */
    public static AuditSettings defaults() {
        return new AuditSettings(true, 50_000, Set.of(IT_ADMIN), 0);
    }

    /** Off: nothing is audited and the audit API does not exist. */
    public static AuditSettings disabled() {
        return new AuditSettings(false, 1, Set.of(), 0);
    }

    public AuditSettings withReaders(Set<String> newReaders) {
        return new AuditSettings(enabled, queueCapacity, newReaders, retention);
    }

    public AuditSettings withQueueCapacity(int capacity) {
        return new AuditSettings(enabled, capacity, readers, retention);
    }

    public AuditSettings withRetention(long records) {
        return new AuditSettings(enabled, queueCapacity, readers, records);
    }
}
