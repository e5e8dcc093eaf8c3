package io.plantmesh.twin.server.http;

import org.eclipse.ditto.base.model.headers.DittoHeaders;

import io.plantmesh.twin.server.TwinServerContext;
import io.plantmesh.twin.server.policies.PolicyCommand;
import io.plantmesh.twin.server.things.ThingAction;
import io.vertx.ext.web.RoutingContext;

/**
 * Ditto's policy resources: {@code /api/2/policies/{policyId}} (GET PUT DELETE), {@code /entries} (GET PUT),
 * {@code /entries/{label}} (GET PUT DELETE), {@code /entries/{label}/subjects[/{subjectId}]} and
 * {@code /entries/{label}/resources[/{type}:{path}]}. Ditto 2.4 has no PATCH on policies (405).
 */
final class PolicyRoutes {

    static final String POLICIES = "/api/2/policies";

    private final TwinServerContext context;

    PolicyRoutes(TwinServerContext context) {
        this.context = context;
    }

    void resource(RoutingContext rc) {
        try {
            DittoHeaders headers = HttpSupport.dittoHeaders(rc);
            PolicyUrl url = PolicyUrl.parse(UrlSegments.after(rc.request().path(), POLICIES + "/"), headers);
            MethodNotAllowed.check(rc, url.allowedMethods(), headers);
            PolicyCommand command = new PolicyCommand(action(rc), url.policyId(), url.path(),
                    rc.request().method().name().equals("PUT") ? RequestBodies.json(rc, headers) : null, headers,
                    HttpSupport.auth(rc));
            ResponseMode mode = ResponseMode.of(headers);
            String location = ThingRoutes.withoutQuery(rc.request().absoluteURI());
            EngineReplies.await(rc, headers, mode.replyDeadline(), context.engine().execute(command), result -> {
                if (mode.responseRequired() || command.action() == ThingAction.RETRIEVE) {
                    ResponseWriter.policy(rc, headers, result, location);
                } else {
                    ResponseWriter.accepted(rc, headers);
                }
            });
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
        }
    }

    private static ThingAction action(RoutingContext rc) {
        return switch (rc.request().method().name()) {
            case "GET" -> ThingAction.RETRIEVE;
            case "PUT" -> ThingAction.MODIFY;
            case "DELETE" -> ThingAction.DELETE;
            default -> throw new IllegalStateException("method checked before: " + rc.request().method());
        };
    }
}
