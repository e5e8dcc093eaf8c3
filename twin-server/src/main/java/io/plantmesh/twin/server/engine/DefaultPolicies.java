package io.plantmesh.twin.server.engine;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.policies.model.PolicyId;

/**
 * The policy Ditto creates for a thing created without one: entry {@code DEFAULT}, the creator's first subject,
 * READ and WRITE on {@code thing:/}, {@code policy:/} and {@code message:/}.
 */
final class DefaultPolicies {

    private DefaultPolicies() {
    }

    static JsonObject forCreator(PolicyId policyId, AuthorizationContext auth) {
        String subject = auth.getFirstAuthorizationSubject()
                .map(s -> s.getId())
                .orElseThrow(() -> new IllegalStateException("an authenticated requester has a subject"));
        JsonObject grant = JsonFactory.newObjectBuilder()
                .set("grant", JsonFactory.newArrayBuilder().add("READ", "WRITE").build())
                .set("revoke", JsonFactory.newArray())
                .build();
        return JsonFactory.newObjectBuilder()
                .set("policyId", policyId.toString())
                .set("entries", JsonFactory.newObjectBuilder()
                        .set("DEFAULT", JsonFactory.newObjectBuilder()
                                .set("subjects", JsonFactory.newObjectBuilder()
                                        .set(subject, JsonFactory.newObjectBuilder().set("type", "generated").build())
                                        .build())
                                .set("resources", JsonFactory.newObjectBuilder()
                                        .set("thing:/", grant)
                                        .set("policy:/", grant)
                                        .set("message:/", grant)
                                        .build())
                                .build())
                        .build())
                .build();
    }
}
