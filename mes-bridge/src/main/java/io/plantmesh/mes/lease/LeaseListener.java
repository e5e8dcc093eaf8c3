package io.plantmesh.mes.lease;

/**
 * Told by a {@link LeaseKeeper}, on the keeper's Vert.x context, when its instance starts and stops holding a
 * resource. Calls for one resource alternate: {@code onAcquired}, {@code onLost}, {@code onAcquired}, ...
 * <p>
 * A callback can be late when the event loop is busy; {@link LeaseKeeper#holds(String)} is the authority, so check
 * it right before every action taken on behalf of a resource.
 */
public interface LeaseListener {

    /** This instance holds {@code lease} from now on, until {@link #onLost} for the same resource. */
    void onAcquired(Lease lease);

    /**
     * This instance no longer holds {@code resource} (refused renewal, no renewal before the safety deadline, or the
     * keeper closed); stop acting on it at once.
     *
     * @param why a sentence for the log, e.g. {@code "renewal refused: the lease was taken over or had expired"}
     */
    void onLost(String resource, String why);
}
