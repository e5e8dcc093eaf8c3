package io.plantmesh.mes.lease;

import java.time.Instant;
import java.util.Objects;

/**
 * One instance's exclusive claim on one resource (a line's thing id), as stored in {@code mes_leases}.
 *
 * @param resource  the leased resource, e.g. {@code plant1:line-1}
 * @param owner     the instance id holding it
 * @param epoch     fencing token: grows by at least one every time the resource is acquired anew (after it was free,
 *                  expired or released), stays the same while the holder renews; a writer that stamps its decisions
 *                  with the epoch lets readers reject decisions of an older holder
 * @param expiresAt when the lease ends unless renewed (the holder's clock at the acquisition or renewal, plus the ttl)
 */
public record Lease(String resource, String owner, long epoch, Instant expiresAt) {

    public Lease {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
