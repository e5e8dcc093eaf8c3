package io.plantmesh.mes.api;

import java.time.Clock;
import java.util.Objects;

import org.eclipse.ditto.policies.model.PolicyId;

/**
 * Configuration of the MES API. Host and port are given to {@link MesApi#start(String, int)}.
 *
 * @param ordersPolicy the policy every work order created through the API gets (the demo plant's is
 * {@code plant1:orders}); null: the twin server gives each new order a policy of its own for the API's user (Ditto's
 * default policy)
 * @param clock the plant clock: status times written by the API and {@code PublishedDate} of the B2MML views
 * @param access who may use the API: {@link MesApiAccess#open()} unless a token issuer is configured
 */
public record MesApiConfig(PolicyId ordersPolicy, Clock clock, MesApiAccess access) {

    public MesApiConfig {
        Objects.requireNonNull(clock, "clock");
        access = access == null ? MesApiAccess.open() : access;
    }

    /** An open API (no tokens required). */
    public MesApiConfig(final PolicyId ordersPolicy, final Clock clock) {
        this(ordersPolicy, clock, MesApiAccess.open());
    }

    /** The given orders policy and the system clock (UTC). */
    public static MesApiConfig defaults(final PolicyId ordersPolicy) {
        return new MesApiConfig(ordersPolicy, Clock.systemUTC());
    }

    public MesApiConfig withClock(final Clock value) {
        return new MesApiConfig(ordersPolicy, value, access);
    }

    /** Requires tokens and roles as {@code value} says. */
    public MesApiConfig withAccess(final MesApiAccess value) {
        return new MesApiConfig(ordersPolicy, clock, value);
    }
}
