package io.plantmesh.mes;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.eclipse.ditto.things.model.ThingId;

import io.plantmesh.mes.api.MesApiAccess;
import io.plantmesh.security.client.TokenClient;

/**
 * Configuration of one MES bridge instance (see docs/configuration.md, section mes-bridge).
 *
 * @param instanceId name of this instance, unique among the instances sharing a MongoDB (the lease owner)
 * @param dittoEndpoint the twin server's WebSocket endpoint, e.g. {@code ws://127.0.0.1:8080/ws/2}
 * @param dittoUser basic-auth user the bridge acts as (its policy subject must be allowed to read and write the
 * plant's twins); null when {@code twinTokens} is given
 * @param dittoPassword its password; null when {@code twinTokens} is given
 * @param lines the lines this instance owns (leases are taken on each)
 * @param namespaces the twin namespaces of the plant (e.g. {@code plant1})
 * @param mongoUri MongoDB for leases and bridge state (OEE history)
 * @param mongoDatabase database name in it
 * @param rules the decision rules
 * @param leaseTtl how long a lease lasts without renewal (renewed every third of it)
 * @param resyncInterval how often all twins of the lines are re-read by search (events keep the copy current in
 * between; the re-read repairs anything missed)
 * @param oeeInterval how often OEE and line KPIs are computed and written
 * @param commandTimeout how long a machine has to answer a start or stop command
 * @param httpPort port of the MES API; 0 for any free port, -1 for none
 * @param httpHost interface the MES API binds to
 * @param clock the plant clock (a scaled clock when the simulator runs faster than real time)
 * @param ordersPolicy policy id the MES API gives work orders it creates (e.g. {@code plant1:orders}); null: the
 * twin server's default policy for the creator
 * @param twinTokens OpenID Connect tokens of the bridge's service account (client {@code plantmesh-mes-bridge}, role
 * {@code svc-mes-bridge}) for the twin server, used instead of the user and password; null for basic authentication
 * @param apiAccess who may use the MES API: {@link MesApiAccess#open()} (the default) or tokens of an issuer
 */
public record MesBridgeConfig(String instanceId, URI dittoEndpoint, String dittoUser, String dittoPassword,
        List<ThingId> lines, List<String> namespaces, String mongoUri, String mongoDatabase, MesRules rules,
        Duration leaseTtl, Duration resyncInterval, Duration oeeInterval, Duration commandTimeout, int httpPort,
        String httpHost, Clock clock, String ordersPolicy, TokenClient twinTokens, MesApiAccess apiAccess) {

    public MesBridgeConfig {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(dittoEndpoint, "dittoEndpoint");
        if (twinTokens == null && (dittoUser == null || dittoPassword == null)) {
            throw new IllegalArgumentException("MES bridge " + instanceId + " needs credentials for the twin server:"
                    + " a user and password, or a token client (withTwinTokens)");
        }
        Objects.requireNonNull(mongoUri, "mongoUri");
        Objects.requireNonNull(mongoDatabase, "mongoDatabase");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
        Objects.requireNonNull(resyncInterval, "resyncInterval");
        Objects.requireNonNull(oeeInterval, "oeeInterval");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(clock, "clock");
        apiAccess = apiAccess == null ? MesApiAccess.open() : apiAccess;
        lines = List.copyOf(lines);
        namespaces = List.copyOf(namespaces);
        if (instanceId.isBlank()) {
            throw new IllegalArgumentException("instanceId must not be blank: give each MES bridge instance a name");
        }
    }

    /**
     * Defaults: database {@code plantmesh_mes}, default rules, lease 15 s, re-read every 60 s, OEE every 30 s,
     * commands answered within 20 s, no HTTP API, system clock.
     */
    public static MesBridgeConfig defaults(final String instanceId, final URI dittoEndpoint, final String user,
            final String password, final String mongoUri, final List<ThingId> lines) {
        final List<String> namespaces = lines.stream().map(ThingId::getNamespace).distinct().toList();
        return new MesBridgeConfig(instanceId, dittoEndpoint, user, password, lines, namespaces, mongoUri,
                "plantmesh_mes", MesRules.defaults(), Duration.ofSeconds(15), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(20), -1, "127.0.0.1", Clock.systemUTC(), null, null, null);
    }

    public MesBridgeConfig withRules(final MesRules value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                mongoDatabase, value, leaseTtl, resyncInterval, oeeInterval, commandTimeout, httpPort, httpHost,
                clock, ordersPolicy, twinTokens, apiAccess);
    }

    public MesBridgeConfig withLeaseTtl(final Duration value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                mongoDatabase, rules, value, resyncInterval, oeeInterval, commandTimeout, httpPort, httpHost, clock,
                ordersPolicy, twinTokens, apiAccess);
    }

    public MesBridgeConfig withResyncInterval(final Duration value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                mongoDatabase, rules, leaseTtl, value, oeeInterval, commandTimeout, httpPort, httpHost, clock,
                ordersPolicy, twinTokens, apiAccess);
    }

    public MesBridgeConfig withOeeInterval(final Duration value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                mongoDatabase, rules, leaseTtl, resyncInterval, value, commandTimeout, httpPort, httpHost, clock,
                ordersPolicy, twinTokens, apiAccess);
    }

    public MesBridgeConfig withCommandTimeout(final Duration value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                mongoDatabase, rules, leaseTtl, resyncInterval, oeeInterval, value, httpPort, httpHost, clock,
                ordersPolicy, twinTokens, apiAccess);
    }

    public MesBridgeConfig withHttp(final String host, final int port) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                mongoDatabase, rules, leaseTtl, resyncInterval, oeeInterval, commandTimeout, port, host, clock,
                ordersPolicy, twinTokens, apiAccess);
    }

    public MesBridgeConfig withClock(final Clock value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                mongoDatabase, rules, leaseTtl, resyncInterval, oeeInterval, commandTimeout, httpPort, httpHost,
                value, ordersPolicy, twinTokens, apiAccess);
    }

    public MesBridgeConfig withMongoDatabase(final String value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                value, rules, leaseTtl, resyncInterval, oeeInterval, commandTimeout, httpPort, httpHost, clock,
                ordersPolicy, twinTokens, apiAccess);
    }

    public MesBridgeConfig withNamespaces(final List<String> value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, value, mongoUri,
                mongoDatabase, rules, leaseTtl, resyncInterval, oeeInterval, commandTimeout, httpPort, httpHost,
                clock, ordersPolicy, twinTokens, apiAccess);
    }

    public MesBridgeConfig withOrdersPolicy(final String value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                mongoDatabase, rules, leaseTtl, resyncInterval, oeeInterval, commandTimeout, httpPort, httpHost, clock,
                value, twinTokens, apiAccess);
    }

    /**
     * The bridge connects to the twin server with OpenID Connect access tokens from {@code tokens} (client credentials
     * of its service account, renewed before they expire) instead of a user and password.
     */
    public MesBridgeConfig withTwinTokens(final TokenClient tokens) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, tokens == null ? dittoUser : null,
                tokens == null ? dittoPassword : null, lines, namespaces, mongoUri, mongoDatabase, rules, leaseTtl,
                resyncInterval, oeeInterval, commandTimeout, httpPort, httpHost, clock, ordersPolicy, tokens,
                apiAccess);
    }

    /** Who may use the MES API this instance serves, e.g. {@code MesApiAccess.tokens(verifier)}. */
    public MesBridgeConfig withApiAccess(final MesApiAccess value) {
        return new MesBridgeConfig(instanceId, dittoEndpoint, dittoUser, dittoPassword, lines, namespaces, mongoUri,
                mongoDatabase, rules, leaseTtl, resyncInterval, oeeInterval, commandTimeout, httpPort, httpHost, clock,
                ordersPolicy, twinTokens, value);
    }

    /** Who the bridge is towards the twin server, for logs and messages: "user 'ditto'" or "client '...'". */
    public String twinIdentity() {
        return twinTokens != null ? "client '" + twinTokens.config().clientId() + "'" : "user '" + dittoUser + "'";
    }
}
