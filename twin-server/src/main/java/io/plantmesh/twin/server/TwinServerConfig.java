package io.plantmesh.twin.server;

import java.nio.file.Path;
import java.util.Map;

import io.plantmesh.tls.ListenerTls;

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
 * @param eventRetention events kept in the journal per thing
 * @param maxThingBytes Ditto's thing size limit
 * @param maxPolicyBytes Ditto's policy size limit
 * @param maxMessageBytes Ditto's message payload limit
 * @param tls TLS of the listener (https and wss on the same port); null for plain http and ws
 */
public record TwinServerConfig(String host, int port, String mongoUri, String database, Map<String, String> users,
        Path usersFile, boolean preAuthentication, long eventRetention, long maxThingBytes, long maxPolicyBytes,
        long maxMessageBytes, ListenerTls tls) {

    public static TwinServerConfig defaults(String mongoUri) {
        return new TwinServerConfig("127.0.0.1", 8080, mongoUri, "plantmesh", Map.of("ditto", "ditto"), null, false,
                1000, 100 * 1024, 100 * 1024, 250 * 1024, null);
    }

    public TwinServerConfig withPort(int newPort) {
        return new TwinServerConfig(host, newPort, mongoUri, database, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, tls);
    }

    public TwinServerConfig withHost(String newHost) {
        return new TwinServerConfig(newHost, port, mongoUri, database, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, tls);
    }

    public TwinServerConfig withUsers(Map<String, String> newUsers, Path newUsersFile) {
        return new TwinServerConfig(host, port, mongoUri, database, newUsers, newUsersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, tls);
    }

    public TwinServerConfig withPreAuthentication(boolean enabled) {
        return new TwinServerConfig(host, port, mongoUri, database, users, usersFile, enabled,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, tls);
    }

    public TwinServerConfig withDatabase(String newDatabase) {
        return new TwinServerConfig(host, port, mongoUri, newDatabase, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, tls);
    }

    /** The same server with TLS from these PEM files (null: plain http and ws). */
    public TwinServerConfig withTls(ListenerTls newTls) {
        return new TwinServerConfig(host, port, mongoUri, database, users, usersFile, preAuthentication,
                eventRetention, maxThingBytes, maxPolicyBytes, maxMessageBytes, newTls);
    }
}
