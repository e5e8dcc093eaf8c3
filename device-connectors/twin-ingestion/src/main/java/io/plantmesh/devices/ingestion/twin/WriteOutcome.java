package io.plantmesh.devices.ingestion.twin;

/** How Ditto answered one twin write. */
sealed interface WriteOutcome {

    /** Persisted ({@code twin-persisted}). */
    record Applied() implements WriteOutcome {
    }

    /** 412 {@code things:condition.failed}: the twin already holds a record at or after the first one written. */
    record ConditionFailed() implements WriteOutcome {
    }

    /** A client error that retrying cannot fix (400, 403, 404, 413, ...): dead-letter. */
    record Refused(int status, String errorCode, String message) implements WriteOutcome {
        boolean concernsWholeThing() {
            return status == 404 || status == 403;
        }
    }

    /** Ditto unreachable, timed out, 408, 429 or 5xx: retry with backoff. */
    record Transient(String description) implements WriteOutcome {
    }
}
