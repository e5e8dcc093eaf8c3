package io.plantmesh.erp.bridge;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.plantmesh.erp.bridge.plan.CostPosting;
import io.plantmesh.security.client.TokenClient;

/**
 * Configuration of the {@link ErpBridge}: where the twins and the ERP are, and how it paces itself.
 *
 * @param twinEndpoint the twin server's WebSocket, e.g. {@code ws://127.0.0.1:8080/ws/2}
 * @param namespaces the plants (namespaces) whose twins the bridge serves; empty for all
 * @param erpBase the OData base, e.g. {@code http://127.0.0.1:8081/sap/opu/odata/sap/}
 * @param requestTimeout timeout of one request to the twins or the ERP
 * @param resyncInterval how often all work-order and material twins are re-read by search
 * @param stockPollInterval how often the ERP stock of every material twin is read (ERP-side receipts)
 * @param rejectionBackoff wait after a business rejection, times the number of rejections so far
 * @param maxRejectionAttempts how often a rejected posting is tried before the bridge waits for a person (the
 * rejection stays on the twin; removing it from {@code erp.rejections} makes the bridge try again)
 * @param retryBackoffMin first wait when the ERP is unavailable, doubled per failure
 * @param retryBackoffMax longest wait when the ERP is unavailable
 * @param workers how many orders (and, separately, materials) are reconciled at a time, each one posting at a time
 * @param costPosting when machine time is booked and costs are shown on the order twin
 * @param twinTokens OpenID Connect tokens of the bridge's service account (client {@code plantmesh-erp-bridge}, role
 * {@code svc-erp-bridge}) for the twin server, used instead of {@code twinUser}/{@code twinPassword}; null for basic
 * authentication
 * @param erpTokens tokens for the ERP's OData API ({@code Authorization: Bearer}), used instead of
 * {@code erpUser}/{@code erpPassword}; null for the ERP's Basic user
 */
public record ErpBridgeConfig(URI twinEndpoint, String twinUser, String twinPassword, List<String> namespaces,
        URI erpBase, String erpUser, String erpPassword, Duration requestTimeout, Duration resyncInterval,
        Duration stockPollInterval, Duration rejectionBackoff, int maxRejectionAttempts, Duration retryBackoffMin,
        Duration retryBackoffMax, int workers, CostPosting costPosting, TokenClient twinTokens,
        TokenClient erpTokens) {

    public ErpBridgeConfig {
        Objects.requireNonNull(twinEndpoint, "twinEndpoint");
        if (twinTokens == null && (twinUser == null || twinPassword == null)) {
            throw new IllegalArgumentException("The ERP bridge needs credentials for the twin server: a user and "
                    + "password, or a token client (withTwinTokens)");
        }
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        Objects.requireNonNull(erpBase, "erpBase");
        if (erpTokens == null && (erpUser == null || erpPassword == null)) {
            throw new IllegalArgumentException("The ERP bridge needs credentials for the ERP: a user and password, or "
                    + "a token client (withErpTokens)");
        }
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(resyncInterval, "resyncInterval");
        requirePositive(stockPollInterval, "stockPollInterval");
        requirePositive(rejectionBackoff, "rejectionBackoff");
        requirePositive(retryBackoffMin, "retryBackoffMin");
        requirePositive(retryBackoffMax, "retryBackoffMax");
        if (maxRejectionAttempts < 1) {
            throw new IllegalArgumentException("maxRejectionAttempts must be at least 1, was " + maxRejectionAttempts);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        Objects.requireNonNull(costPosting, "costPosting");
    }

    /** Like the canonical constructor, with costs at completion and Basic authentication towards both. */
    public ErpBridgeConfig(final URI twinEndpoint, final String twinUser, final String twinPassword,
            final List<String> namespaces, final URI erpBase, final String erpUser, final String erpPassword,
            final Duration requestTimeout, final Duration resyncInterval, final Duration stockPollInterval,
            final Duration rejectionBackoff, final int maxRejectionAttempts, final Duration retryBackoffMin,
            final Duration retryBackoffMax, final int workers) {
        this(twinEndpoint, twinUser, twinPassword, namespaces, erpBase, erpUser, erpPassword, requestTimeout,
                resyncInterval, stockPollInterval, rejectionBackoff, maxRejectionAttempts, retryBackoffMin,
                retryBackoffMax, workers, CostPosting.AT_COMPLETION, null, null);
    }

    /**
     * Defaults: twin user {@code ditto}/{@code ditto}, ERP user {@code PLANTMESH}/{@code plantmesh}, all namespaces,
     * 10 s request timeout, resync every 30 s, stock every 1 s, rejections retried after 30 s x attempts at most
     * 5 times, unavailable ERP retried after 200 ms doubling up to 10 s, {@value #DEFAULT_WORKERS} orders at a time,
     * costs at completion.
     */
    public static ErpBridgeConfig defaults(final URI twinEndpoint, final URI erpBase) {
        return new ErpBridgeConfig(twinEndpoint, "ditto", "ditto", List.of(), erpBase, "PLANTMESH", "plantmesh",
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(30), 5,
                Duration.ofMillis(200), Duration.ofSeconds(10), DEFAULT_WORKERS, CostPosting.AT_COMPLETION, null,
                null);
    }

    /** Orders reconciled at a time by default (nothing blocks a thread while one waits for the ERP or the twins). */
    public static final int DEFAULT_WORKERS = 16;

    /**
     * {@link #defaults} overridden by environment variables: {@code PLANTMESH_TWIN_WS}, {@code PLANTMESH_TWIN_USER},
     * {@code PLANTMESH_TWIN_PASSWORD}, {@code PLANTMESH_ERP_URL}, {@code PLANTMESH_ERP_USER},
     * {@code PLANTMESH_ERP_PASSWORD}, {@code PLANTMESH_ERP_NAMESPACES} (comma-separated),
     * {@code PLANTMESH_ERP_STOCK_POLL_MS}, {@code PLANTMESH_ERP_REJECTION_BACKOFF_MS},
     * {@code PLANTMESH_ERP_MAX_REJECTIONS}, {@code PLANTMESH_ERP_WORKERS}, {@code PLANTMESH_ERP_COST_POSTING}
     * ({@code at-completion} or {@code per-confirmation}).
     */
    public static ErpBridgeConfig fromEnvironment(final Map<String, String> env) {
        final ErpBridgeConfig d = defaults(URI.create(env.getOrDefault("PLANTMESH_TWIN_WS",
                "ws://127.0.0.1:8080/ws/2")), URI.create(env.getOrDefault("PLANTMESH_ERP_URL",
                "http://127.0.0.1:8081/sap/opu/odata/sap/")));
        final List<String> namespaces = env.containsKey("PLANTMESH_ERP_NAMESPACES")
                ? List.of(env.get("PLANTMESH_ERP_NAMESPACES").split(",")).stream().map(String::trim)
                        .filter(s -> !s.isEmpty()).toList()
                : List.of();
        return new ErpBridgeConfig(d.twinEndpoint(), env.getOrDefault("PLANTMESH_TWIN_USER", d.twinUser()),
                env.getOrDefault("PLANTMESH_TWIN_PASSWORD", d.twinPassword()), namespaces, d.erpBase(),
                env.getOrDefault("PLANTMESH_ERP_USER", d.erpUser()),
                env.getOrDefault("PLANTMESH_ERP_PASSWORD", d.erpPassword()), d.requestTimeout(),
                d.resyncInterval(), millis(env, "PLANTMESH_ERP_STOCK_POLL_MS", d.stockPollInterval()),
                millis(env, "PLANTMESH_ERP_REJECTION_BACKOFF_MS", d.rejectionBackoff()),
                Integer.parseInt(env.getOrDefault("PLANTMESH_ERP_MAX_REJECTIONS",
                        Integer.toString(d.maxRejectionAttempts()))),
                d.retryBackoffMin(), d.retryBackoffMax(),
                Integer.parseInt(env.getOrDefault("PLANTMESH_ERP_WORKERS", Integer.toString(d.workers())).trim()),
                env.containsKey("PLANTMESH_ERP_COST_POSTING") ? CostPosting.parse(env.get("PLANTMESH_ERP_COST_POSTING"))
                        : d.costPosting(), null, null);
    }

    public ErpBridgeConfig withTwinUser(final String user, final String password) {
        return new ErpBridgeConfig(twinEndpoint, user, password, namespaces, erpBase, erpUser, erpPassword,
                requestTimeout, resyncInterval, stockPollInterval, rejectionBackoff, maxRejectionAttempts,
                retryBackoffMin, retryBackoffMax, workers, costPosting, twinTokens, erpTokens);
    }

    public ErpBridgeConfig withErpUser(final String user, final String password) {
        return new ErpBridgeConfig(twinEndpoint, twinUser, twinPassword, namespaces, erpBase, user, password,
                requestTimeout, resyncInterval, stockPollInterval, rejectionBackoff, maxRejectionAttempts,
                retryBackoffMin, retryBackoffMax, workers, costPosting, twinTokens, erpTokens);
    }

    public ErpBridgeConfig withNamespaces(final List<String> values) {
        return new ErpBridgeConfig(twinEndpoint, twinUser, twinPassword, values, erpBase, erpUser, erpPassword,
                requestTimeout, resyncInterval, stockPollInterval, rejectionBackoff, maxRejectionAttempts,
                retryBackoffMin, retryBackoffMax, workers, costPosting, twinTokens, erpTokens);
    }

    public ErpBridgeConfig withIntervals(final Duration resync, final Duration stockPoll) {
        return new ErpBridgeConfig(twinEndpoint, twinUser, twinPassword, namespaces, erpBase, erpUser, erpPassword,
                requestTimeout, resync, stockPoll, rejectionBackoff, maxRejectionAttempts, retryBackoffMin,
                retryBackoffMax, workers, costPosting, twinTokens, erpTokens);
    }

    public ErpBridgeConfig withRejections(final Duration backoff, final int maxAttempts) {
        return new ErpBridgeConfig(twinEndpoint, twinUser, twinPassword, namespaces, erpBase, erpUser, erpPassword,
                requestTimeout, resyncInterval, stockPollInterval, backoff, maxAttempts, retryBackoffMin,
                retryBackoffMax, workers, costPosting, twinTokens, erpTokens);
    }

    public ErpBridgeConfig withRetryBackoff(final Duration min, final Duration max) {
        return new ErpBridgeConfig(twinEndpoint, twinUser, twinPassword, namespaces, erpBase, erpUser, erpPassword,
                requestTimeout, resyncInterval, stockPollInterval, rejectionBackoff, maxRejectionAttempts, min, max,
                workers, costPosting, twinTokens, erpTokens);
    }

    public ErpBridgeConfig withWorkers(final int count) {
        return new ErpBridgeConfig(twinEndpoint, twinUser, twinPassword, namespaces, erpBase, erpUser, erpPassword,
                requestTimeout, resyncInterval, stockPollInterval, rejectionBackoff, maxRejectionAttempts,
                retryBackoffMin, retryBackoffMax, count, costPosting, twinTokens, erpTokens);
    }

    /** The same configuration with machine time and costs {@code at-completion} or {@code per-confirmation}. */
    public ErpBridgeConfig withCostPosting(final CostPosting value) {
        return new ErpBridgeConfig(twinEndpoint, twinUser, twinPassword, namespaces, erpBase, erpUser, erpPassword,
                requestTimeout, resyncInterval, stockPollInterval, rejectionBackoff, maxRejectionAttempts,
                retryBackoffMin, retryBackoffMax, workers, value, twinTokens, erpTokens);
    }

    /** Connect to the twin server with OpenID Connect tokens from {@code tokens} instead of a user and password. */
    public ErpBridgeConfig withTwinTokens(final TokenClient tokens) {
        return new ErpBridgeConfig(twinEndpoint, tokens == null ? twinUser : null,
                tokens == null ? twinPassword : null, namespaces, erpBase, erpUser, erpPassword, requestTimeout,
                resyncInterval, stockPollInterval, rejectionBackoff, maxRejectionAttempts, retryBackoffMin,
                retryBackoffMax, workers, costPosting, tokens, erpTokens);
    }

    /** Call the ERP's OData API with tokens from {@code tokens} ({@code Bearer}) instead of its Basic user. */
    public ErpBridgeConfig withErpTokens(final TokenClient tokens) {
        return new ErpBridgeConfig(twinEndpoint, twinUser, twinPassword, namespaces, erpBase,
                tokens == null ? erpUser : null, tokens == null ? erpPassword : null, requestTimeout, resyncInterval,
                stockPollInterval, rejectionBackoff, maxRejectionAttempts, retryBackoffMin, retryBackoffMax, workers,
                costPosting, twinTokens, tokens);
    }

    /** Who the bridge is towards the twin server, for logs: "user 'ditto'" or "client '...'". */
    public String twinIdentity() {
        return twinTokens != null ? "client '" + twinTokens.config().clientId() + "'" : "user '" + twinUser + "'";
    }

    /** Who the bridge is towards the ERP, for logs: "user 'PLANTMESH'" or "client '...'". */
    public String erpIdentity() {
        return erpTokens != null ? "client '" + erpTokens.config().clientId() + "'" : "user '" + erpUser + "'";
    }

    private static Duration millis(final Map<String, String> env, final String name, final Duration fallback) {
        final String value = env.get(name);
        return value == null ? fallback : Duration.ofMillis(Long.parseLong(value.trim()));
    }

    private static void requirePositive(final Duration value, final String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
