package io.plantmesh.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One audited request, as the service that handled it reports it: who (the requester's authorization subjects),
 * what (action on a resource of an entity), how it ended, and how to find it again (correlation id, the entity's
 * resulting revision).
 *
 * @param time when the outcome was known
 * @param subjects the requester's subjects, e.g. {@code keycloak:it-admin}; empty if authentication failed
 * @param action e.g. {@code thing.merge}, {@code policy.modify}, {@code message.send}, {@code authenticate}
 * @param entity e.g. {@code plant1:wo-000123}; empty if the request named none
 * @param resource the Ditto resource key, e.g. {@code thing:/features/status/properties}
 * @param outcome {@link #SUCCEEDED}, {@link #DENIED} or {@link #FAILED}
 * @param status the HTTP status the requester got
 * @param error Ditto's error code for refusals and failures, e.g. {@code things:thing.notfound}; null on success
 * @param correlationId the request's correlation id; null if it had none
 * @param revision the entity's revision after a successful write; null otherwise
 * @param detail optional free text, e.g. how many receivers a message reached
 */
public record AuditEntry(Instant time, List<String> subjects, String action, String entity, String resource,
        String outcome, int status, String error, String correlationId, Long revision, String detail) {

    /** The request did what it asked for. */
    public static final String SUCCEEDED = "SUCCEEDED";
    /** The requester was not allowed to (401, 403, or a 404 that hides something the requester may not see). */
    public static final String DENIED = "DENIED";
    /** Allowed, but it did not happen (invalid, precondition failed, store unavailable, ...). */
    public static final String FAILED = "FAILED";

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        subjects = List.copyOf(subjects);
        Objects.requireNonNull(action, "action");
        entity = entity == null ? "" : entity;
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(outcome, "outcome");
    }
}
