package io.plantmesh.twin.server.policies;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.PathUnknownException;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonKey;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.*;

/**
 * A resource inside a policy: the policy, its entries, one entry, an entry's subjects or resources, one subject, one
 * resource. A resource key such as {@code thing:/features/x} is one key even though it contains slashes.
 *
 * @param pointer the location in the policy's JSON, with the subject id or resource key as one JSON key
 */
public record PolicyPath(Kind kind, String label, String key, JsonPointer pointer) {

    public enum Kind { POLICY, POLICY_ID, ENTRIES, ENTRY, SUBJECTS, SUBJECT, RESOURCES, RESOURCE }

    public static final PolicyPath ROOT = new PolicyPath(Kind.POLICY, null, null, JsonPointer.empty());

    /**
     * Parses the part of a URL or Ditto protocol path after the policy id, e.g. {@code /entries/OPERATOR/resources/thing:/features}.
     */
    public static PolicyPath parse(String raw, DittoHeaders headers) {
        String path = raw == null ? "" : raw;
        while (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty() || path.equals("/")) {
            return ROOT;
        }
        String[] parts = path.substring(1).split("/", 4);
        if (parts[0].equals("policyId") && parts.length == 1) {
            return new PolicyPath(Kind.POLICY_ID, null, null, JsonPointer.of("/policyId"));
        }
        if (!parts[0].equals("entries")) {
            throw unknown(path, headers);
        }
        if (parts.length == 1) {
            return new PolicyPath(Kind.ENTRIES, null, null, JsonPointer.of("/entries"));
        }
        String label = parts[1];
        JsonPointer entry = JsonFactory.newPointer(JsonKey.of("entries"), JsonKey.of(label));
        if (parts.length == 2) {
            return new PolicyPath(Kind.ENTRY, label, null, entry);
        }
        String section = parts[2];
        if (!section.equals("subjects") && !section.equals("resources")) {
            throw unknown(path, headers);
        }
        boolean subjects = section.equals("subjects");
        JsonPointer sectionPointer = entry.append(JsonPointer.of("/" + section));
        if (parts.length == 3) {
            return new PolicyPath(subjects ? Kind.SUBJECTS : Kind.RESOURCES, label, null, sectionPointer);
        }
        String key = parts[3];
        if (key.isEmpty()) {
            throw unknown(path, headers);
        }
        return new PolicyPath(subjects ? Kind.SUBJECT : Kind.RESOURCE, label, key,
                sectionPointer.append(JsonFactory.newPointer(JsonKey.of(key))));
    }

    /** The path as a policy resource ({@code policy:/entries/...}) for enforcement. */
    public String resourcePath() {
        return switch (kind) {
            case POLICY -> "/";
            case POLICY_ID -> "/policyId";
            case ENTRIES -> "/entries";
            case ENTRY -> "/entries/" + label;
            case SUBJECTS -> "/entries/" + label + "/subjects";
            case RESOURCES -> "/entries/" + label + "/resources";
            case SUBJECT -> "/entries/" + label + "/subjects/" + key;
            case RESOURCE -> "/entries/" + label + "/resources/" + key;
        };
    }

    /** The Ditto protocol path of this resource. */
    public String protocolPath() {
        return resourcePath();
    }

    private static DittoRuntimeException unknown(String path, DittoHeaders headers) {
        return PathUnknownException.newBuilder(JsonPointer.of(path))
                .description("A policy has entries/<label>[/subjects[/<subjectId>]|/resources[/<type>:<path>]]. Check the path.")
                .dittoHeaders(headers)
                .build();
    }

    public DittoRuntimeException notAccessible(PolicyId id, DittoHeaders headers) {
        DittoRuntimeException e = switch (kind) {
            case POLICY, POLICY_ID -> PolicyNotAccessibleException.newBuilder(id).build();
            case ENTRIES, ENTRY -> label == null
                    ? PolicyNotAccessibleException.newBuilder(id).build()
                    : PolicyEntryNotAccessibleException.newBuilder(id, label).build();
            case SUBJECTS -> SubjectsNotAccessibleException.newBuilder(id, label).build();
            case SUBJECT -> SubjectNotAccessibleException.newBuilder(id, label, key).build();
            case RESOURCES -> ResourcesNotAccessibleException.newBuilder(id, label).build();
            case RESOURCE -> ResourceNotAccessibleException.newBuilder(id, label, key).build();
        };
        return e.setDittoHeaders(headers);
    }

    public DittoRuntimeException notModifiable(PolicyId id, DittoHeaders headers) {
        DittoRuntimeException e = switch (kind) {
            case POLICY, POLICY_ID, ENTRIES -> PolicyNotModifiableException.newBuilder(id).build();
            case ENTRY -> PolicyEntryNotModifiableException.newBuilder(id, label).build();
            case SUBJECTS -> SubjectsNotModifiableException.newBuilder(id, label).build();
            case SUBJECT -> SubjectNotModifiableException.newBuilder(id, label, key).build();
            case RESOURCES -> ResourcesNotModifiableException.newBuilder(id, label).build();
            case RESOURCE -> ResourceNotModifiableException.newBuilder(id, label, key).build();
        };
        return e.setDittoHeaders(headers);
    }
}
