package io.plantmesh.twin.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.plantmesh.security.oidc.OidcIssuer;
import io.plantmesh.security.oidc.VerifierSettings;
import io.plantmesh.tls.ListenerTls;
import io.plantmesh.twin.server.store.EventRetention;

/**
 * Everything the twin server is configured by.
 *
 * @param host address to bind (127.0.0.1 by default)
 * @param port HTTP and WebSocket port (0 = a random free one)
 * @param mongoUri MongoDB connection string
 * @param database MongoDB database name
 * @param users basic-auth users (name -> plain password or {@code sha256:<hex>}); merged with {@code usersFile}
 * @param usersFile optional users file (see {@code BasicAuthenticator}); null for none
 * @param preAuthentication accept {@code x-ditto-pre-authenticated} from a trusted proxy
 * @param eventRetention which events the journal keeps per thing, and so how far back the history API reaches
 *        (default: an hour, at most 10,000 and at least the newest 1,000 events per thing)
 * @param maxThingBytes Ditto's thing size limit
 * @param maxPolicyBytes Ditto's policy size limit
 * @param maxMessageBytes Ditto's message payload limit
 * @param basicAuthentication whether HTTP basic authentication with {@code users}/{@code usersFile} is accepted (on by
 *        default, as in Ditto's local setup behind nginx; off in production, where tokens are the only credentials)
 * @param oidcIssuers the OpenID Connect issuers whose access tokens are accepted (Ditto's
 *        {@code openid-connect-issuers}); empty: no tokens
 * @param tokenVerification clock skew and key fetching for access tokens
 * @param tls TLS of the listener (https and wss on the same port); null for plain http and ws
 */
public record TwinServerConfig(String host, int port, String mongoUri, String database, Map<String, String> users,
        Path usersFile, boolean preAuthentication, EventRetention eventRetention, long maxThingBytes,
        long maxPolicyBytes, long maxMessageBytes, boolean basicAuthentication, List<OidcIssuer> oidcIssuers,
        VerifierSettings tokenVerification, ListenerTls tls) {

    public TwinServerConfig {
        eventRetention = eventRetention == null ? EventRetention.defaults() : eventRetention;
        oidcIssuers = oidcIssuers == null ? List.of() : List.copyOf(oidcIssuers);
        tokenVerification = tokenVerification == null ? VerifierSettings.defaults() : tokenVerification;
    }

    public static TwinServerConfig defaults(String mongoUri) {
        return new TwinServerConfig("127.0.0.1", 8080, mongoUri, "plantmesh", Map.of("ditto", "ditto"), null, false,
                EventRetention.defaults(), 100 * 1024, 100 * 1024, 250 * 1024, true, List.of(),
                VerifierSettings.defaults(), null);
    }

    public TwinServerConfig withPort(int newPort) {
        return new TwinServerConfig(host, newPort, mongoUri, database, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, basicAuthentication, oidcIssuers,
                tokenVerification, tls);
    }

    public TwinServerConfig withHost(String newHost) {
        return new TwinServerConfig(newHost, port, mongoUri, database, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, basicAuthentication, oidcIssuers,
                tokenVerification, tls);
    }

    public TwinServerConfig withUsers(Map<String, String> newUsers, Path newUsersFile) {
        return new TwinServerConfig(host, port, mongoUri, database, newUsers, newUsersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, basicAuthentication, oidcIssuers,
                tokenVerification, tls);
    }

    public TwinServerConfig withPreAuthentication(boolean enabled) {
        return new TwinServerConfig(host, port, mongoUri, database, users, usersFile, enabled,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, basicAuthentication, oidcIssuers,
                tokenVerification, tls);
    }

    public TwinServerConfig withDatabase(String newDatabase) {
        return new TwinServerConfig(host, port, mongoUri, newDatabase, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, basicAuthentication, oidcIssuers,
                tokenVerification, tls);
    }

    /** Turns HTTP basic authentication on or off (off in production configuration). */
    public TwinServerConfig withBasicAuthentication(boolean enabled) {
        return new TwinServerConfig(host, port, mongoUri, database, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, enabled, oidcIssuers,
                tokenVerification, tls);
    }

    /** Accepts access tokens of these OpenID Connect issuers. */
    public TwinServerConfig withOidcIssuers(List<OidcIssuer> issuers) {
        return new TwinServerConfig(host, port, mongoUri, database, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, basicAuthentication, issuers,
                tokenVerification, tls);
    }

    public TwinServerConfig withTokenVerification(VerifierSettings settings) {
        return new TwinServerConfig(host, port, mongoUri, database, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, basicAuthentication, oidcIssuers,
                settings, tls);
    }

    /** Keeps these events in the journal (see {@link EventRetention}). */
    public TwinServerConfig withEventRetention(EventRetention retention) {
        return new TwinServerConfig(host, port, mongoUri, database, users, usersFile, preAuthentication,
                retention, maxThingBytes, maxPolicyBytes, maxMessageBytes, basicAuthentication, oidcIssuers,
                tokenVerification, tls);
    }

    /** The same server with TLS from these PEM files (null: plain http and ws). */
    public TwinServerConfig withTls(ListenerTls newTls) {
        return new TwinServerConfig(host, port, mongoUri, database, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, basicAuthentication, oidcIssuers,
                tokenVerification, newTls);
    }
}
