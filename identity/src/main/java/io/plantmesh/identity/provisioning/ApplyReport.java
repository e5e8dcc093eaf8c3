package io.plantmesh.identity.provisioning;

import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link RealmProvisioner#apply} changed, one line per change ("created role planner", "updated client
 * plantmesh-ui: redirectUris ..."); empty when Keycloak already was in the declared state.
 */
public final class ApplyReport {

    private final String realm;
    private final List<String> changes = new ArrayList<>();
    private int roles;
    private int clients;
    private int users;

    ApplyReport(String realm) {
        this.realm = realm;
    }

    void changed(String change) {
        changes.add(change);
    }

    void counted(int roleCount, int clientCount, int userCount) {
        this.roles = roleCount;
        this.clients = clientCount;
        this.users = userCount;
    }

    /** True when nothing had to change. */
    public boolean unchanged() {
        return changes.isEmpty();
    }

    /** The changes in the order they were made. */
    public List<String> changes() {
        return List.copyOf(changes);
    }

    public String realm() {
        return realm;
    }

    /** One line: "no changes: ..." or "n changes to realm ...". */
    public String summary() {
        String declared = roles + " roles, " + clients + " clients, " + users + " users";
        return unchanged() ? "no changes: realm " + realm + " is as declared (" + declared + ")"
                : changes.size() + (changes.size() == 1 ? " change" : " changes") + " to realm " + realm
                        + ", now as declared (" + declared + ")";
    }

    @Override
    public String toString() {
        return summary() + (unchanged() ? "" : ": " + String.join("; ", changes));
    }
}
