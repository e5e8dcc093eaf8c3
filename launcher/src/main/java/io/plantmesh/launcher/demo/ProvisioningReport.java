package io.plantmesh.launcher.demo;

/**
 * What a provisioning run did.
 *
 * @param policiesCreated policies created by this run
 * @param policiesExisting policies that were already there (left unchanged)
 * @param twinsCreated twins created by this run
 * @param twinsExisting twins that were already there (left unchanged)
 */
public record ProvisioningReport(int policiesCreated, int policiesExisting, int twinsCreated, int twinsExisting) {

    /** Nothing provisioned because the demo plant was skipped. */
    public static final ProvisioningReport SKIPPED = new ProvisioningReport(0, 0, 0, 0);

    public boolean changedNothing() {
        return policiesCreated == 0 && twinsCreated == 0;
    }

    public String summary() {
        if (changedNothing()) {
            return "demo plant already provisioned: " + twinsExisting + " twins and " + policiesExisting
                    + " policies found, nothing changed";
        }
        return "demo plant provisioned: " + twinsCreated + " twins and " + policiesCreated + " policies created"
                + (twinsExisting + policiesExisting > 0
                        ? ", " + twinsExisting + " twins and " + policiesExisting + " policies were already there"
                        : "");
    }
}
