package io.plantmesh.twin.server.engine;

import java.util.Optional;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatchers;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyPreconditionFailedException;
import org.eclipse.ditto.policies.model.signals.commands.exceptions.PolicyPreconditionNotModifiedException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingPreconditionFailedException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingPreconditionNotModifiedException;

/**
 * Ditto's conditional headers: {@code If-Match} (the resource must exist and match; {@code *} = must exist) and
 * {@code If-None-Match} (must not match; {@code *} = must not exist). A failed check is 412, except an
 * {@code If-None-Match} hit on a read, which is 304.
 */
final class Preconditions {

    private Preconditions() {
    }

    /** Throws if the headers' preconditions do not hold for the resource's current entity tag (empty = absent). */
    static void check(DittoHeaders headers, Optional<EntityTag> current, boolean read, boolean policy) {
        Optional<EntityTagMatchers> ifMatch = headers.getIfMatch();
        if (ifMatch.isPresent()) {
            boolean matches = current.isPresent()
                    && ifMatch.get().stream().anyMatch(m -> m.isAsterisk() || m.strongMatch(current.get()));
            if (!matches) {
                throw failed("if-match", ifMatch.get().toString(), current, headers, policy);
            }
        }
        Optional<EntityTagMatchers> ifNoneMatch = headers.getIfNoneMatch();
        if (ifNoneMatch.isPresent() && current.isPresent()) {
            boolean matches = ifNoneMatch.get().stream()
                    .anyMatch(m -> m.isAsterisk() || m.weakMatch(current.get()));
            if (matches) {
                if (read) {
                    throw notModified(ifNoneMatch.get().toString(), current.get(), headers, policy);
                }
                throw failed("if-none-match", ifNoneMatch.get().toString(), current, headers, policy);
            }
        }
    }

    private static DittoRuntimeException failed(String header, String expected, Optional<EntityTag> current,
            DittoHeaders headers, boolean policy) {
        String actual = current.map(EntityTag::toString).orElse("");
        DittoRuntimeException e = policy
                ? PolicyPreconditionFailedException.newBuilder(header, expected, actual).build()
                : ThingPreconditionFailedException.newBuilder(header, expected, actual).build();
        DittoHeaders withTag = current.isPresent() ? DittoHeaders.of(headers.toBuilder().eTag(current.get()).build()) : headers;
        return e.setDittoHeaders(withTag);
    }

    private static DittoRuntimeException notModified(String expected, EntityTag current, DittoHeaders headers,
            boolean policy) {
        DittoRuntimeException e = policy
                ? PolicyPreconditionNotModifiedException.newBuilder(expected, current.toString()).build()
                : ThingPreconditionNotModifiedException.newBuilder(expected, current.toString()).build();
        return e.setDittoHeaders(DittoHeaders.of(headers.toBuilder().eTag(current).build()));
    }
}
