package io.plantmesh.policies;

import org.eclipse.ditto.policies.model.PolicyId;

import io.plantmesh.twin.model.TwinKind;

/**
 * The policies of a plant, in the plant's namespace. Machines and lines share the shop floor's policy; work orders,
 * materials and edge gateways have their own.
 */
public enum PolicyKind {
    /** Machines and lines: {@code <plant>:shopfloor}. */
    SHOPFLOOR("shopfloor"),
    /** Work orders: {@code <plant>:orders}. */
    ORDERS("orders"),
    /** Materials: {@code <plant>:materials}. */
    MATERIALS("materials"),
    /** Edge gateways (their connectivity and health reports): {@code <plant>:gateways}. */
    GATEWAYS("gateways");

    private final String policyName;

    PolicyKind(final String policyName) {
        this.policyName = policyName;
    }

    /** The name part of the policy id, e.g. {@code orders}. */
    public String policyName() {
        return policyName;
    }

    /** The policy's id in a plant's namespace, e.g. {@code plant1:orders}. */
    public PolicyId id(final String plant) {
        return PolicyId.of(plant, policyName);
    }

    /** The policy a twin of this kind belongs to. */
    public static PolicyKind of(final TwinKind twin) {
        return switch (twin) {
            case MACHINE, LINE -> SHOPFLOOR;
            case WORK_ORDER -> ORDERS;
            case MATERIAL -> MATERIALS;
            case GATEWAY -> GATEWAYS;
        };
    }
}
