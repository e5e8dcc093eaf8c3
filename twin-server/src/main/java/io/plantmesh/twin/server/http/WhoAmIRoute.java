package io.plantmesh.twin.server.http;

import java.util.List;
import java.util.Set;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;

import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/2/whoami}: the authenticated requester as Ditto describes it, e.g.
 * {@code {"defaultSubject":"nginx:ditto","subjects":["nginx:ditto"]}}. The default subject is the first subject of the
 * requester's authorization context (the one an authenticator names first); {@code subjects} lists all of them.
 */
final class WhoAmIRoute {

    static final String WHOAMI = "/api/2/whoami";

    private WhoAmIRoute() {
    }

    static void handle(RoutingContext rc) {
        try {
            DittoHeaders headers = HttpSupport.dittoHeaders(rc);
            MethodNotAllowed.check(rc, Set.of("GET"), headers);
            ResponseWriter.json(rc, headers, HttpStatus.OK, describe(HttpSupport.auth(rc)));
        } catch (RuntimeException e) {
            HttpSupport.fail(rc, e);
        }
    }

    static JsonObject describe(AuthorizationContext auth) {
        List<String> subjects = auth.getAuthorizationSubjectIds();
        JsonArray subjectArray = JsonFactory.newArrayBuilder()
                .addAll(subjects.stream().map(JsonValue::of).toList()).build();
        var json = JsonFactory.newObjectBuilder();
        if (!subjects.isEmpty()) {
            json.set("defaultSubject", subjects.get(0));
        }
        return json.set("subjects", subjectArray).build();
    }
}
