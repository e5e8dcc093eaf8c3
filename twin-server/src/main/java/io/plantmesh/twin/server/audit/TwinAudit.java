package io.plantmesh.twin.server.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;
import org.eclipse.ditto.policies.model.Permissions;
import org.eclipse.ditto.policies.model.PoliciesResourceType;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.enforcers.Enforcer;

import io.plantmesh.audit.AuditEntry;
import io.plantmesh.audit.AuditLog;
import io.plantmesh.twin.server.engine.TwinEngine;
import io.plantmesh.twin.server.http.HttpSupport;
import io.plantmesh.twin.server.live.LiveSignalRouter;
import io.plantmesh.twin.server.policies.PolicyCommand;
import io.plantmesh.twin.server.policies.PolicyResult;
import io.plantmesh.twin.server.policies.PolicyState;
import io.plantmesh.twin.server.things.ThingAction;
import io.plantmesh.twin.server.things.ThingCommand;
import io.plantmesh.twin.server.things.ThingResult;
import io.plantmesh.twin.server.things.ThingState;

/**
 * The twin server's audit: every write (successful or not) and every denied request becomes an {@link AuditEntry}
 * in the {@link AuditLog}; successful reads are not audited.
 *
 * <p>Denied means: 401, 403, or a 404 that hides an existing thing or policy (or part of it) from a requester without
 * the permission, which is how Ditto answers a request for something the requester may not see. A 404 for something
 * that does not exist is not a denial.
 */
public final class TwinAudit implements AuditHook {

    private static final Permissions READ = Permissions.newInstance("READ");
    private static final Permissions WRITE = Permissions.newInstance("WRITE");
    private static final String NOT_CREATABLE = "things:thing.notcreatable";

    private final AuditLog log;
    private final TwinEngine engine;

    public TwinAudit(AuditLog log, TwinEngine engine) {
        this.log = log;
        this.engine = engine;
    }

    public AuditLog log() {
        return log;
    }

    @Override
    public void thingCommand(ThingCommand c, ThingResult result, Throwable error) {
        boolean write = c.action() != ThingAction.RETRIEVE;
        String resource = "thing:" + path(c.path());
        if (error == null) {
            if (write) {
                append(c.authorization(), "thing." + action(c.action(), result.status().getCode()),
                        c.thingId().toString(), resource, AuditEntry.SUCCEEDED, result.status().getCode(), null,
                        c.headers(), result.revision());
            }
            return;
        }
        DittoRuntimeException e = HttpSupport.toDitto(error);
        boolean denied = denied(e, () -> thingEnforcer(c).map(enforcer -> write
                ? !enforcer.hasUnrestrictedPermissions(PoliciesResourceType.thingResource(c.path()),
                        c.authorization(), WRITE)
                : !enforcer.hasPartialPermissions(PoliciesResourceType.thingResource(c.path()),
                        c.authorization(), READ)))
                || creationNotGranted(c, e);
        if (write || denied) {
            append(c.authorization(), "thing." + action(c.action()), c.thingId().toString(), resource,
                    denied ? AuditEntry.DENIED : AuditEntry.FAILED, e.getHttpStatus().getCode(), e.getErrorCode(),
                    c.headers(), null);
        }
    }

    @Override
    public void policyCommand(PolicyCommand c, PolicyResult result, Throwable error) {
        boolean write = c.action() != ThingAction.RETRIEVE;
        String resource = "policy:" + c.path().resourcePath();
        if (error == null) {
            if (write) {
                append(c.authorization(), "policy." + action(c.action(), result.status().getCode()),
                        c.policyId().toString(), resource, AuditEntry.SUCCEEDED, result.status().getCode(), null,
                        c.headers(), result.revision());
            }
            return;
        }
        DittoRuntimeException e = HttpSupport.toDitto(error);
        boolean denied = denied(e, () -> engine.committedPolicy(c.policyId()).map(PolicyState::enforcer)
                .map(enforcer -> !enforcer.hasPartialPermissions(PoliciesResourceType.policyResource("/"),
                        c.authorization(), READ)));
        if (write || denied) {
            append(c.authorization(), "policy." + action(c.action()), c.policyId().toString(), resource,
                    denied ? AuditEntry.DENIED : AuditEntry.FAILED, e.getHttpStatus().getCode(), e.getErrorCode(),
                    c.headers(), null);
        }
    }

    @Override
    public void messageSend(MessageCommand<?, ?> command, AuthorizationContext sender, int receivers,
            Throwable refusal) {
        String resource = "message:" + LiveSignalRouter.messageResourcePath(command.getMessage().getHeaders());
        String entity = command.getEntityId().toString();
        if (refusal == null) {
            log.append(new AuditEntry(Instant.now(), subjects(sender), "message.send", entity, resource,
                    AuditEntry.SUCCEEDED, 202, null, command.getDittoHeaders().getCorrelationId().orElse(null), null,
                    "delivered to " + receivers + (receivers == 1 ? " receiver" : " receivers")));
            return;
        }
        DittoRuntimeException e = HttpSupport.toDitto(refusal);
        boolean denied = e.getHttpStatus().getCode() == 403 || e.getHttpStatus().getCode() == 401;
        append(sender, "message.send", entity, resource, denied ? AuditEntry.DENIED : AuditEntry.FAILED,
                e.getHttpStatus().getCode(), e.getErrorCode(), command.getDittoHeaders(), null);
    }

    @Override
    public void authenticationFailed(String method, String path, String correlationId, Throwable error) {
        DittoRuntimeException e = HttpSupport.toDitto(error);
        log.append(new AuditEntry(Instant.now(), List.of(), "authenticate", "", "http:" + method + " " + path,
                AuditEntry.DENIED, e.getHttpStatus().getCode(), e.getErrorCode(), correlationId, null,
                e.getMessage()));
    }

    /** A requester who may not read the audit log asked for it. */
    void auditReadDenied(AuthorizationContext requester, DittoRuntimeException e, DittoHeaders headers) {
        append(requester, "audit.read", "", "audit:/", AuditEntry.DENIED, e.getHttpStatus().getCode(),
                e.getErrorCode(), headers, null);
    }

    /**
     * Ditto refuses to create a thing under a policy that does not grant the requester WRITE on {@code thing:/} with
     * {@code things:thing.notcreatable} (405), the same code as for a missing policy; only the former is a denial.
     */
    private boolean creationNotGranted(ThingCommand c, DittoRuntimeException e) {
        if (!NOT_CREATABLE.equals(e.getErrorCode()) || c.value() == null || !c.value().isObject()) {
            return false;
        }
        return c.value().asObject().getValue("policyId").filter(JsonValue::isString)
                .map(v -> PolicyId.of(v.asString()))
                .flatMap(engine::enforcer)
                .map(enforcer -> !enforcer.hasUnrestrictedPermissions(PoliciesResourceType.thingResource("/"),
                        c.authorization(), WRITE))
                .orElse(false);
    }

    private Optional<Enforcer> thingEnforcer(ThingCommand c) {
        return engine.committedThing(c.thingId()).map(ThingState::policyId).flatMap(engine::enforcer);
    }

    /**
     * 401 and 403 are denials; a 404 is one if the entity exists and the requester lacks the permission
     * ({@code lacksPermission} is empty if the entity does not exist).
     */
    private static boolean denied(DittoRuntimeException e, java.util.function.Supplier<Optional<Boolean>> lacksPermission) {
        int status = e.getHttpStatus().getCode();
        if (status == 401 || status == 403) {
            return true;
        }
        return status == 404 && lacksPermission.get().orElse(false);
    }

    private void append(AuthorizationContext who, String action, String entity, String resource, String outcome,
            int status, String error, DittoHeaders headers, Long revision) {
        log.append(new AuditEntry(Instant.now(), subjects(who), action, entity, resource, outcome, status, error,
                headers.getCorrelationId().orElse(null), revision, null));
    }

    private static List<String> subjects(AuthorizationContext who) {
        return who == null ? List.of() : who.getAuthorizationSubjectIds();
    }

    private static String action(ThingAction action) {
        return action.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A PUT that created something is a create, as in Ditto's events. */
    private static String action(ThingAction action, int status) {
        return status == 201 ? "create" : action(action);
    }

    private static String path(JsonPointer pointer) {
        return pointer.isEmpty() ? "/" : pointer.toString();
    }
}
