package io.plantmesh.erp.embedded.odata;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import io.plantmesh.security.oidc.AccessTokenVerifier;
import io.vertx.core.http.HttpMethod;

/**
 * OpenID Connect access tokens for the embedded ERP, and which realm roles may do what (the rule table of
 * docs/security.md, "Tokens"):
 * <ul>
 *   <li>OData reads ({@code GET}, also a CSRF token fetch) of stock, material documents, confirmations and purchase
 *       requisitions: {@link #READERS}</li>
 *   <li>reads of {@value #ORDER_COSTS} (finance data): {@link #FINANCE_READERS}</li>
 *   <li>postings ({@code POST}: goods movements, confirmations, purchase requisitions): {@link #POSTERS}</li>
 *   <li>PlantMesh's master-data administration: {@code GET} {@link #READERS}, {@code POST} {@link #ADMINS}</li>
 * </ul>
 * The ERP's technical Basic user is refused once tokens are configured, unless {@link #withBasicFallback} keeps it
 * (a migration aid for clients not yet on tokens).
 */
public final class ErpTokenAccess {

    /** Realm roles that may read stock, documents, confirmations and requisitions. */
    public static final Set<String> READERS = Set.of("plant-viewer", "production-supervisor", "planner", "erp-finance",
        "it-admin", "svc-erp-bridge");
    /** Realm roles that may read order costs. */
    public static final Set<String> FINANCE_READERS = Set.of("erp-finance", "it-admin", "svc-erp-bridge");
    /** Realm roles that may post goods movements, confirmations and purchase requisitions. */
    public static final Set<String> POSTERS = Set.of("svc-erp-bridge", "erp-finance", "it-admin");
    /** Realm roles that may change master data. */
    public static final Set<String> ADMINS = Set.of("it-admin");
    /** The finance service whose reads are restricted to {@link #FINANCE_READERS}. */
    public static final String ORDER_COSTS = "ZPLANTMESH_ORDER_COST_SRV";

    private static final String ADMIN_PATH = "/plantmesh/erp/admin";

    private final AccessTokenVerifier verifier;
    private final boolean basicFallback;

    private ErpTokenAccess(AccessTokenVerifier verifier, boolean basicFallback) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.basicFallback = basicFallback;
    }

    /** Tokens of the verifier's issuers required, roles as in the rule table. */
    public static ErpTokenAccess of(AccessTokenVerifier verifier) {
        return new ErpTokenAccess(verifier, false);
    }

    /** Whether the ERP's technical Basic user is still accepted beside tokens (off by default). */
    public ErpTokenAccess withBasicFallback(boolean enabled) {
        return new ErpTokenAccess(verifier, enabled);
    }

    public AccessTokenVerifier verifier() {
        return verifier;
    }

    public boolean basicFallback() {
        return basicFallback;
    }

    /** The realm roles that may make a request with this method on this path. */
    public static Set<String> allowedRoles(HttpMethod method, String path) {
        boolean reading = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (path.startsWith(ADMIN_PATH)) {
            return reading ? READERS : ADMINS;
        }
        if (!reading) {
            return POSTERS;
        }
        String rest = path.startsWith(ODataGateway.BASE_PATH) ? path.substring(ODataGateway.BASE_PATH.length()) : "";
        String service = rest.split("[/;]", 2)[0].toUpperCase(Locale.ROOT);
        return service.equals(ORDER_COSTS) ? FINANCE_READERS : READERS;
    }

    @Override
    public String toString() {
        return "access tokens of " + verifier.issuers().stream().map(i -> i.issuer().toString()).toList()
            + (basicFallback ? " (technical Basic user also accepted)" : "");
    }
}
