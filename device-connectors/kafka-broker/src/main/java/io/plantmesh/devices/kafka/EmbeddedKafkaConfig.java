package io.plantmesh.devices.kafka;

import java.nio.file.Path;

/**
 * Configuration of the embedded broker.
 *
 * @param dataDir log and metadata directory (created if missing)
 * @param host address of the listeners (127.0.0.1 by default)
 * @param port client port (0 = a free port)
 * @param partitions default partitions of auto-created topics
 */
public record EmbeddedKafkaConfig(Path dataDir, String host, int port, int partitions) {

    public static EmbeddedKafkaConfig defaults(Path dataDir) {
        return new EmbeddedKafkaConfig(dataDir, "127.0.0.1", 0, 4);
    }

    public EmbeddedKafkaConfig withPort(int newPort) {
        return new EmbeddedKafkaConfig(dataDir, host, newPort, partitions);
    }
}
