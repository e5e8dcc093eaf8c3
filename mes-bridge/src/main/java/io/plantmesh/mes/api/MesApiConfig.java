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
 */
public record MesApiConfig(PolicyId ordersPolicy, Clock clock) {

    public MesApiConfig {
        Objects.requireNonNull(clock, "clock");
    }

    /** The given orders policy and the system clock (UTC). */
    public static MesApiConfig defaults(final PolicyId ordersPolicy) {
        return new MesApiConfig(ordersPolicy, Clock.systemUTC());
    }

    public MesApiConfig withClock(final Clock value) {
        return new MesApiConfig(ordersPolicy, value);
    }
}
