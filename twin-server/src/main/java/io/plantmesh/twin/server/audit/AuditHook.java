package io.plantmesh.twin.server.audit;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;

import io.plantmesh.twin.server.policies.PolicyCommand;
import io.plantmesh.twin.server.policies.PolicyResult;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingResult;

/**
 * Told how every request ended, where writes complete and where refusals are answered, so it can be audited. Called
 * on the thread that completed the request (for writes: the store's, after the write is durable, in commit order); an
 * implementation must not block.
 */
public interface AuditHook {

    /** Audits nothing. */
    AuditHook NONE = new AuditHook() {
    };

    /** A thing command ended: {@code result} if it succeeded, else {@code error}. */
    default void thingCommand(ThingCommand command, ThingResult result, Throwable error) {
    }

    /** A policy command ended: {@code result} if it succeeded, else {@code error}. */
    default void policyCommand(PolicyCommand command, PolicyResult result, Throwable error) {
    }

    /** A live message was delivered to {@code receivers} subscribers, or refused ({@code refusal} not null). */
    default void messageSend(MessageCommand<?, ?> command, AuthorizationContext sender, int receivers,
            Throwable refusal) {
    }

    /**
     * A request to {@code path} was refused because its credentials were missing or wrong (401).
     *
     * @param correlationId the request's correlation id; null if it has none
     */
    default void authenticationFailed(String method, String path, String correlationId, Throwable error) {
    }
}
