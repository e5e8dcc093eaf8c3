package io.plantmesh.mes.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.twin.client.TwinAccess;

/**
 * The twin operations the MES API uses: the subset of {@link TwinAccess} it needs, so that the API's write logic can
 * be tested against a stand-in that answers 412 on purpose.
 */
interface ApiTwins {

    /** The thing with its revision, or empty if it does not exist or is not visible. */
    CompletionStage<Optional<Thing>> retrieve(ThingId id);

    /** Merges {@code patch} if the thing is still at {@code revision}; fails with 412 otherwise. */
    CompletionStage<Void> mergeIfRevision(ThingId id, JsonObject patch, long revision);

    /**
     * Merges {@code patch} unconditionally (a write that cannot lose another's change, e.g. a new key of its own).
     * Stand-ins that do not need it keep this default, which refuses.
     */
    default CompletionStage<Void> merge(final ThingId id, final JsonObject patch) {
        throw new UnsupportedOperationException("this stand-in of the twins does not merge unconditionally");
    }

    /** Creates a thing; fails with 409 if it exists. */
    CompletionStage<Thing> create(JsonObject thing);

    /** Every thing matching the RQL filter in the namespaces (empty: all). Blocking. */
    List<Thing> search(List<String> namespaces, String filter);

    /** Where the twins are, for messages. */
    String endpoint();

    static ApiTwins of(final TwinAccess twins) {
        return new ApiTwins() {
            @Override
            public CompletionStage<Optional<Thing>> retrieve(final ThingId id) {
                return twins.retrieve(id);
            }

            @Override
            public CompletionStage<Void> mergeIfRevision(final ThingId id, final JsonObject patch,
                    final long revision) {
                return twins.mergeIfRevision(id, patch, revision);
            }

            @Override
            public CompletionStage<Void> merge(final ThingId id, final JsonObject patch) {
                return twins.merge(id, patch);
            }

            @Override
            public CompletionStage<Thing> create(final JsonObject thing) {
                return twins.create(thing);
            }

            @Override
            public List<Thing> search(final List<String> namespaces, final String filter) {
                return twins.search(namespaces, filter);
            }

            @Override
            public String endpoint() {
                return String.valueOf(twins.endpoint());
            }
        };
    }
}
