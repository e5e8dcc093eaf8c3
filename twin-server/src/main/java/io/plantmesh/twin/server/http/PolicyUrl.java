package io.plantmesh.twin.server.http;

import java.util.List;
import java.util.Set;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.PathUnknownException;
import org.eclipse.ditto.policies.model.PolicyId;

import io.plantmesh.twin.server.policies.PolicyPath;

/**
 * A URL under {@code /api/2/policies/{policyId}}: the policy id and the resource inside the policy. A resource key
 * keeps its slashes ({@code /entries/OPERATOR/resources/thing:/features/spindle}); each segment is URL-decoded on
 * its own.
 */
record PolicyUrl(PolicyId policyId, PolicyPath path) {

    private static final Set<String> READ_REPLACE_DELETE = Set.of("GET", "PUT", "DELETE");
    private static final Set<String> READ_REPLACE = Set.of("GET", "PUT");

    static PolicyUrl parse(String rawPathAfterPolicies, DittoHeaders headers) {
        List<String> segments = UrlSegments.decode(rawPathAfterPolicies);
        if (segments.isEmpty()) {
            throw UnknownPathException.of("/policies", "Address a policy as /api/2/policies/{policyId}.", headers);
        }
        PolicyId policyId = policyId(segments.get(0), headers);
        if (segments.stream().anyMatch(String::isEmpty)) {
            throw UnknownPathException.of("/policies/" + String.join("/", segments),
                    "The path has an empty segment ('//'); check the URL.", headers);
        }
        String rest = segments.size() == 1 ? "" : "/" + String.join("/", segments.subList(1, segments.size()));
        try {
            return new PolicyUrl(policyId, PolicyPath.parse(rest, headers));
        } catch (PathUnknownException e) {
            throw UnknownPathException.from(e);
        }
    }

    static PolicyId policyId(String value, DittoHeaders headers) {
        try {
            return PolicyId.of(value);
        } catch (DittoRuntimeException e) {
            throw e.setDittoHeaders(headers);
        }
    }

    /** The HTTP methods Ditto 2.4 offers here; policies have no PATCH. */
    Set<String> allowedMethods() {
        return switch (path.kind()) {
            case POLICY, ENTRY, SUBJECT, RESOURCE -> READ_REPLACE_DELETE;
            case ENTRIES, SUBJECTS, RESOURCES -> READ_REPLACE;
            case POLICY_ID -> Set.of("GET");
        };
    }
}
